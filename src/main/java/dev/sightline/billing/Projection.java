package dev.sightline.billing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A month's count at its end, from the recent daily rate: the mean of the last 7 whole days of the
 * month before today (fewer early in a month); on a month's first day, today's count so far per
 * hour elapsed (at least one hour), times 24. The rate runs on from now to the month's end.
 */
final class Projection {
    static final int RATE_DAYS = 7;
    private static final double SECONDS_PER_DAY = 86_400;

    private Projection() {}

    /** Events a day at the recent rate; 0 for a month that is over or has not begun. */
    static double dailyRate(YearMonth month, Map<LocalDate, Long> byDay, Instant now) {
        Instant start = start(month);
        Instant end = start(month.plusMonths(1));
        if (!now.isAfter(start) || !now.isBefore(end)) return 0;
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(RATE_DAYS);
        if (first.isBefore(month.atDay(1))) first = month.atDay(1);
        long days = 0;
        long events = 0;
        for (LocalDate d = first; d.isBefore(today); d = d.plusDays(1)) {
            days++;
            events += byDay.getOrDefault(d, 0L);
        }
        if (days > 0) return events / (double) days;
        double elapsed = Math.max(Duration.between(today.atStartOfDay(ZoneOffset.UTC).toInstant(), now).toSeconds(), 3600);
        return byDay.getOrDefault(today, 0L) * SECONDS_PER_DAY / elapsed;
    }

    /** The count so far, plus the recent rate over the time left in the month. */
    static long atMonthEnd(YearMonth month, Map<LocalDate, Long> byDay, Instant now) {
        long soFar = byDay.values().stream().mapToLong(Long::longValue).sum();
        Instant end = start(month.plusMonths(1));
        if (!now.isBefore(end) || !now.isAfter(start(month))) return soFar;
        double daysLeft = Duration.between(now, end).toSeconds() / SECONDS_PER_DAY;
        return soFar + Math.round(dailyRate(month, byDay, now) * daysLeft);
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
