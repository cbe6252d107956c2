package io.keyline.etcdctl.kv;

/**
 * What etcdctl prints on stderr when a txn request line has a bad flag: cobra's default usage
 * of its get/put/del sub-parsers (not etcdctl's own help format).
 */
final class TxnUsage {
    private TxnUsage() {}

    static String of(String command) {
        return switch (command) {
            case "get" -> """
                    Usage:
                       get [options] <key> [range_end] [flags]

                    Flags:
                          --consistency string   Linearizable(l) or Serializable(s) (default "l")
                          --from-key             Get keys that are greater than or equal to the given key using byte compare
                      -h, --help                 help for get
                          --keys-only            Get only the keys
                          --limit int            Maximum number of results
                          --order string         Order of results; ASCEND or DESCEND (ASCEND by default)
                          --prefix               Get keys with matching prefix
                          --print-value-only     Only write values when using the "simple" output format
                          --rev int              Specify the kv revision
                          --sort-by string       Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION

                    """;
            case "put" -> """
                    Usage:
                       put [options] <key> <value> (<value> can also be given from stdin) [flags]

                    Flags:
                      -h, --help           help for put
                          --ignore-lease   updates the key using its current lease
                          --ignore-value   updates the key using its current value
                          --lease string   lease ID (in hexadecimal) to attach to the key (default "0")
                          --prev-kv        return the previous key-value pair before modification

                    """;
            default -> """
                    Usage:
                       del [options] <key> [range_end] [flags]

                    Flags:
                          --from-key   delete keys that are greater than or equal to the given key using byte compare
                      -h, --help       help for del
                          --prefix     delete keys with matching prefix
                          --prev-kv    return deleted key-value pairs

                    """;
        };
    }
}
