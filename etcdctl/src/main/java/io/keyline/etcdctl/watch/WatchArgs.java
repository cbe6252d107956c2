package io.keyline.etcdctl.watch;

import io.keyline.etcdctl.CtlException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a non-interactive watch command line into the key arguments and the command to run
 * after "--", the way etcdctl does it: from the raw argument list, with ETCDCTL_WATCH_KEY and
 * ETCDCTL_WATCH_RANGE_END standing in for the key arguments.
 */
record WatchArgs(List<String> keys, List<String> exec) {
    static final String BAD_NUM = "bad number of arguments";
    static final String CONFLICT_ENV = "bad number of arguments (found conflicting environment key)";
    static final String SEPARATOR = "bad number of arguments (found separator --, but no commands)";

    static WatchArgs parse(String[] osArgs, List<String> commandArgs, String envKey, String envRange) {
        List<String> raw = new ArrayList<>(List.of(osArgs));
        List<String> watchArgs = new ArrayList<>(commandArgs);
        int w = raw.indexOf("watch");
        if (w >= 0) {
            raw = new ArrayList<>(raw.subList(w + 1, raw.size()));
        }
        int execIdx = raw.indexOf("--");
        boolean execExist = execIdx >= 0;
        if (execExist && execIdx == raw.size() - 1) {
            throw bad(SEPARATOR);
        }
        if (!execExist && raw.isEmpty() && envKey.isEmpty()) {
            throw bad(BAD_NUM);
        }
        if (execExist && !envKey.isEmpty()) {
            int ridx = raw.size() - 1;
            for (int widx = watchArgs.size() - 1; widx >= 0; widx--) {
                if (ridx >= 0 && watchArgs.get(widx).equals(raw.get(ridx))) {
                    ridx--;
                    continue;
                }
                if (ridx == execIdx) {
                    throw bad(CONFLICT_ENV);
                }
            }
        }
        if (!execExist && !watchArgs.isEmpty() && !envKey.isEmpty()) {
            throw bad(CONFLICT_ENV);
        }
        List<String> exec = new ArrayList<>();
        if (execExist) {
            exec.addAll(raw.subList(execIdx + 1, raw.size()));
        }
        if (!envKey.isEmpty()) {
            List<String> ranges = new ArrayList<>(List.of(envKey));
            if (!envRange.isEmpty()) {
                ranges.add(envRange);
            }
            ranges.addAll(watchArgs);
            watchArgs = ranges;
        }
        if (!execExist) {
            return new WatchArgs(watchArgs, List.of());
        }
        int end = watchArgs.size() - 1;
        for (; end >= 0; end--) {
            if (watchArgs.get(end).equals(exec.get(0))) {
                break;
            }
        }
        return new WatchArgs(new ArrayList<>(watchArgs.subList(0, Math.max(end, 0))), exec);
    }

    private static CtlException bad(String msg) {
        return CtlException.of(CtlException.EXIT_BAD_ARGS, msg);
    }
}
