package io.keyline.benchmark.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoVarintTest {
    /** Expected bytes are Go's binary.PutVarint(make([]byte, size), i) as hex. */
    @ParameterizedTest(name = "PutVarint({0}) into {1} bytes = {2}")
    @CsvSource({
            "0, 8, 0000000000000000",
            "1, 8, 0200000000000000",
            "-1, 8, 0100000000000000",
            "63, 4, 7e000000",
            "64, 4, 80010000",
            "99999, 8, be9a0c0000000000",
            "300, 2, d804"})
    void encodes(long i, int size, String hex) {
        assertArrayEquals(java.util.HexFormat.of().parseHex(hex), GoVarint.key(i, size));
    }
}
