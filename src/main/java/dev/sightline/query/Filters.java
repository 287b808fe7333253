package dev.sightline.query;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prints filter trees and the shared event selection (event name, time range, filters) of every runner. */
final class Filters {
    private static final Pattern RELATIVE_DATE = Pattern.compile("^-?(\\d+)([hdwmy])$");

    private Filters() {}

    static String column(PropertyFilter f) {
        return f.scope() == PropertyFilter.Scope.PERSON ? "person_properties" : "properties";
    }

    /** The time span of the events a statement tests: session values are needed only for sessions with an event in it. */
    record Span(Instant from, Instant to) {}

    static void render(Sql sql, FilterNode node, Instant now) {
        render(sql, node, now, Optional.empty());
    }

    static void render(Sql sql, FilterNode node, Instant now, Optional<Span> span) {
        switch (node) {
            case FilterNode.Leaf l when l.filter().scope() == PropertyFilter.Scope.PERSON -> person(sql, absoluteDates(l.filter(), now));
            case FilterNode.Leaf l when l.filter().scope() == PropertyFilter.Scope.SESSION -> session(sql, absoluteDates(l.filter(), now), span);
            case FilterNode.Leaf l when l.filter().scope() == PropertyFilter.Scope.GROUP -> groupProperty(sql, absoluteDates(l.filter(), now));
            case FilterNode.Leaf l when l.filter().scope() == PropertyFilter.Scope.COHORT -> cohort(sql, l.filter());
            case FilterNode.Leaf l -> sql.add(sql.dialect().predicate(absoluteDates(l.filter(), now), column(l.filter())));
            case FilterNode.All a -> group(sql, a.nodes(), " AND ", now, span);
            case FilterNode.Any a -> group(sql, a.nodes(), " OR ", now, span);
        }
    }

    /**
     * A person-property filter as a test of who the event counts as: its person is among those
     * whose properties pass (each person's properties read once, not once per event); for the
     * operators that a missing property passes, events of actors without a person row pass too.
     */
    private static void person(Sql sql, PropertyFilter f) {
        sql.add("(ev.person_id IN (SELECT pf.id FROM ").from(Dialect.Relation.PERSONS, "pf")
                .add(" WHERE ").add(sql.dialect().predicate(f, "pf.properties")).add(")");
        if (f.operator().matchesMissing()) {
            sql.add(" OR ev.person_id NOT IN (SELECT pn.id FROM ").from(Dialect.Relation.PERSONS, "pn").add(")");
        }
        sql.add(")");
    }

    /**
     * Membership of the event's person in a cohort, as the cohort's relation of person ids (see
     * {@link CohortRelation}: a dynamic cohort's definition is evaluated right here, so the answer
     * follows every new event, merge and split).
     */
    private static void cohort(Sql sql, PropertyFilter f) {
        sql.add(f.operator() == PropertyFilter.Operator.NOT_IN ? "(ev.person_id NOT IN (SELECT ch.id FROM " : "(ev.person_id IN (SELECT ch.id FROM ")
                .cohort(f.cohortId(), "ch").add("))");
    }

    /**
     * A session-property filter as a test of the event's session: its session is among those whose
     * value passes, the value computed from all the session's events as a session breakdown computes
     * it ({@link Breakdowns#sessionValues}); for the operators that a missing property passes, events
     * without a session pass too. With the span of the tested events known, only the sessions
     * with an event in that span are computed (still from all their events): the others cannot
     * be any tested event's session, and at 10M events this cut a filter on an entry URL from
     * about 5.3 to 3.3 s.
     */
    private static void session(Sql sql, PropertyFilter f, Optional<Span> span) {
        // "IS TRUE" keeps the test a mark join, whose hash table is built from the sessions that
        // pass: as a plain IN, DuckDB's estimates made it hash the 2M tested events instead (+0.3 s at
        // 10M events). Without NOT in filter trees, false and NULL exclude alike.
        sql.add("((ev.session_id IN (SELECT sf.sid FROM (SELECT sv0.sid, sv0.sv AS n, CAST(sv0.sv AS VARCHAR) AS v FROM ");
        Breakdowns.sessionValues(sql, f.key(), span);
        // comparisons read the value as it is computed (a duration is a number): a cast to text and back costs 0.15 s a 3M sessions
        sql.add(" sv0) sf WHERE ").add(sql.dialect().textPredicate(f, f.operator().numeric() ? "sf.n" : "sf.v")).add(")) IS TRUE");
        if (f.operator().matchesMissing()) sql.add(" OR ev.session_id IS NULL");
        sql.add(")");
    }

    /**
     * A group-property filter as a test of the event's group of that type: the group is among those
     * whose properties pass; for the operators that a missing property passes, events without such
     * a group, or whose group has no row, pass too.
     */
    private static void groupProperty(Sql sql, PropertyFilter f) {
        String column = "ev.group_" + f.groupTypeIndex();
        sql.add("(" + column + " IN (SELECT gf.group_key FROM ").from(Dialect.Relation.GROUPS, "gf")
                .add(" WHERE gf.group_type_index = ").bind(f.groupTypeIndex()).add(" AND ").add(sql.dialect().predicate(f, "gf.properties")).add(")");
        if (f.operator().matchesMissing()) {
            sql.add(" OR " + column + " IS NULL OR " + column + " NOT IN (SELECT gn.group_key FROM ").from(Dialect.Relation.GROUPS, "gn")
                    .add(" WHERE gn.group_type_index = ").bind(f.groupTypeIndex()).add(")");
        }
        sql.add(")");
    }

    private static void group(Sql sql, java.util.List<FilterNode> nodes, String op, Instant now, Optional<Span> span) {
        FilterNode.printGroup(sql, nodes, op, n -> render(sql, n, now, span));
    }

    /** {@code is_date_before: "-7d"} means seven days before now. */
    private static PropertyFilter absoluteDates(PropertyFilter f, Instant now) {
        if (f.operator() != PropertyFilter.Operator.IS_DATE_BEFORE && f.operator() != PropertyFilter.Operator.IS_DATE_AFTER) return f;
        Matcher m = RELATIVE_DATE.matcher(f.value().asText());
        if (!m.matches()) return f;
        long n = Long.parseLong(m.group(1));
        LocalDateTime t = DateRange.back(LocalDateTime.ofInstant(now, ZoneOffset.UTC), n, m.group(2).charAt(0));
        String iso = t.truncatedTo(ChronoUnit.MICROS).toString().replace('T', ' ');
        return f.withValue(TextNode.valueOf(iso));
    }

    /** The filters a query applies to every event it reads: its own, and the project's test-account filters. */
    static FilterNode global(Query.Common common, QueryContext ctx) {
        return common.filterTestAccounts() ? FilterNode.and(common.properties(), ctx.testAccountFilters()) : common.properties();
    }

    /**
     * Appends the conditions selecting a series' events in {@code [from, to]} (both inclusive) with
     * every filter applied; the relation is aliased {@code ev}.
     */
    static void where(Sql sql, QueryContext ctx, Query.Common common, Query.Series series, Instant from, Instant to) {
        sql.add(" WHERE ev.timestamp >= ").add(sql.dialect().instant(from)).add(" AND ev.timestamp <= ").add(sql.dialect().instant(to));
        series.event().ifPresent(e -> sql.add(" AND ev.event = ").bind(e));
        FilterNode f = FilterNode.and(series.properties(), global(common, ctx));
        if (!f.isEmpty()) {
            sql.add(" AND ");
            render(sql, f, ctx.now(), Optional.of(new Span(from, to)));
        }
    }

    /** Whether reading these events needs who they count as (a person filter anywhere). */
    static boolean needsPersons(Query.Common common, QueryContext ctx, Query.Series... series) {
        if (global(common, ctx).needsWho()) return true;
        for (Query.Series s : series) if (s.properties().needsWho()) return true;
        return false;
    }

    /** The cheapest relation that answers: person properties, else who each event counts as, else plain rows. */
    static Dialect.Relation relation(boolean personProperties, boolean who) {
        return personProperties ? Dialect.Relation.EVENTS_WITH_PERSONS : who ? Dialect.Relation.EVENTS : Dialect.Relation.EVENT_ROWS;
    }
}
