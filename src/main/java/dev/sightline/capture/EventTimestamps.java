package dev.sightline.capture;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When an event happened, corrected for the client's clock (PostHog's rule):
 * {@code offset} wins; else {@code timestamp - (sent_at - now)}; else the timestamp as sent; a
 * missing or unreadable timestamp is now; more than 23 hours in the future is now (ingestion warning
 * {@code event_timestamp_in_future}); before the year 0 or after 9999 is now (warning
 * {@code ignored_invalid_timestamp}), as PostHog's ingestion has it. (Its capture service put such
 * times at 1970, which its ingestion then replaced; stored here, 1970 would be a real-looking date.)
 */
public final class EventTimestamps {
    private static final Duration FUTURE_LIMIT = Duration.ofHours(23);
    private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;
    private static final Pattern SHORT_OFFSET = Pattern.compile("([+-]\\d\\d)$");
    private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-]\\d\\d)(\\d\\d)$");

    private EventTimestamps() {}

    public static Instant resolve(Optional<String> timestamp, Optional<Long> offsetMs, Optional<Instant> sentAt, Instant now) {
        return resolve(timestamp, offsetMs, sentAt, now, warning -> { });
    }

    /** @param warn hears the type of the ingestion warning, when the time is replaced by now */
    static Instant resolve(Optional<String> timestamp, Optional<Long> offsetMs, Optional<Instant> sentAt, Instant now,
                           java.util.function.Consumer<String> warn) {
        Instant ts;
        if (offsetMs.isPresent()) {
            ts = now.minusMillis(offsetMs.get());
        } else {
            Optional<Instant> parsed = timestamp.flatMap(EventTimestamps::parse);
            if (parsed.isEmpty()) {
                ts = now;
            } else if (sentAt.isPresent()) {
                Duration skew = Duration.between(now, sentAt.get());
                ts = parsed.get().minus(skew);
            } else {
                ts = parsed.get();
            }
        }
        if (ts.isAfter(now.plus(FUTURE_LIMIT))) {
            warn.accept("event_timestamp_in_future");
            return now;
        }
        if (ts.getEpochSecond() < YEAR_0 || ts.getEpochSecond() >= YEAR_10000) {
            warn.accept("ignored_invalid_timestamp");
            return now;
        }
        return ts;
    }

    /**
     * What nearly every SDK sends, {@code 2026-11-29T10:00:00.123Z}, read by hand: the formatter
     * below costs microseconds per event. Null for anything else, which the formatters then read.
     */
    private static Instant utcWithZ(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) return null;
            int value = digits(s, 20, fraction);
            if (value < 0) return null;
            nanos = value;
            for (int i = fraction; i < 9; i++) nanos *= 10;
        }
        if (day > YearMonth.of(year, month).lengthOfMonth()) return null;
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of {@code count} digits from {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** RFC 3339 first, then the looser forms clients send: "+03" zones, spaces, no zone (UTC), dates, epochs. */
    public static Optional<Instant> parse(String raw) {
        String s = raw.trim();
        if (s.isEmpty()) return Optional.empty();
        Instant utc = utcWithZ(s);
        if (utc != null) return Optional.of(utc);
        if (s.chars().allMatch(Character::isDigit) && s.length() <= 16) {
            long n = Long.parseLong(s);
            // 13 digits and up are milliseconds; fewer are seconds
            return Optional.of(s.length() >= 13 ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n));
        }
        try {
            // the common case: what every SDK sends (RFC 3339 with Z or an offset)
            return Optional.of(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException ignored) { }
        String t = s.replace(' ', 'T');
        if (t.endsWith("z")) t = t.substring(0, t.length() - 1) + "Z";
        if (COMPACT_OFFSET.matcher(t).find() && t.indexOf('T') > 0) {
            t = COMPACT_OFFSET.matcher(t).replaceFirst("$1:$2");
        } else if (SHORT_OFFSET.matcher(t).find() && t.indexOf('T') > 0 && t.lastIndexOf(':') > t.indexOf('T')) {
            t = SHORT_OFFSET.matcher(t).replaceFirst("$1:00");
        }
        try {
            return Optional.of(OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException ignored) { }
        try {
            return Optional.of(ZonedDateTime.parse(t, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant());
        } catch (DateTimeParseException ignored) { }
        try {
            return Optional.of(LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) { }
        try {
            return Optional.of(LocalDate.parse(t, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) { }
        try {
            return Optional.of(ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException ignored) { }
        return Optional.empty();
    }
}
