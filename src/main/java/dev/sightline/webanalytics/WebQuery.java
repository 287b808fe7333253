package dev.sightline.webanalytics;

import dev.sightline.query.Interval;
import dev.sightline.query.Query;
import java.util.List;
import java.util.Optional;

/** A parsed, validated web analytics query: one record per PostHog web query kind (and the live counter). */
sealed interface WebQuery {
    Query.Common common();

    /** A conversion goal: an event by name, or a page by pathname. */
    record Goal(boolean page, String name) {
        String label() {
            return page ? "Visited " + name : name;
        }
    }

    record Overview(Query.Common common, boolean compare, Optional<Goal> goal) implements WebQuery {}

    /** {@code orderBy}: the column to sort by, descending unless {@code ascending}. */
    record StatsTable(Query.Common common, boolean compare, Breakdown breakdown, Optional<Goal> goal, Column orderBy,
                      boolean ascending, int limit, int offset) implements WebQuery {}

    record Goals(Query.Common common, boolean compare, List<Goal> goals, int limit) implements WebQuery {}

    record Trends(Query.Common common, Interval interval, List<Metric> metrics) implements WebQuery {}

    /** Visitors and page views of the last 30 minutes (not a PostHog kind: PostHog's page runs SQL for it). */
    record Live(Query.Common common) implements WebQuery {}

    enum Column { VISITORS, VIEWS, BOUNCE_RATE, TOTAL_CONVERSIONS, UNIQUE_CONVERSIONS, CONVERSION_RATE }

    enum Metric {
        UNIQUE_USERS("UniqueUsers"), PAGE_VIEWS("PageViews"), SESSIONS("Sessions"), BOUNCES("Bounces"),
        SESSION_DURATION("SessionDuration");

        final String wire;

        Metric(String wire) {
            this.wire = wire;
        }
    }
}
