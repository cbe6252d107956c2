package io.keyline.benchmark.kv;

/** etcd benchmark's --consistency: "l" linearizable, "s" serializable, anything else is a usage error. */
final class Consistency {
    private Consistency() {}

    static boolean serializable(String flag) {
        return switch (flag) {
            case "l" -> false;
            case "s" -> true;
            default -> throw new IllegalArgumentException("--consistency must be l or s, got \"" + flag + "\"");
        };
    }
}
