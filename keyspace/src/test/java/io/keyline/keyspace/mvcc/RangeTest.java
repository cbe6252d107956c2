package io.keyline.keyspace.mvcc;

import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeRequest.SortOrder;
import io.keyline.api.etcdserverpb.RangeRequest.SortTarget;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.keyspace.EtcdError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static io.keyline.keyspace.mvcc.Req.apply;
import static io.keyline.keyspace.mvcc.Req.del;
import static io.keyline.keyspace.mvcc.Req.expectError;
import static io.keyline.keyspace.mvcc.Req.kvs;
import static io.keyline.keyspace.mvcc.Req.put;
import static io.keyline.keyspace.mvcc.Req.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every RangeRequest option over one history:
 * rev 2 put a=3, 3 put b=2, 4 put c=1, 5 put b=5, 6 put d=0, 7 delete d, 8 put e=4.
 * At 8: a (create 2, mod 2, ver 1), b (3, 5, 2), c (4, 4, 1), e (8, 8, 1).
 */
class RangeTest {
    @TempDir
    static Path dir;
    static MvccStore store;

    @BeforeAll
    static void history() {
        store = MvccStore.open(dir.resolve("db"));
        apply(store, b -> b.put(put("a", "3")));
        apply(store, b -> b.put(put("b", "2")));
        apply(store, b -> b.put(put("c", "1")));
        apply(store, b -> b.put(put("b", "5")));
        apply(store, b -> b.put(put("d", "0")));
        apply(store, b -> b.deleteRange(del("d", "")));
        apply(store, b -> b.put(put("e", "4")));
        assertEquals(8, store.currentRevision());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("single key", range("a", ""), "a=3", 1, false),
                row("missing key", range("z", ""), "", 0, false),
                row("interval", range("a", "c"), "a=3,b=5", 2, false),
                row("end before key is empty", range("c", "a"), "", 0, false),
                row("from key", range("b", "\0"), "b=5,c=1,e=4", 3, false),
                row("all keys", range("\0", "\0"), "a=3,b=5,c=1,e=4", 4, false),
                row("limit", range("a", "z").setLimit(2), "a=3,b=5", 4, true),
                row("limit equal to count", range("a", "z").setLimit(4), "a=3,b=5,c=1,e=4", 4, false),
                row("at revision 4", range("a", "z").setRevision(4), "a=3,b=2,c=1", 3, false),
                row("at revision 6 sees d", range("a", "z").setRevision(6), "a=3,b=5,c=1,d=0", 4, false),
                row("at revision 7 d deleted", range("a", "z").setRevision(7), "a=3,b=5,c=1", 3, false),
                row("at revision 1 nothing", range("a", "z").setRevision(1), "", 0, false),
                row("count only", range("a", "z").setCountOnly(true), "", 4, false),
                row("count only at 6", range("a", "z").setCountOnly(true).setRevision(6), "", 4, false),
                row("keys only", range("a", "c").setKeysOnly(true), "a=,b=", 2, false),
                row("sort value ascend", range("a", "z").setSortOrder(SortOrder.ASCEND)
                        .setSortTarget(SortTarget.VALUE), "c=1,a=3,e=4,b=5", 4, false),
                row("sort key descend", range("a", "z").setSortOrder(SortOrder.DESCEND), "e=4,c=1,b=5,a=3", 4, false),
                row("target without order ascends", range("a", "z").setSortTarget(SortTarget.MOD),
                        "a=3,c=1,b=5,e=4", 4, false),
                row("sort create descend", range("a", "z").setSortOrder(SortOrder.DESCEND)
                        .setSortTarget(SortTarget.CREATE), "e=4,c=1,b=5,a=3", 4, false),
                row("sort version descend, limit", range("a", "z").setSortOrder(SortOrder.DESCEND)
                        .setSortTarget(SortTarget.VERSION).setLimit(1), "b=5", 4, true),
                row("sort version ascend is stable", range("a", "z").setSortOrder(SortOrder.ASCEND)
                        .setSortTarget(SortTarget.VERSION), "a=3,c=1,e=4,b=5", 4, false),
                row("sort key ascend, limit", range("a", "z").setSortOrder(SortOrder.ASCEND).setLimit(3),
                        "a=3,b=5,c=1", 4, true),
                row("min mod", range("a", "z").setMinModRevision(4), "b=5,c=1,e=4", 4, false),
                row("max mod", range("a", "z").setMaxModRevision(4), "a=3,c=1", 4, false),
                row("min create", range("a", "z").setMinCreateRevision(3), "b=5,c=1,e=4", 4, false),
                row("max create", range("a", "z").setMaxCreateRevision(3), "a=3,b=5", 4, false),
                row("filter then limit", range("a", "z").setMinModRevision(5).setLimit(1), "b=5", 4, true),
                row("filter at revision", range("a", "z").setRevision(6).setMinCreateRevision(4),
                        "c=1,d=0", 4, false));
    }

    private static Arguments row(String name, RangeRequest.Builder r, String kvs, long count, boolean more) {
        return Arguments.of(name, r.build(), kvs, count, more);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rangeCase(String name, RangeRequest r, String expectKvs, long count, boolean more) {
        RangeResponse resp = store.range(r);
        assertEquals(expectKvs, kvs(resp), "kvs");
        assertEquals(count, resp.getCount(), "count");
        assertEquals(more, resp.getMore(), "more");
        // the header always carries the current revision, whatever revision was read
        assertEquals(8, resp.getHeader().getRevision(), "header revision");
    }

    @Test
    void keyValueFields() {
        var kv = store.range(range("b", "").build()).getKvs(0);
        assertEquals(3, kv.getCreateRevision());
        assertEquals(5, kv.getModRevision());
        assertEquals(2, kv.getVersion());
        assertEquals(0, kv.getLease());
        assertTrue(store.range(range("b", "").setRevision(3).build()).getKvs(0).getVersion() == 1);
    }

    @Test
    void futureRevisionFails() {
        expectError(EtcdError.FUTURE_REV, () -> store.range(range("a", "").setRevision(9).build()));
    }

    @Test
    void keysOrderByUnsignedBytes(@TempDir Path own) {
        MvccStore s = MvccStore.open(own.resolve("db"));
        try {
            // "\u00e9" is 0xC3 0xA9 in UTF-8: above 'z' unsigned, below it if bytes were compared signed
            for (String k : new String[] {"\u00e9", "zz", "z", "y"}) {
                apply(s, b -> b.put(put(k, "v")));
            }
            assertEquals("z=v,zz=v,\u00e9=v", kvs(s.range(range("z", "\0").build())));
            assertEquals("y=v,z=v", kvs(s.range(range("a", "zz").build())));
            assertEquals("\u00e9=v", kvs(s.range(range("\u00e9", "").build())));
        } finally {
            s.close();
        }
    }
}
