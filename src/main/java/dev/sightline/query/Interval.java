package dev.sightline.query;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** A bucket size. Buckets are computed on local (project timezone) wall-clock time; weeks start on Sunday, as PostHog's default. */
public enum Interval {
    HOUR, DAY, WEEK, MONTH;

    public static Interval parse(String s, String attr) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidQuery(attr, "interval must be one of hour, day, week, month, not '" + s + "'");
        }
    }

    public LocalDateTime floor(LocalDateTime t) {
        return switch (this) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
    }

    public LocalDateTime plus(LocalDateTime t, long n) {
        return switch (this) {
            case HOUR -> t.plusHours(n);
            case DAY -> t.plusDays(n);
            case WEEK -> t.plusWeeks(n);
            case MONTH -> t.plusMonths(n);
        };
    }

    /** Whole intervals from bucket {@code a} to bucket {@code b} (both bucket starts). */
    public long between(LocalDateTime a, LocalDateTime b) {
        return switch (this) {
            case HOUR -> ChronoUnit.HOURS.between(a, b);
            case DAY -> ChronoUnit.DAYS.between(a, b);
            case WEEK -> ChronoUnit.WEEKS.between(a, b);
            case MONTH -> ChronoUnit.MONTHS.between(a, b);
        };
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "Day", "Week": PostHog's retention period spelling. */
    public String title() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }
}
