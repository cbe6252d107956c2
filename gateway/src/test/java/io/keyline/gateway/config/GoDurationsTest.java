package io.keyline.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"10m, 600000", "1s, 1000", "1m30s, 90000", "250ms, 250", "1.5h, 5400000", "0, 0"})
    void parsesGoDurations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), GoDurations.parse("--flag", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "m", "1x", "1s2", "-1s"})
    void refusesWhatGoRefusesOrANegative(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("--flag", text));
        assertEquals("invalid value \"" + text + "\" for flag --flag: time: invalid duration \"" + text + "\"", e.getMessage());
    }
}
