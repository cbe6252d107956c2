package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * etcdctl's lease commands print the same against Keyline as against real etcd 3.4: grant (with
 * the minimum and maximum TTL rules), put --lease, timetolive --keys, list, keep-alive --once,
 * revoke, and expiry. Lease IDs are chosen by each server, so each side runs the same script with
 * its own IDs and the IDs are named in order of appearance; remaining seconds, which depend on when
 * each command ran, are checked for a range and then masked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdctlLeaseDifferentialTest {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]{16}) granted|\"ID\":(\\d+),\"TTL\"");
    /** etcd lists a lease's keys in Go map order, which varies from run to run; compared sorted. */
    private static final Pattern ATTACHED = Pattern.compile("attached keys\\(\\[([^\\]]*)\\]\\)|\"keys\":\\[([^\\]]*)\\]");
    private static final Pattern REMAINING = Pattern.compile("remaining\\((\\d+)s\\)|\"TTL\":(\\d+),\"granted-ttl\":(\\d+)");

    private DifferentialPair pair;

    @BeforeAll
    void start() {
        pair = DifferentialPair.start("lease");
    }

    @AfterEach
    void verify() {
        pair.assertNoMismatches();
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    /** One side's run of a script: each output with the side's lease IDs named LEASE1, LEASE2, ... */
    private static final class Script {
        private final DifferentialPair.Side side;
        private final List<String> ids = new ArrayList<>();
        private final StringBuilder out = new StringBuilder();

        Script(DifferentialPair.Side side) {
            this.side = side;
        }

        /** Runs etcdctl; "$1", "$2" ... in an argument stand for this side's leases in grant order. */
        Script ctl(String... args) {
            String[] real = new String[args.length];
            for (int i = 0; i < args.length; i++) {
                real[i] = args[i];
                for (int n = ids.size(); n >= 1; n--) {
                    real[i] = real[i].replace("$" + n, ids.get(n - 1));
                }
            }
            Etcdctl.Result r = side.ctl.run(real);
            Matcher m = GRANTED.matcher(r.stdout());
            while (args.length > 1 && args[1].equals("grant") && m.find()) {
                ids.add(m.group(1) != null ? m.group(1) : String.format("%016x", Long.parseLong(m.group(2))));
            }
            out.append("$ etcdctl ").append(String.join(" ", args)).append('\n').append(named(r.toString())).append('\n');
            return this;
        }

        private String named(String text) {
            String s = text;
            for (int n = 1; n <= ids.size(); n++) {
                long id = Long.parseUnsignedLong(ids.get(n - 1), 16);
                s = s.replace(ids.get(n - 1), "LEASE" + n).replace(Long.toString(id), "LEASE" + n);
            }
            return ATTACHED.matcher(s).replaceAll(a -> Matcher.quoteReplacement(a.group(1) != null
                    ? "attached keys([" + sorted(a.group(1), " ") + "])"
                    : "\"keys\":[" + sorted(a.group(2), ",") + "]"));
        }

        private static String sorted(String list, String separator) {
            return String.join(separator, java.util.Arrays.stream(list.split(separator)).sorted().toList());
        }

        /** Checks every remaining TTL is within {@code slack} seconds below its granted TTL, then masks it. */
        String masked(long grantedTtl, long slack) {
            Matcher m = REMAINING.matcher(out);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                long remaining = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
                assertTrue(remaining <= grantedTtl && remaining >= grantedTtl - slack,
                        side.server() + ": remaining " + remaining + "s of " + grantedTtl + "s\n" + out);
                m.appendReplacement(sb, m.group(1) != null ? "remaining(<s>)" : "\"TTL\":<s>,\"granted-ttl\":$3");
            }
            m.appendTail(sb);
            return sb.toString();
        }
    }

    @Test
    @Order(1)
    void grantAttachTimeToLiveListKeepAliveAndRevoke() {
        pair.same("lease lifecycle through etcdctl", s -> new Script(s)
                .ctl("lease", "grant", "60")
                .ctl("lease", "grant", "60", "-w", "json")
                .ctl("put", "/l/b", "1", "--lease=$1")
                .ctl("put", "/l/a", "2", "--lease=$1")
                .ctl("put", "/l/c", "3", "--lease=$2", "-w", "json")
                .ctl("get", "/l/", "--prefix", "-w", "json")
                .ctl("lease", "timetolive", "$1", "--keys")
                .ctl("lease", "timetolive", "$2", "-w", "json")
                .ctl("lease", "list")
                .ctl("lease", "keep-alive", "--once", "$1")
                .ctl("lease", "keep-alive", "--once", "$2", "-w", "json")
                .ctl("put", "/l/c", "4", "--lease=$1")
                .ctl("put", "/l/c", "5", "--ignore-lease")
                .ctl("lease", "timetolive", "$1", "--keys")
                .ctl("lease", "timetolive", "$2", "--keys")
                .ctl("lease", "revoke", "$1")
                .ctl("get", "/l/", "--prefix", "-w", "json")
                .ctl("lease", "timetolive", "$1")
                .ctl("lease", "timetolive", "$1", "-w", "json")
                .ctl("lease", "keep-alive", "--once", "$1")
                .ctl("lease", "revoke", "$1")
                .ctl("lease", "revoke", "$2", "-w", "json")
                .ctl("lease", "list")
                .masked(60, 5));
    }

    @Test
    @Order(2)
    void ttlRulesAndBadInput() {
        pair.same("ttl bounds and unknown ids", s -> new Script(s)
                .ctl("lease", "grant", "1")
                .ctl("lease", "grant", "0")
                .ctl("lease", "grant", "9000000000", "-w", "json")
                .ctl("lease", "grant", "9000000001")
                .ctl("lease", "grant", "--", "-5")
                .ctl("lease", "grant", "abc")
                .ctl("lease", "timetolive", "1234")
                .ctl("lease", "timetolive", "1234", "-w", "json")
                .ctl("lease", "revoke", "1234")
                .ctl("lease", "keep-alive", "--once", "1234")
                .ctl("put", "/l/x", "v", "--lease=1234")
                .ctl("lease", "timetolive", "$1", "-w", "json")
                .ctl("lease", "revoke", "$1")
                .ctl("lease", "revoke", "$2")
                .ctl("lease", "revoke", "$3")
                .masked(2, 2));
    }

    /** A 2 s lease (the minimum) expires on both servers and deletes its keys at one revision. */
    @Test
    @Order(3)
    void expiryDeletesTheAttachedKeys() {
        pair.same("keys of an expired lease", s -> {
            Script script = new Script(s)
                    .ctl("lease", "grant", "2")
                    .ctl("put", "/e/a", "1", "--lease=$1")
                    .ctl("put", "/e/b", "2", "--lease=$1")
                    .ctl("put", "/e/keep", "3");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!s.ctl.run("get", "/e/a").stdout().isEmpty() && System.nanoTime() < deadline) {
                sleep(200);
            }
            return script.ctl("get", "/e/", "--prefix", "-w", "json")
                    .ctl("lease", "timetolive", "$1")
                    .ctl("lease", "list")
                    .masked(2, 2);
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
