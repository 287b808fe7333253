package dev.sightline.cohort;

import dev.sightline.query.FilterNode;
import dev.sightline.query.PropertyFilter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A dynamic cohort's definition: a tree of AND / OR groups whose leaves are person-property,
 * behavioural and cohort-membership criteria, each possibly negated (PostHog's {@code negation}).
 * {@link CohortParser} reads it from PostHog's filter JSON; {@link CohortSql} prints it.
 */
public sealed interface Criterion {
    boolean negated();

    /** @param any OR when true, AND otherwise */
    record Group(boolean any, List<Criterion> members, boolean negated) implements Criterion {}

    record PersonProperty(PropertyFilter filter, boolean negated) implements Criterion {}

    record InCohort(long cohortId, boolean negated) implements Criterion {}

    /**
     * Something the person did (or did not do) with one event, counted over the person's events
     * from all their distinct ids (the effective person of each event, merges and splits applied).
     *
     * @param window       "in the last {@code window}": from now minus it to now, both included
     * @param recent       stopped / restarted: the recent part of the window (seq_time_value)
     * @param count        performed_event_multiple: the count compared with {@code op}
     * @param minPeriods   regularly: at least this many of {@code totalPeriods} periods of length {@code window}
     */
    record Behavior(Kind kind, String event, FilterNode eventFilters, Window window, Window recent, CountOperator op, int count,
                    int minPeriods, int totalPeriods, boolean negated) implements Criterion {}

    /** PostHog's behavioural types ({@code value} of a behavioral filter). */
    enum Kind { PERFORMED, PERFORMED_MULTIPLE, FIRST_TIME, STOPPED, RESTARTED, REGULARLY }

    enum CountOperator { GTE, LTE, EXACT }

    /** A length of time on the project's wall clock: {@code value} {@code unit}s. */
    record Window(int value, ChronoUnit unit) {}

    /** The cohorts this criterion names, directly or through its groups. */
    default java.util.stream.Stream<Long> cohortsNamed() {
        return switch (this) {
            case Group g -> g.members().stream().flatMap(Criterion::cohortsNamed);
            case InCohort c -> java.util.stream.Stream.of(c.cohortId());
            default -> java.util.stream.Stream.empty();
        };
    }
}
