package dev.sightline.query;

import java.util.List;
import java.util.Optional;

/** A parsed, validated insight query. One record per PostHog query kind. */
public sealed interface Query {

    /** Fields every insight query shares. */
    record Common(DateRange dateRange, FilterNode properties, boolean filterTestAccounts) {}

    enum MathType {
        TOTAL, DAU, WEEKLY_ACTIVE, MONTHLY_ACTIVE, UNIQUE_SESSION, UNIQUE_GROUP,
        SUM, AVG, MIN, MAX, MEDIAN, P75, P90, P95, P99,
        AVG_COUNT_PER_ACTOR, MIN_COUNT_PER_ACTOR, MAX_COUNT_PER_ACTOR, MEDIAN_COUNT_PER_ACTOR,
        P75_COUNT_PER_ACTOR, P90_COUNT_PER_ACTOR, P95_COUNT_PER_ACTOR, P99_COUNT_PER_ACTOR,
        FIRST_TIME_FOR_USER, FIRST_MATCHING_EVENT_FOR_USER;

        public boolean needsProperty() {
            return ordinal() >= SUM.ordinal() && ordinal() <= P99.ordinal();
        }

        public boolean perActor() {
            return ordinal() >= AVG_COUNT_PER_ACTOR.ordinal() && ordinal() <= P99_COUNT_PER_ACTOR.ordinal();
        }

        /** Persons counted once, in the bucket of their first event of the series ever (PostHog's "first time for user"). */
        public boolean firstTime() {
            return this == FIRST_TIME_FOR_USER || this == FIRST_MATCHING_EVENT_FOR_USER;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An EventsNode: one event (or all events when {@code event} is empty) with its own filters.
     * {@code mathGroupTypeIndex}: the group type (0-4) whose groups {@link MathType#UNIQUE_GROUP} counts, else -1.
     */
    record Series(Optional<String> event, Optional<String> customName, MathType math, Optional<String> mathProperty,
                  FilterNode properties, int mathGroupTypeIndex) {
        Series(Optional<String> event, Optional<String> customName, MathType math, Optional<String> mathProperty, FilterNode properties) {
            this(event, customName, math, mathProperty, properties, -1);
        }

        public String label() {
            return event.orElse("All events");
        }
    }

    /** COHORT: {@link Breakdown#property} lists cohort ids (or "all") joined by commas; a person counts in each cohort they are in. */
    enum BreakdownType { EVENT, PERSON, SESSION, GROUP, COHORT }

    /** @param groupTypeIndex the group type (0-4) of a {@link BreakdownType#GROUP} breakdown, else -1 */
    record Breakdown(String property, BreakdownType type, int groupTypeIndex) {
        Breakdown(String property, BreakdownType type) {
            this(property, type, -1);
        }
    }

    /**
     * {@code more}: the further breakdowns of a TrendsQuery split by several (at most three in
     * all); each combination of values is one series.
     */
    record BreakdownFilter(Breakdown breakdown, int limit, List<Breakdown> more) {
        BreakdownFilter(Breakdown breakdown, int limit) {
            this(breakdown, limit, List.of());
        }

        boolean multiple() {
            return !more.isEmpty();
        }

        List<Breakdown> all() {
            List<Breakdown> all = new java.util.ArrayList<>(List.of(breakdown));
            all.addAll(more);
            return all;
        }
    }

    /** {@code smoothingIntervals}: each point the average of itself and the points before it, this many in all (1: none). */
    record Trends(Common common, List<Series> series, Interval interval, Optional<BreakdownFilter> breakdown,
                  List<String> formulas, Optional<String> compareTo, boolean compare, String display,
                  int smoothingIntervals) implements Query {
        Trends withoutBreakdown() {
            return new Trends(common, series, interval, Optional.empty(), formulas, compareTo, compare, display, smoothingIntervals);
        }
    }

    enum FunnelOrder { ORDERED, STRICT, UNORDERED }

    enum FunnelViz { STEPS, TIME_TO_CONVERT, TRENDS }

    enum Attribution { FIRST_TOUCH, LAST_TOUCH, ALL_EVENTS, STEP }

    record Exclusion(Series event, int fromStep, int toStep) {}

    record Funnels(Common common, List<Series> series, Interval interval, Optional<BreakdownFilter> breakdown,
                   FunnelOrder order, FunnelViz viz, long windowSeconds, List<Exclusion> exclusions,
                   Attribution attribution, int attributionStep, Optional<Integer> fromStep, Optional<Integer> toStep,
                   int binCount) implements Query {}

    record Retention(Common common, Series target, Series returning, boolean firstTime, Interval period,
                     int totalIntervals, boolean cumulative, Optional<BreakdownFilter> breakdown) implements Query {}

    record Lifecycle(Common common, Series series, Interval interval, List<String> toggled) implements Query {}

    record Stickiness(Common common, List<Series> series, Interval interval, boolean cumulative) implements Query {}

    record Events(Common common, List<String> select, Optional<String> event, List<String> orderBy, int limit,
                  int offset, Optional<String> personId) implements Query {}

    /** Who is behind one data point of an insight. */
    record Actors(Query source, Optional<String> day, Optional<String> status, Optional<Integer> series,
                  Optional<String> breakdown, Optional<Integer> funnelStep, Optional<Integer> cohort,
                  Optional<Integer> returnPeriod, int limit, int offset) implements Query {}

    record Paths(Common common, List<String> includeEventTypes, Optional<String> startPoint, Optional<String> endPoint,
                 int stepLimit, List<String> excludeEvents, int edgeLimit) implements Query {}
}
