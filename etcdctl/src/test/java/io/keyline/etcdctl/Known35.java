package io.keyline.etcdctl;

import java.util.List;

/**
 * Where keylinectl follows etcdctl 3.5 rather than the 3.4 reference binary, tests undo the
 * 3.5 difference here, so each one is named once and every other byte is still compared.
 */
final class Known35 {
    /** get's flags added in 3.5 (3.4 rejects them as unknown flags). */
    static final List<String> GET_FLAGS_35 = List.of(
            "      --count-only[=false]\t\tGet only the count\n",
            "      --max-create-rev=0\t\tMaximum create revision\n",
            "      --max-mod-rev=0\t\t\tMaximum modify revision\n",
            "      --min-create-rev=0\t\tMinimum create revision\n",
            "      --min-mod-rev=0\t\t\tMinimum modify revision\n");

    private Known35() {}

    static String adjust(String[] args, String output) {
        if (isGetHelp(args, output)) {
            for (String line : GET_FLAGS_35) {
                output = output.replace(line, "");
            }
        }
        return output;
    }

    /**
     * etcdctl 3.5 prints "... is healthy" on stdout; 3.4 printed it on stderr. Moves our line back
     * to stderr so the rest of the output is still compared.
     */
    static String adjustHealth(String[] args, String runText) {
        if (!List.of(args).contains("health")) {
            return runText;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^.* is healthy: .*\n").matcher(runText);
        if (!m.find()) {
            return runText;
        }
        String line = m.group();
        return runText.replace(line, "").replace("--- stderr\n", "--- stderr\n" + line);
    }

    private static boolean isGetHelp(String[] args, String output) {
        return List.of(args).stream().anyMatch(a -> a.equals("get") || a.equals("ge"))
                && output.contains("\tget - Gets the key or a range of keys");
    }
}
