package io.keyline.keyspace.lease;

import io.keyline.api.etcdserverpb.LeaseCheckpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseClockTest {
    private static final long S = 1_000_000_000L;
    private long now = 1_000 * S;
    private final LeaseClock clock = new LeaseClock(() -> now, 0);

    @Test
    void followersKeepNoTimeAndRenewNothing() {
        Lease l = new Lease(1, 10, 0);
        clock.granted(l);
        assertEquals(Long.MAX_VALUE, clock.remainingNanos(1));
        assertEquals(LeaseClock.Renewal.NOT_PRIMARY, clock.renew(l));
        now += 100 * S;
        assertTrue(clock.expired(10).isEmpty());
    }

    @Test
    void promoteExtendsEveryLeaseByTheExtensionPlusItsRemainingTtl() {
        clock.promote(List.of(new Lease(1, 10, 0), new Lease(2, 100, 30)), S);
        assertEquals(11 * S, clock.remainingNanos(1));
        assertEquals(31 * S, clock.remainingNanos(2), "a checkpointed lease resumes from its checkpoint");
    }

    @Test
    void leasesExpireInDeadlineOrderAndAreOfferedAgainAfterTheRetryInterval() {
        clock.promote(List.of(), 0);
        clock.granted(new Lease(1, 5, 0));
        clock.granted(new Lease(2, 3, 0));
        now += 4 * S;
        assertEquals(List.of(2L), clock.expired(10));
        assertTrue(clock.expired(10).isEmpty(), "handed out once per retry interval");
        now += 2 * S;
        assertEquals(List.of(1L), clock.expired(10));
        now += LeaseLimits.EXPIRED_RETRY_MS * 1_000_000L;
        assertEquals(List.of(2L, 1L), clock.expired(10), "not revoked yet: offered again");
        clock.revoked(1);
        clock.revoked(2);
        now += 10 * S;
        assertTrue(clock.expired(10).isEmpty());
    }

    @Test
    void expiredRespectsTheLimit() {
        clock.promote(List.of(), 0);
        for (long id = 1; id <= 10; id++) {
            clock.granted(new Lease(id, 2, 0));
        }
        now += 3 * S;
        assertEquals(4, clock.expired(4).size());
        assertEquals(6, clock.expired(100).size());
    }

    @Test
    void renewRestartsTheFullTtlUnlessExpired() {
        Lease l = new Lease(1, 10, 0);
        clock.promote(List.of(l), 0);
        now += 8 * S;
        assertEquals(LeaseClock.Renewal.RENEWED, clock.renew(l));
        assertEquals(10 * S, clock.remainingNanos(1));
        now += 11 * S;
        assertEquals(LeaseClock.Renewal.EXPIRED, clock.renew(l));
        assertEquals(LeaseClock.Renewal.NOT_FOUND, clock.renew(new Lease(2, 10, 0)));
        clock.demote();
        assertEquals(LeaseClock.Renewal.NOT_PRIMARY, clock.renew(l));
    }

    @Test
    void promoteSpreadsAPileUpOverThreeQuartersOfTheRevokeRate() {
        List<Lease> leases = new ArrayList<>();
        for (long id = 1; id <= 3000; id++) {
            leases.add(new Lease(id, 10, 0));
        }
        clock.promote(leases, 0);
        Map<Long, Integer> perSecond = new HashMap<>();
        for (long id = 1; id <= 3000; id++) {
            perSecond.merge(clock.remainingNanos(id) / S, 1, Integer::sum);
        }
        int target = 3 * LeaseLimits.REVOKE_RATE_PER_SECOND / 4;
        perSecond.values().forEach(n -> assertTrue(n <= target + 1, "at most the target per second: " + perSecond));
        assertTrue(perSecond.keySet().stream().mapToLong(Long::longValue).max().orElseThrow() <= 14, perSecond.toString());
    }

    @Test
    void checkpointsFallDueAfterTheIntervalWithTheRemainingTtlRoundedUp() {
        LeaseClock cp = new LeaseClock(() -> now, 5 * S);
        Lease lease = new Lease(1, 60, 0);
        Lease shortLease = new Lease(2, 4, 0);
        cp.promote(List.of(lease, shortLease), 0);
        now += 5 * S + S / 2;
        List<LeaseCheckpoint> due = cp.dueCheckpoints(10, id -> id == 1 ? lease : shortLease);
        assertEquals(1, due.size(), "a lease shorter than the interval is never checkpointed");
        assertEquals(55, due.get(0).getRemainingTTL());
        cp.checkpointed(lease.withRemainingTtl(55));
        now += 5 * S;
        assertEquals(50, cp.dueCheckpoints(10, id -> lease).get(0).getRemainingTTL());
    }

    @Test
    void minimumTtlFollowsEtcdsElectionRule() {
        assertEquals(2, LeaseLimits.minTtlSeconds(100, 1000));
        assertEquals(2, LeaseLimits.MIN_TTL_SECONDS);
        assertEquals(8, LeaseLimits.minTtlSeconds(500, 5000));
    }
}
