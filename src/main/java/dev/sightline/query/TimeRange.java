package dev.sightline.query;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A resolved date range: local wall-clock bounds in the project timezone, both inclusive (the end
 * is usually 23:59:59.999999), and the buckets of the interval that cover it.
 */
public record TimeRange(ZoneId zone, Interval interval, LocalDateTime fromLocal, LocalDateTime toLocal) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter LABEL_HOUR = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm", Locale.ENGLISH);

    public Instant from() {
        return fromLocal.atZone(zone).toInstant();
    }

    public Instant to() {
        return toLocal.atZone(zone).toInstant();
    }

    public List<LocalDateTime> buckets() {
        List<LocalDateTime> out = new ArrayList<>();
        LocalDateTime last = interval.floor(toLocal);
        for (LocalDateTime b = interval.floor(fromLocal); !b.isAfter(last); b = interval.plus(b, 1)) out.add(b);
        return out;
    }

    public Map<LocalDateTime, Integer> bucketIndex() {
        Map<LocalDateTime, Integer> m = new HashMap<>();
        List<LocalDateTime> b = buckets();
        for (int i = 0; i < b.size(); i++) m.put(b.get(i), i);
        return m;
    }

    /** The same range moved back by {@code n} intervals (compare to previous period). */
    public TimeRange shiftBack(long n) {
        return new TimeRange(zone, interval, interval.plus(fromLocal, -n), interval.plus(toLocal, -n));
    }

    public TimeRange withInterval(Interval i) {
        return new TimeRange(zone, i, fromLocal, toLocal);
    }

    public String day(LocalDateTime bucket) {
        return interval == Interval.HOUR ? HOUR.format(bucket) : DAY.format(bucket);
    }

    public String label(LocalDateTime bucket) {
        return interval == Interval.HOUR ? LABEL_HOUR.format(bucket) : LABEL.format(bucket);
    }

    /** The bucket start as an ISO date-time with the project offset, as retention rows give it. */
    public String iso(LocalDateTime bucket) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(bucket.atZone(zone).toOffsetDateTime());
    }
}
