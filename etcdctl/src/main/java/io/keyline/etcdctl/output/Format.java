package io.keyline.etcdctl.output;

/** The values of --write-out. */
public enum Format {
    SIMPLE, FIELDS, JSON, PROTOBUF, TABLE;

    /** The format named by the flag, or null when etcdctl would reject it as "unsupported output format". */
    public static Format parse(String name) {
        for (Format f : values()) {
            if (f.flagName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    public String flagName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
