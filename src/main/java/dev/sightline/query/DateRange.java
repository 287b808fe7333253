package dev.sightline.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dateRange} as sent: {@code date_from}, {@code date_to}, {@code explicitDate}. Resolution
 * reads absolute dates in the project timezone and relative ones ({@code -7d}, {@code -1mStart},
 * {@code mStart}, {@code all}) against "now".
 */
public record DateRange(Optional<String> dateFrom, Optional<String> dateTo, boolean explicitDate) {
    private static final Pattern RELATIVE = Pattern.compile("^(?:-(\\d+))?([hdwmqy])(Start|End)?$");
    private static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59, 999_999_000);

    public static final DateRange DEFAULT = new DateRange(Optional.empty(), Optional.empty(), false);

    /** Whether {@code s} is a value this class can read; used by the parser to name the bad field. */
    static boolean readable(String s) {
        if (s.equals("all") || RELATIVE.matcher(s).matches()) return true;
        return absolute(s, ZoneId.of("UTC")).isPresent();
    }

    /**
     * @param defaultFrom used when date_from is absent (PostHog: {@code -7d} for most insights)
     * @param earliest    the first event's instant, for {@code all}
     */
    public TimeRange resolve(ZoneId zone, Interval interval, Instant now, String defaultFrom, Supplier<Optional<Instant>> earliest) {
        LocalDateTime nowLocal = LocalDateTime.ofInstant(now, zone);
        String f = dateFrom.orElse(defaultFrom);
        LocalDateTime from;
        if (f.equals("all")) {
            from = earliest.get().map(i -> LocalDateTime.ofInstant(i, zone)).orElse(nowLocal).truncatedTo(ChronoUnit.DAYS);
        } else {
            from = point(f, zone, nowLocal, interval, true);
        }
        LocalDateTime to = dateTo.filter(s -> !s.isEmpty()).map(s -> point(s, zone, nowLocal, interval, false)).orElse(nowLocal);
        if (!explicitDate && interval != Interval.HOUR) {
            to = to.toLocalDate().atTime(END_OF_DAY);
        }
        if (to.isBefore(from)) throw new InvalidQuery("dateRange", "date_to is before date_from");
        return new TimeRange(zone, interval, from, to);
    }

    private static LocalDateTime point(String s, ZoneId zone, LocalDateTime now, Interval interval, boolean isFrom) {
        Matcher m = RELATIVE.matcher(s);
        if (m.matches()) {
            long n = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            char unit = m.group(2).charAt(0);
            String edge = m.group(3);
            LocalDateTime t = back(now, n, unit);
            if (edge != null) {
                LocalDateTime start = switch (unit) {
                    case 'h' -> t.truncatedTo(ChronoUnit.HOURS);
                    case 'd' -> t.truncatedTo(ChronoUnit.DAYS);
                    case 'w' -> Interval.WEEK.floor(t);
                    case 'm' -> Interval.MONTH.floor(t);
                    case 'q' -> t.toLocalDate().with(IsoFields.DAY_OF_QUARTER, 1).atStartOfDay();
                    default -> t.toLocalDate().withDayOfYear(1).atStartOfDay();
                };
                if (edge.equals("Start")) return start;
                LocalDateTime next = switch (unit) {
                    case 'h' -> start.plusHours(1);
                    case 'd' -> start.plusDays(1);
                    case 'w' -> start.plusWeeks(1);
                    case 'm' -> start.plusMonths(1);
                    case 'q' -> start.plusMonths(3);
                    default -> start.plusYears(1);
                };
                return next.minusNanos(1000);
            }
            if (!isFrom) return t;
            // a relative start begins at the start of its hour (hourly) or day
            return unit == 'h' || interval == Interval.HOUR ? t.truncatedTo(ChronoUnit.HOURS) : t.truncatedTo(ChronoUnit.DAYS);
        }
        return absolute(s, zone).orElseThrow(() -> new InvalidQuery(isFrom ? "dateRange.date_from" : "dateRange.date_to",
                "cannot read '" + s + "' as a date: use YYYY-MM-DD, an ISO date-time, -7d, -1mStart, mStart or all"));
    }

    /** {@code n} hours, days, weeks, months, quarters or years ({@code h d w m q y}) before {@code t}. */
    static LocalDateTime back(LocalDateTime t, long n, char unit) {
        return switch (unit) {
            case 'h' -> t.minusHours(n);
            case 'd' -> t.minusDays(n);
            case 'w' -> t.minusWeeks(n);
            case 'm' -> t.minusMonths(n);
            case 'q' -> t.minusMonths(3 * n);
            default -> t.minusYears(n);
        };
    }

    private static Optional<LocalDateTime> absolute(String s, ZoneId zone) {
        try {
            if (s.length() == 10) return Optional.of(LocalDate.parse(s).atStartOfDay());
            String iso = s.replace(' ', 'T');
            try {
                return Optional.of(OffsetDateTime.parse(iso).atZoneSameInstant(zone).toLocalDateTime());
            } catch (DateTimeParseException e) {
                return Optional.of(LocalDateTime.parse(iso));
            }
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
