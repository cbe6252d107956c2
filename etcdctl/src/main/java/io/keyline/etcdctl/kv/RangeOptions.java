package io.keyline.etcdctl.kv;

import com.google.protobuf.ByteString;
import io.keyline.etcdctl.CtlException;
import io.keyline.api.etcdserverpb.RangeRequest;
import java.util.List;
import java.util.Locale;

/** Builds a RangeRequest from get's flags with etcdctl's checks and messages; txn reuses it. */
final class RangeOptions {
    String consistency = "l";
    String order = "";
    String sortBy = "";
    long limit;
    boolean prefix;
    boolean fromKey;
    long rev;
    boolean keysOnly;
    boolean countOnly;
    long minModRev;
    long maxModRev;
    long minCreateRev;
    long maxCreateRev;

    RangeRequest toRequest(List<String> args) {
        if (args.isEmpty()) {
            throw bad("get command needs one argument as key and an optional argument as range_end");
        }
        if (prefix && fromKey) {
            throw bad("`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        if (keysOnly && countOnly) {
            throw bad("`--keys-only` and `--count-only` cannot be set at the same time, choose one");
        }
        RangeRequest.Builder b = RangeRequest.newBuilder();
        switch (consistency) {
            case "s" -> b.setSerializable(true);
            case "l" -> { }
            default -> throw CtlException.of(CtlException.EXIT_BAD_FEATURE,
                    "unknown consistency flag " + io.keyline.etcdctl.output.GoText.quote(consistency));
        }
        ByteString key = KeyRanges.bytes(args.get(0));
        if (args.size() > 1) {
            if (prefix || fromKey) {
                throw bad("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            b.setRangeEnd(KeyRanges.bytes(args.get(1)));
        }
        b.setLimit(limit);
        if (rev > 0) {
            b.setRevision(rev);
        }
        switch (order.toUpperCase(Locale.ROOT)) {
            case "ASCEND" -> b.setSortOrder(RangeRequest.SortOrder.ASCEND);
            case "DESCEND" -> b.setSortOrder(RangeRequest.SortOrder.DESCEND);
            case "" -> { }
            default -> throw CtlException.of(CtlException.EXIT_BAD_FEATURE, "bad sort order " + order);
        }
        switch (sortBy.toUpperCase(Locale.ROOT)) {
            case "CREATE" -> b.setSortTarget(RangeRequest.SortTarget.CREATE);
            case "KEY", "" -> b.setSortTarget(RangeRequest.SortTarget.KEY);
            case "MODIFY" -> b.setSortTarget(RangeRequest.SortTarget.MOD);
            case "VALUE" -> b.setSortTarget(RangeRequest.SortTarget.VALUE);
            case "VERSION" -> b.setSortTarget(RangeRequest.SortTarget.VERSION);
            default -> throw CtlException.of(CtlException.EXIT_BAD_FEATURE, "bad sort target " + sortBy);
        }
        // The Go client drops an ascending order by key: the server returns keys in that order
        // anyway, and an explicit order makes it fetch the whole range before applying the limit.
        if (b.getSortOrder() == RangeRequest.SortOrder.ASCEND && b.getSortTarget() == RangeRequest.SortTarget.KEY) {
            b.setSortOrder(RangeRequest.SortOrder.NONE);
        }
        KeyRanges.Span span = KeyRanges.span(key, prefix, fromKey);
        key = span.key();
        if (span.end() != null) {
            b.setRangeEnd(span.end());
        }
        b.setKey(key);
        b.setKeysOnly(keysOnly);
        b.setCountOnly(countOnly);
        b.setMinModRevision(minModRev).setMaxModRevision(maxModRev);
        b.setMinCreateRevision(minCreateRev).setMaxCreateRevision(maxCreateRev);
        return b.build();
    }

    private static CtlException bad(String msg) {
        return CtlException.of(CtlException.EXIT_BAD_ARGS, msg);
    }
}
