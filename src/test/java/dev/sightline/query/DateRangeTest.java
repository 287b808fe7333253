package dev.sightline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Date ranges: relative and absolute values in the project timezone (now = 2025-03-31 11:00 in New York). */
class DateRangeTest {
    static final ZoneId NY = ZoneId.of("America/New_York");
    static final Instant NOW = Instant.parse("2025-03-31T15:00:00Z");

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "-7d, -, false, day, 2025-03-24T00:00, 2025-03-31T23:59:59.999999",
            "-24h, -, false, hour, 2025-03-30T11:00, 2025-03-31T11:00",
            "mStart, -, false, day, 2025-03-01T00:00, 2025-03-31T23:59:59.999999",
            "-1mStart, -1mEnd, false, day, 2025-02-01T00:00, 2025-02-28T23:59:59.999999",
            "yStart, -, false, month, 2025-01-01T00:00, 2025-03-31T23:59:59.999999",
            "wStart, -, false, day, 2025-03-30T00:00, 2025-03-31T23:59:59.999999",
            "2025-03-01, 2025-03-09, false, day, 2025-03-01T00:00, 2025-03-09T23:59:59.999999",
            "2025-03-01, 2025-03-09, true, day, 2025-03-01T00:00, 2025-03-09T00:00",
            "2025-03-01T10:30:00Z, 2025-03-02 08:00:00, true, hour, 2025-03-01T05:30, 2025-03-02T08:00",
            "2025-03-08, 2025-03-09 05:00:00, false, hour, 2025-03-08T00:00, 2025-03-09T05:00",
    })
    void resolves(String from, String to, boolean explicit, String interval, String expectedFrom, String expectedTo) {
        DateRange r = new DateRange(Optional.ofNullable(from), Optional.ofNullable(to), explicit);
        TimeRange t = r.resolve(NY, Interval.parse(interval, "interval"), NOW, "-7d", Optional::empty);
        assertThat(t.fromLocal()).isEqualTo(LocalDateTime.parse(expectedFrom));
        assertThat(t.toLocal()).isEqualTo(LocalDateTime.parse(expectedTo));
    }

    @ParameterizedTest
    @CsvSource({"day, 8", "hour, 24", "week, 1", "month, 1"})
    void dstDayHasWallClockBuckets(String interval, int expected) {
        TimeRange t = new DateRange(Optional.of("2025-03-09"), Optional.of("2025-03-09 23:00:00"), false)
                .resolve(NY, Interval.parse(interval, "interval"), NOW, "-7d", Optional::empty);
        if (interval.equals("day")) {
            t = new DateRange(Optional.of("2025-03-02"), Optional.of("2025-03-09"), false).resolve(NY, Interval.DAY, NOW, "-7d", Optional::empty);
        }
        assertThat(t.buckets()).hasSize(expected);
        // the 23-hour day starts at 05:00 UTC and the next at 04:00 UTC
        assertThat(t.from()).isEqualTo(interval.equals("day") ? Instant.parse("2025-03-02T05:00:00Z") : Instant.parse("2025-03-09T05:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "2025-13-01", "-7x", "7d"})
    void unreadableDatesAreRefused(String value) {
        assertThat(DateRange.readable(value)).isFalse();
        assertThatThrownBy(() -> new DateRange(Optional.of(value), Optional.empty(), false).resolve(NY, Interval.DAY, NOW, "-7d", Optional::empty))
                .isInstanceOf(InvalidQuery.class);
    }
}
