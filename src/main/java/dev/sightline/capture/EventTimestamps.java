package dev.sightline.capture;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
 * missing or unreadable timestamp is now; more than 23 hours in the future is clamped to now.
 */
public final class EventTimestamps {
    private static final Duration FUTURE_LIMIT = Duration.ofHours(23);
    private static final Pattern SHORT_OFFSET = Pattern.compile("([+-]\\d\\d)$");
    private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-]\\d\\d)(\\d\\d)$");

    private EventTimestamps() {}

    public static Instant resolve(Optional<String> timestamp, Optional<Long> offsetMs, Optional<Instant> sentAt, Instant now) {
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
        if (Duration.between(now, ts).compareTo(FUTURE_LIMIT) > 0) {
            return now;
        }
        int year = ts.atOffset(ZoneOffset.UTC).getYear();
        if (year < 0 || year > 9999) {
            return Instant.EPOCH;
        }
        return ts;
    }

    /** RFC 3339 first, then the looser forms clients send: "+03" zones, spaces, no zone (UTC), dates, epochs. */
    public static Optional<Instant> parse(String raw) {
        String s = raw.trim();
        if (s.isEmpty()) return Optional.empty();
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
