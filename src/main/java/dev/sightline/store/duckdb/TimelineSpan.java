package dev.sightline.store.duckdb;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * How far the timeline looks in its next step. Events are stored roughly in time order, so a step
 * bounded in time reads only the row groups (and, within them, the vectors) its span covers: the
 * cost of a step is the number of events, of anyone, in its span. The next span is guessed from
 * the person's density so far, with a margin, and at least doubles the distance covered, so a
 * sparse person reaches the table's edge in a few steps; no step reads what an earlier one read.
 */
final class TimelineSpan {
    private TimelineSpan() {}

    static final Duration FIRST = Duration.ofHours(1);

    /** A quarter more than the density predicts: another step costs more than a few extra rows. */
    private static final double MARGIN = 1.25;
    /** With nothing found yet, look four times as far as has been covered so far. */
    private static final int EMPTY_GROWTH = 4;
    /** Ten thousand years: beyond any stored timestamp, far short of overflowing a long or an Instant. */
    private static final double MAX_MICROS = 10_000 * 365.25 * 86_400 * 1e6;

    /**
     * The span of the next step.
     *
     * @param covered the time already searched from the page's start
     * @param found   the person's events found in it
     * @param needed  the events the page still lacks (at least one)
     */
    static Duration next(Duration covered, int found, int needed) {
        double coveredMicros = Math.max(1, covered.getSeconds() * 1e6 + covered.getNano() / 1e3);
        double guess = found == 0 ? coveredMicros * EMPTY_GROWTH : coveredMicros * needed / found * MARGIN;
        return Duration.of((long) Math.min(Math.max(guess, coveredMicros), MAX_MICROS), ChronoUnit.MICROS);
    }
}
