package dev.sightline.webanalytics;

import dev.sightline.query.Dialect;
import dev.sightline.query.FilterNode;
import dev.sightline.query.PropertyFilter;
import dev.sightline.query.QueryContext;
import dev.sightline.query.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL pieces every web tile shares: the sessions in play with their effective visitor, the
 * filters as predicates over them, and the periods. Only column names of {@link Breakdown} and
 * fixed text reach SQL; every value is bound.
 */
final class WebSql {
    private WebSql() {}

    /**
     * A session starts at most this long before its last page view: posthog-js rotates session
     * ids after 24 hours, so page views in a period belong to sessions starting no earlier.
     */
    static final Duration LONGEST_SESSION = Duration.ofHours(24);

    /** A period's bounds, both inclusive. */
    record Period(Instant from, Instant to) {
        /** The period of the same length just before. */
        Period previous() {
            Duration length = Duration.between(from, to);
            Instant prevTo = from.minusNanos(1000);
            return new Period(prevTo.minus(length), prevTo);
        }
    }

    /**
     * {@code WITH s AS (...)}: the project's sessions that started within {@code [from, to]} and had
     * a page view or screen, with {@code visitor}: the person the entry event's distinct id
     * belongs to now (a merge after the fact included), else the person stamped on it (personless
     * events carry a stand-in derived from their distinct id), else one derived from the distinct id.
     */
    static Sql sessions(QueryContext ctx, Instant from, Instant to) {
        // while no part waits for a fold (the common case between folds), the rows are read as they are, without merging
        Sql probe = ctx.sql().add("SELECT EXISTS (SELECT 1 FROM ").from(Dialect.Relation.WEB_SESSION_PARTS, "wp").add(")");
        boolean[] waiting = {true};
        ctx.db().query(probe, rs -> waiting[0] = rs.getBoolean(1));
        Dialect.Relation rows = waiting[0] ? Dialect.Relation.WEB_SESSIONS : Dialect.Relation.WEB_SESSIONS_FOLDED;
        Sql sql = ctx.sql().add("WITH s AS (SELECT ws.*, ");
        if (ctx.shape().overridesPending()) {
            sql.add("coalesce(o.person_id, ws.person_id, " + ctx.dialect().standInPerson("ws.distinct_id") + ") AS visitor FROM ").from(rows, "ws")
                    .add(" LEFT JOIN ").from(Dialect.Relation.PENDING_OVERRIDES, "o").add(" ON o.distinct_id = ws.distinct_id");
        } else {
            sql.add("coalesce(ws.person_id, " + ctx.dialect().standInPerson("ws.distinct_id") + ") AS visitor FROM ").from(rows, "ws");
        }
        return sql.add(" WHERE ws.pageviews + ws.screens > 0 AND ws.start_ts >= ").add(ctx.dialect().instant(from))
                .add(" AND ws.start_ts <= ").add(ctx.dialect().instant(to)).add(")\n");
    }

    /** The effective visitor of a page view row {@code pv} (see {@link #sessions}), and the join it needs. */
    static String pageVisitor(QueryContext ctx) {
        String standIn = ctx.dialect().standInPerson("pv.distinct_id");
        return ctx.shape().overridesPending() ? "coalesce(o.person_id, pv.person_id, " + standIn + ")" : "coalesce(pv.person_id, " + standIn + ")";
    }

    static Sql pageViewsFrom(QueryContext ctx, Sql sql) {
        sql.from(Dialect.Relation.WEB_PAGE_VIEWS, "pv");
        if (ctx.shape().overridesPending()) sql.add(" LEFT JOIN ").from(Dialect.Relation.PENDING_OVERRIDES, "o").add(" ON o.distinct_id = pv.distinct_id");
        return sql;
    }

    /** The query's filters and, with filterTestAccounts, the project's test-account filters. */
    static FilterNode filters(QueryContext ctx, dev.sightline.query.Query.Common common) {
        return common.filterTestAccounts() ? FilterNode.and(common.properties(), ctx.testAccountFilters()) : common.properties();
    }

    /** The filters as one predicate over the session row {@code s}: "TRUE" when there are none. */
    static Sql predicate(QueryContext ctx, FilterNode node) {
        Sql sql = ctx.sql();
        if (node.isEmpty()) return sql.add("TRUE");
        switch (node) {
            case FilterNode.All a -> join(ctx, sql, a.nodes(), " AND ");
            case FilterNode.Any a -> join(ctx, sql, a.nodes(), " OR ");
            case FilterNode.Leaf l -> leaf(ctx, sql, l.filter());
        }
        return sql;
    }

    private static void join(QueryContext ctx, Sql sql, List<FilterNode> nodes, String op) {
        sql.add("(");
        boolean first = true;
        for (FilterNode n : nodes) {
            if (n.isEmpty()) continue;
            if (!first) sql.add(op);
            sql.add(predicate(ctx, n));
            first = false;
        }
        sql.add(")");
    }

    private static void leaf(QueryContext ctx, Sql sql, PropertyFilter f) {
        if (f.scope() == PropertyFilter.Scope.PERSON) {
            // personless visitors have no profile: they pass only the filters that a missing property passes
            sql.add("coalesce((SELECT ").add(ctx.dialect().predicate(f, "p.properties")).add(" FROM ").from(Dialect.Relation.PERSONS, "p")
                    .add(" WHERE p.id = s.visitor), " + f.operator().matchesMissing() + ")");
            return;
        }
        Breakdown b = Breakdown.byKey(f.key()).orElseThrow(() -> new dev.sightline.query.InvalidQuery("properties",
                "web analytics filters by its dimensions only: '" + f.key() + "' is not one of them"));
        if (b == Breakdown.PAGE) {
            sql.add("s.session_key IN (SELECT pf.session_key FROM ").from(Dialect.Relation.WEB_PAGE_VIEWS, "pf").add(" WHERE ")
                    .add(ctx.dialect().textPredicate(f, "pf.pathname")).add(")");
        } else {
            sql.add("(").add(ctx.dialect().textPredicate(f, "s." + b.column)).add(")");
        }
    }

    /**
     * The page filters of a plain AND of filters (what the web app's chips make), which also narrow
     * the page views counted to those pages; in an OR they only select sessions.
     */
    static List<PropertyFilter> pageFilters(FilterNode node) {
        List<PropertyFilter> out = new ArrayList<>();
        switch (node) {
            case FilterNode.Leaf l -> {
                if (l.filter().scope() != PropertyFilter.Scope.PERSON && Breakdown.byKey(l.filter().key()).orElse(null) == Breakdown.PAGE) {
                    out.add(l.filter());
                }
            }
            case FilterNode.All a -> a.nodes().forEach(n -> out.addAll(pageFilters(n)));
            case FilterNode.Any a -> { }
        }
        return out;
    }

    /**
     * Visitors are counted exactly while a query's periods hold at most this many page views, and
     * estimated above (HyperLogLog, within about 2%: PostHog's {@code uniq} estimates as well): an
     * exact distinct count of a month of a busy site's visitors costs most of a second on two
     * cores, the estimate a tenth of it (docs/benchmarks.md, bench/run web).
     */
    static final long EXACT_PAGE_VIEWS = 200_000;

    /** Whether the visitors of {@code span} are to be estimated: one count of its page views, read from their time column. */
    static boolean estimate(QueryContext ctx, Period span) {
        Sql sql = ctx.sql().add("SELECT count(*) FROM ").from(Dialect.Relation.WEB_PAGE_VIEWS, "pv").add(" WHERE ").add(within(ctx, "pv.timestamp", span));
        long[] n = new long[1];
        ctx.db().query(sql, rs -> n[0] = rs.getLong(1));
        return n[0] > EXACT_PAGE_VIEWS;
    }

    /** The distinct count of {@code expression}: exact, or estimated (see {@link #EXACT_PAGE_VIEWS}). */
    static String distinct(QueryContext ctx, boolean estimate, String expression) {
        return estimate ? ctx.dialect().estimatedDistinctCount(expression) : "count(DISTINCT " + expression + ")";
    }

    /** {@code s.start_ts} within a period, as SQL. */
    static Sql within(QueryContext ctx, String column, Period p) {
        return ctx.sql().add("(" + column + " >= ").add(ctx.dialect().instant(p.from())).add(" AND " + column + " <= ")
                .add(ctx.dialect().instant(p.to())).add(")");
    }

    /** PostHog's bounce rule over a session row (NULL: no page view, screen or autocapture, left out of the rate). */
    static final String BOUNCE = "CASE WHEN s.pageviews + s.screens + s.autocaptures = 0 THEN NULL "
            + "ELSE CAST(NOT (s.pageviews + s.screens + s.autocaptures > 1 OR date_diff('second', s.start_ts, s.end_ts) >= "
            + BounceRule.DURATION_SECONDS + ") AS DOUBLE) END";
}
