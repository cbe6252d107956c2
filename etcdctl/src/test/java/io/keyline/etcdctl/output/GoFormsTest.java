package io.keyline.etcdctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyline.etcdctl.GoDuration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Go text forms etcdctl prints, checked against values Go itself produces. */
class GoFormsTest {
    @ParameterizedTest(name = "{0}ns -> {1}")
    @CsvSource({"0,0s", "999,999ns", "1500,1.5µs", "1334402,1.334402ms", "1500000000,1.5s",
            "90000000000,1m30s", "3600000000000,1h0m0s", "3723500000000,1h2m3.5s"})
    void durationString(long nanos, String go) {
        assertEquals(go, GoDuration.format(Duration.ofNanos(nanos)));
    }

    @ParameterizedTest(name = "{0} -> {1}ns")
    @CsvSource({"5s,5000000000", "2s,2000000000", "1m30s,90000000000", "500ms,500000000", "1.5h,5400000000000", "0,0"})
    void durationFlag(String flag, long nanos) {
        assertEquals(nanos, GoDuration.parse(flag).toNanos());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5,5 B", "999,999 B", "1500,1.5 kB", "20480,20 kB", "20500,20 kB", "21500,22 kB", "1000000,1.0 MB"})
    void humanizeBytes(long size, String go) {
        assertEquals(go, Humanize.bytes(size));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"abc|\"abc\"", "a\"b|\"a\\\"b\"", "tab\there|\"tab\\there\"",
            "héllo ☃|\"héllo ☃\"", "\u00a0|\"\\u00a0\""})
    void quote(String in, String go) {
        assertEquals(go, GoText.quote(in));
    }

    @org.junit.jupiter.api.Test
    void quoteInvalidUtf8AndHex() {
        byte[] b = {'a', (byte) 0xff, 'b'};
        assertEquals("\"a\\xffb\"", GoText.quote(b));
        assertEquals("\"\\x01\"", GoText.quote("\u0001"));
        assertEquals("\\x61\\xff", new String(GoText.hexEscaped(new byte[] {'a', (byte) 0xff}), StandardCharsets.US_ASCII));
    }
}
