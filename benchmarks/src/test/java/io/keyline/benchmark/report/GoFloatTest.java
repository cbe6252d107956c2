package io.keyline.benchmark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatTest {
    /** Expected strings are what Go's fmt prints for "%g" and "%4.4f". */
    @ParameterizedTest(name = "{0}: %g={1} %4.4f={2}")
    @CsvSource({
            "0.0012345, 0.0012345, 0.0012",
            "0.00001234, 1.234e-05, 0.0000",
            "12345.678, 12345.678, 12345.6780",
            "1234567.8, 1.2345678e+06, 1234567.8000",
            "1.0, 1, 1.0000",
            "0.1, 0.1, 0.1000",
            "100000, 100000, 100000.0000",
            "1000000, 1e+06, 1000000.0000"})
    void formats(double v, String g, String f) {
        assertEquals(g, GoFloat.format(v, true), "precise");
        assertEquals(f, GoFloat.format(v, false), "default");
    }
}
