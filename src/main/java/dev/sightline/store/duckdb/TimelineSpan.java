package dev.sightline.store.duckdb;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * How far the timeline looks in its next step. Events are stored roughly in time order, so a step
 * bounded in time reads only the row groups (and, within them, the vectors) its span covers: the
 * cost of a step is a few milliseconds plus the number of events, of anyone, in its span. The next
 * span is guessed from the person's density so far, with a margin; after a step that found nothing
 * it grows geometrically, so a sparse person reaches the table's edge in a few steps.
 */
final class TimelineSpan {
    private TimelineSpan() {}

    /**
     * The first step reads about one row group's worth of events (DuckDB's unit of 122,880 rows):
     * each statement costs a few milliseconds before it reads a row, so a first step much smaller
     * than that only adds steps for everyone but the busiest persons.
     */
    static final long FIRST_STEP_EVENTS = 122_880;

    /** A quarter more than the density predicts: another step costs more than a few extra rows. */
    private static final double MARGIN = 1.25;
    /** After a step that found nothing, look four times as far as has been covered so far. */
    private static final int EMPTY_GROWTH = 4;
    /** Ten thousand years: beyond any stored timestamp, far short of overflowing a long or an Instant. */
    private static final double MAX_MICROS = 10_000 * 365.25 * 86_400 * 1e6;

    /** The first step's span: {@code stepEvents} at the table's average rate, at least a second. */
    static Duration first(Duration stored, long events, long stepEvents) {
        double micros = micros(stored) * stepEvents / Math.max(1, events);
        return Duration.of((long) Math.min(Math.max(micros, 1e6), MAX_MICROS), ChronoUnit.MICROS);
    }

    /**
     * The span of the next step.
     *
     * @param covered   the time already searched from the page's start
     * @param found     the person's events found in it
     * @param lastFound how many of them the last step found
     * @param needed    the events the page still lacks (at least one)
     */
    static Duration next(Duration covered, int found, int lastFound, int needed) {
        double coveredMicros = Math.max(1, micros(covered));
        // at least half the distance so far: a burst early on must not make every later step tiny
        double guess = lastFound == 0 ? coveredMicros * EMPTY_GROWTH
                : Math.max(coveredMicros / 2, coveredMicros * needed / found * MARGIN);
        return Duration.of((long) Math.min(guess, MAX_MICROS), ChronoUnit.MICROS);
    }

    private static double micros(Duration d) {
        return d.getSeconds() * 1e6 + d.getNano() / 1e3;
    }
}
