package io.keyline.benchmark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long MS = 1_000_000L;

    @Test
    void zeroMeansNoLimit() {
        assertNull(RateLimiter.perSecond(0));
    }

    @Test
    void slotsAreSpacedByTheInterval() {
        AtomicLong now = new AtomicLong(1000 * MS);
        RateLimiter l = new RateLimiter(100 * MS, now::get);
        assertEquals(0, l.reserve(), "the first request goes at once");
        assertEquals(100 * MS, l.reserve(), "the second waits one interval");
        assertEquals(200 * MS, l.reserve(), "the third two");
        now.addAndGet(250 * MS);
        assertEquals(50 * MS, l.reserve(), "time passing shortens the wait");
    }

    @Test
    void anIdleLimiterDoesNotSaveUpSlots() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter l = new RateLimiter(100 * MS, now::get);
        l.reserve();
        now.addAndGet(10_000 * MS);
        assertEquals(0, l.reserve());
        assertEquals(100 * MS, l.reserve(), "burst of one: the next waits again");
    }
}
