package io.keyline.etcdctl.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CheckPiecesTest {
    @Test
    void keysStartWithGoZigZagVarintsAndKeepTheRestOfTheBuffer() {
        byte[] buf = new byte[4];
        Arrays.fill(buf, (byte) 7);
        assertEquals(2, PutLoad.putVarint(buf, 300));
        assertArrayEquals(new byte[] {(byte) 0xD8, 0x04, 7, 7}, buf);
        assertEquals(1, PutLoad.putVarint(buf, -1));
        assertArrayEquals(new byte[] {0x01, 0x04, 7, 7}, buf);
        byte[] wide = new byte[10];
        assertEquals(10, PutLoad.putVarint(wide, Long.MIN_VALUE));
    }

    @Test
    void timeSpentPrintsAsGoPrintsWholeSecondDurations() {
        assertEquals("0s", ProgressBar.goDuration(0));
        assertEquals("4s", ProgressBar.goDuration(4));
        assertEquals("1m0s", ProgressBar.goDuration(60));
        assertEquals("1h1m1s", ProgressBar.goDuration(3661));
    }
}
