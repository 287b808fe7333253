package dev.sightline.query;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * How one SQL engine spells the pieces the runners need. Relations come back as templates in
 * which {@link #PROJECT} marks each place the project id is bound; only {@link Sql#from} prints them.
 * Every method that takes user input (keys, values) returns a {@link Fragment} whose text holds
 * only placeholders for it.
 */
public interface Dialect {
    String PROJECT = "{project}";

    enum Relation {
        /**
         * Events without the person they count as: for questions that never ask who (totals, sums,
         * breakdowns by event property), which then skip resolving merges.
         */
        EVENT_ROWS,
        /** Events with {@code person_id} = the effective person (override, else stamped, else by distinct id). */
        EVENTS,
        /** {@link #EVENTS} plus the effective person's current {@code person_properties} and {@code person_created_at}. */
        EVENTS_WITH_PERSONS,
        /** Persons: {@code id, properties, created_at, is_identified}. */
        PERSONS,
        /** {@code distinct_id, person_id}: every distinct id and the person it belongs to now. */
        DISTINCT_IDS,
        /** {@code distinct_id, person_id}: merges and splits not yet folded into the events. */
        PENDING_OVERRIDES,
        /** {@code uuid}: events stored without a person (person processing was off when they came in). */
        UNSTAMPED_EVENTS,
        /** {@code group_type_index, group_key, properties}: the project's groups. */
        GROUPS,
        /** {@code session_id, start_ts, end_ts}: each session's first and last event time, one row per session. */
        SESSION_SPANS,
        /** {@code cohort_id, distinct_id}: the distinct ids of the persons put into static cohorts. */
        STATIC_COHORT_MEMBERS,
        /**
         * Web analytics sessions, one row per session: {@code session_id, session_key, start_ts, end_ts},
         * the entry event's {@code distinct_id, person_id, entry_pathname, referring_domain, channel_type,
         * utm_source .. utm_term, browser, os, device_type, country_code, region, city, language,
         * timezone, viewport}, {@code exit_pathname} and {@code pageviews, screens, autocaptures}.
         */
        WEB_SESSIONS,
        /** {@link #WEB_SESSIONS} as the last fold left them: the same rows while no part waits (see {@link #WEB_SESSION_PARTS}). */
        WEB_SESSIONS_FOLDED,
        /** {@code session_id}: the web session parts that wait for a fold. */
        WEB_SESSION_PARTS,
        /** Page views and screens: {@code timestamp, session_key, pathname, distinct_id, person_id}. */
        WEB_PAGE_VIEWS,
        /** Custom events (names without {@code $}): {@code timestamp, session_key, event, distinct_id, person_id}. */
        WEB_CUSTOM_EVENTS
    }

    /**
     * What a project's stored events need for their effective person, looked up once per query:
     * whether merges wait to be folded into them, and whether some were stored without a person.
     * A dialect may leave out the join that either would need when the answer is no.
     */
    record Shape(boolean overridesPending, boolean unstampedEvents) {
        /** Assumes both: correct for any data, at the cost of the joins. */
        public static final Shape ANY = new Shape(true, true);
    }

    record Fragment(String text, List<Object> params) {
        public static Fragment of(String text, Object... params) {
            return new Fragment(text, List.of(params));
        }
    }

    String relation(Relation r);

    /**
     * {@link #relation(Relation)}, knowing the {@link Shape} of the project's events: a dialect may
     * leave out the join with overrides when none are pending (it reads every event's distinct id),
     * and the distinct-id lookup for events without a person when there are none.
     */
    default String relation(Relation r, Shape shape) {
        return relation(r);
    }

    /** The text value of a property key in a JSON column ({@code properties} or {@code person_properties}). */
    Fragment property(String column, String key);

    /** The whole properties of the events row {@code alias}, as JSON text, however the dialect stores them. */
    default String eventPropertiesJson(String alias) {
        return alias + ".properties";
    }

    /**
     * The text value of an event property of the events relation aliased {@code alias}: the same as
     * {@link #property} of {@code alias.properties}, read however the dialect reads it fastest.
     */
    default Fragment eventProperty(String alias, String key) {
        return property(alias + ".properties", key);
    }

    /** One property filter as a boolean predicate over a JSON column. */
    Fragment predicate(PropertyFilter filter, String column);

    /** One property filter as a boolean predicate over a column that holds the property's text value. */
    Fragment textPredicate(PropertyFilter filter, String textColumn);

    /** An instant as a timestamp value comparable with {@code timestamp}. */
    Fragment instant(Instant t);

    /** A local wall-clock time as a timestamp value comparable with {@link #localTime}. */
    Fragment local(LocalDateTime t);

    /**
     * The column's UTC timestamp as project-local wall-clock time, exact for instants within
     * {@code [from, to]} (the rows a query reads) and never moved into it from outside.
     */
    Fragment localTime(String timestampColumn, java.time.ZoneId zone, Instant from, Instant to);

    /**
     * Whole intervals from the local bucket start {@code origin} to the column's local time, as an
     * integer: the bucket's index. Exact, like {@link #localTime}, for instants within
     * {@code [from, to]} at or after {@code origin}.
     */
    Fragment intervalsSince(Interval interval, LocalDateTime origin, String timestampColumn, java.time.ZoneId zone, Instant from, Instant to);

    /** The start of the interval containing a local time expression. */
    Fragment truncate(Interval interval, Fragment localExpression);

    /**
     * The local start of the interval containing the column's time: {@link #truncate} of
     * {@link #localTime}, with the same exactness, as a dialect can compute it fastest.
     */
    default Fragment bucket(Interval interval, String timestampColumn, java.time.ZoneId zone, Instant from, Instant to) {
        return truncate(interval, localTime(timestampColumn, zone, from, to));
    }

    /** A text expression without one trailing slash (a lone "/" stays). */
    Fragment withoutTrailingSlash(Fragment text);

    /** A local time expression moved by {@code n} intervals (wall-clock arithmetic). */
    Fragment plus(Interval interval, Fragment localExpression, int n);

    /** A timestamp expression as microseconds since the epoch (local times read as if UTC). */
    String epochMicros(String expression);

    /**
     * The stand-in person of a distinct id that belongs to no person (personless traffic): a
     * stable UUID derived from the id, so its events count once per distinct id.
     */
    String standInPerson(String distinctIdExpression);

    /** A continuous percentile aggregate. */
    String percentile(String expression, double p);

    /** An estimate of the number of distinct values (HyperLogLog), for counts too large to count exactly in time. */
    default String estimatedDistinctCount(String expression) {
        return "approx_count_distinct(" + expression + ")";
    }
}
