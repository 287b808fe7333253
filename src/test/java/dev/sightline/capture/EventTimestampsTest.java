package dev.sightline.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-read common form must read exactly as the RFC 3339 formatter does, and leave the rest to it. */
class EventTimestampsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-29T10:00:00Z", "2026-11-29T10:00:00.1Z", "2026-11-29T10:00:00.123Z",
            "2026-11-29T10:00:00.123456789Z", "2024-02-29T23:59:59.999Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T10:60:00Z", "2026-11-29T10:00:60Z",
            "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-11-29T10:00:00.Z",
            "2026-11-29T10:00:00.1234567890Z", "2026-11-29T1a:00:00Z", "2026-11-29T10:00:00+02:00"})
    void readsAsTheFormatterDoes(String text) {
        Optional<Instant> formatter;
        try {
            formatter = Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            formatter = Optional.empty();
        }
        Optional<Instant> parsed = EventTimestamps.parse(text);
        assertThat(parsed).isEqualTo(formatter);
    }
}
