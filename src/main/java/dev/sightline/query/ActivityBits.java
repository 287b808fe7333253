package dev.sightline.query;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * In which intervals someone was active, as one 64-bit mask: bit k is the k-th {@code unit} after
 * {@code origin} (a bucket start). Grouping a range's events by person alone into such a mask
 * (200k groups) and then testing bits is exact and cheaper than making (bucket, person) pairs
 * distinct (1.6M groups for daily actives over 30 days); it needs at most 64 units.
 */
record ActivityBits(Interval unit, LocalDateTime origin, int size) {
    private static final int MAX = 64;

    /** The mask layout for {@code size} units from {@code origin}, if they fit in one mask. */
    static Optional<ActivityBits> of(Interval unit, LocalDateTime origin, int size) {
        return size <= MAX ? Optional.of(new ActivityBits(unit, origin, size)) : Optional.empty();
    }

    /** The one-bit mask of each row's unit (rows within {@code [from, to]}, none before origin). */
    Dialect.Fragment bit(Dialect d, String timestampColumn, ZoneId zone, Instant from, Instant to) {
        Dialect.Fragment index = d.intervalsSince(unit, origin, timestampColumn, zone, from, to);
        return new Dialect.Fragment("(CAST(1 AS UBIGINT) << CAST(" + index.text() + " AS UBIGINT))", index.params());
    }

    /**
     * Counts the masks in column {@code mask} with any of the {@code count} bits from bit
     * {@code first} set: a sum of 0/1, which costs a quarter of {@code count(*) FILTER} per bucket.
     */
    static String countAny(String mask, int first, int count) {
        long bits = (count == MAX ? -1L : (1L << count) - 1) << first;
        return "sum(CAST(" + mask + " & CAST(" + Long.toUnsignedString(bits) + " AS UBIGINT) <> 0 AS INTEGER))";
    }
}
