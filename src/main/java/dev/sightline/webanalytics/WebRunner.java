package dev.sightline.webanalytics;

import dev.sightline.query.Dialect;
import dev.sightline.query.FilterNode;
import dev.sightline.query.Interval;
import dev.sightline.query.PropertyFilter;
import dev.sightline.query.QueryContext;
import dev.sightline.query.Sql;
import dev.sightline.query.TimeRange;
import dev.sightline.webanalytics.WebSql.Period;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the web queries from the rollups (web sessions and page views): one statement per
 * tile, never a pass that groups events by session. Sessions count in the period their start
 * falls in; page views in the period of their own time.
 */
final class WebRunner {
    private WebRunner() {}

    static Map<String, Object> run(WebQuery query, QueryContext ctx) {
        return switch (query) {
            case WebQuery.Overview q -> overview(q, ctx);
            case WebQuery.StatsTable q -> table(q, ctx);
            case WebQuery.Goals q -> goals(q, ctx);
            case WebQuery.Trends q -> trends(q, ctx);
            case WebQuery.Live q -> live(ctx);
        };
    }

    private static Period period(WebQuery q, QueryContext ctx) {
        TimeRange r = ctx.range(q.common(), Interval.DAY);
        return new Period(r.from(), r.to());
    }

    private static Map<String, Object> resolved(Period p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date_from", p.from().toString());
        m.put("date_to", p.to().toString());
        return m;
    }

    /** The sessions a period's tiles read: those starting within it (and the previous one, when compared). */
    private static Period span(Period cur, boolean compare) {
        return compare ? new Period(cur.previous().from(), cur.to()) : cur;
    }

    // ---- overview

    private static Map<String, Object> overview(WebQuery.Overview q, QueryContext ctx) {
        Period cur = period(q, ctx);
        Period prev = cur.previous();
        Period span = span(cur, q.compare());
        boolean est = WebSql.estimate(ctx, span);
        FilterNode filters = WebSql.filters(ctx, q.common());
        Sql sql = WebSql.sessions(ctx, span.from(), span.to());
        goalCte(ctx, sql, q.goal(), span, false);
        sql.add("SELECT ");
        for (Period p : List.of(cur, prev)) {
            Sql in = WebSql.within(ctx, "s.start_ts", p);
            sql.add(WebSql.distinct(ctx, est, "s.visitor") + " FILTER (WHERE ").add(in).add("), count(*) FILTER (WHERE ").add(in)
                    .add("), avg(date_diff('second', s.start_ts, s.end_ts)) FILTER (WHERE ").add(in)
                    .add("), avg(" + WebSql.BOUNCE + ") FILTER (WHERE ").add(in).add("), ");
            if (q.goal().isPresent()) {
                sql.add(WebSql.distinct(ctx, est, "s.visitor") + " FILTER (WHERE c.n > 0 AND ").add(in).add("), coalesce(sum(c.n) FILTER (WHERE ").add(in).add("), 0), ");
            } else {
                sql.add("0, 0, ");
            }
        }
        sql.add("0 FROM s");
        if (q.goal().isPresent()) sql.add(goalJoin(q.goal(), "s", false));
        sql.add(" WHERE ").add(WebSql.predicate(ctx, filters));
        double[] v = new double[12];
        boolean[] isNull = new boolean[12];
        ctx.db().query(sql, rs -> {
            for (int i = 0; i < 12; i++) {
                v[i] = rs.getDouble(i + 1);
                isNull[i] = rs.wasNull();
            }
        });
        long[] views = pageViewCounts(ctx, filters, cur, prev);
        List<Map<String, Object>> items = new ArrayList<>();
        items.add(item("visitors", "unit", v[0], v[6], false, q.compare()));
        items.add(item("views", "unit", (double) views[0], (double) views[1], false, q.compare()));
        items.add(item("sessions", "unit", v[1], v[7], false, q.compare()));
        items.add(item("session duration", "duration_s", isNull[2] ? null : v[2], isNull[8] ? null : v[8], false, q.compare()));
        items.add(item("bounce rate", "percentage", isNull[3] ? null : v[3] * 100, isNull[9] ? null : v[9] * 100, true, q.compare()));
        if (q.goal().isPresent()) {
            items.add(item("unique conversions", "unit", v[4], v[10], false, q.compare()));
            items.add(item("total conversions", "unit", v[5], v[11], false, q.compare()));
            items.add(item("conversion rate", "percentage", v[0] == 0 ? null : 100 * v[4] / v[0], v[6] == 0 ? null : 100 * v[10] / v[6],
                    false, q.compare()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", items);
        out.put("dateFrom", cur.from().toString());
        out.put("dateTo", cur.to().toString());
        out.put("visitors_estimated", est);
        out.put("resolved_date_range", resolved(cur));
        return out;
    }

    private static Map<String, Object> item(String key, String kind, Double value, Double previous, boolean increaseBad, boolean compare) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("kind", kind);
        m.put("value", kind.equals("unit") && value != null ? (Object) Math.round(value) : value);
        Object prev = compare ? (kind.equals("unit") && previous != null ? (Object) Math.round(previous) : previous) : null;
        m.put("previous", prev);
        Double change = null;
        if (compare && value != null && previous != null && previous != 0) change = (double) Math.round(100 * (value - previous) / previous);
        m.put("changeFromPreviousPct", change);
        m.put("isIncreaseBad", increaseBad);
        return m;
    }

    /** Page views in the current and previous periods, of the filtered sessions (and pages). */
    private static long[] pageViewCounts(QueryContext ctx, FilterNode filters, Period cur, Period prev) {
        Sql sql = filteredSessionKeys(ctx, filters, prev.from(), cur.to());
        sql.add("SELECT count(*) FILTER (WHERE ").add(WebSql.within(ctx, "pv.timestamp", cur)).add("), count(*) FILTER (WHERE ")
                .add(WebSql.within(ctx, "pv.timestamp", prev)).add(") FROM ");
        WebSql.pageViewsFrom(ctx, sql);
        sql.add(" WHERE ").add(WebSql.within(ctx, "pv.timestamp", new Period(prev.from(), cur.to())));
        pageConditions(ctx, sql, filters);
        long[] out = new long[2];
        ctx.db().query(sql, rs -> {
            out[0] = rs.getLong(1);
            out[1] = rs.getLong(2);
        });
        return out;
    }

    /** {@code WITH s AS (...), sf AS (keys of the filtered sessions)} when there are filters; nothing otherwise. */
    private static Sql filteredSessionKeys(QueryContext ctx, FilterNode filters, Instant from, Instant to) {
        if (filters.isEmpty()) return ctx.sql();
        Sql sql = WebSql.sessions(ctx, from.minus(WebSql.LONGEST_SESSION), to);
        return sql.add(", sf AS (SELECT s.session_key FROM s WHERE ").add(WebSql.predicate(ctx, filters)).add(")\n");
    }

    private static void pageConditions(QueryContext ctx, Sql sql, FilterNode filters) {
        if (filters.isEmpty()) return;
        sql.add(" AND pv.session_key IN (SELECT session_key FROM sf)");
        for (PropertyFilter f : WebSql.pageFilters(filters)) sql.add(" AND (").add(ctx.dialect().textPredicate(f, "pv.pathname")).add(")");
    }

    /** Custom events (names without {@code $}) have rows of their own with their session's key (store/duckdb/WebSessions). */
    private static boolean custom(String event) {
        return !event.startsWith("$");
    }

    /**
     * {@code , c AS (session_id | session_key, n)}: each session's conversions of the goal. Custom
     * events and pages come with their session's key; PostHog's own ({@code $}) events are matched
     * by session id, as hashing each one's id into the key costs more than joining on the text
     * (measured: 0.7 s against 0.2 s at 10M events), unless {@code byKey} asks for the key all the
     * same (page view rows have no id).
     */
    private static void goalCte(QueryContext ctx, Sql sql, Optional<WebQuery.Goal> goal, Period span, boolean byKey) {
        if (goal.isEmpty()) return;
        Period within = new Period(span.from(), span.to().plus(WebSql.LONGEST_SESSION));
        WebQuery.Goal g = goal.get();
        if (g.page()) {
            sql.add(", c AS (SELECT pv.session_key, count(*) AS n FROM ").from(Dialect.Relation.WEB_PAGE_VIEWS, "pv").add(" WHERE pv.pathname = ")
                    .bind(g.name()).add(" AND ").add(WebSql.within(ctx, "pv.timestamp", within)).add(" GROUP BY 1)\n");
        } else if (custom(g.name())) {
            sql.add(", c AS (SELECT ce.session_key, count(*) AS n FROM ").from(Dialect.Relation.WEB_CUSTOM_EVENTS, "ce").add(" WHERE ce.event = ")
                    .bind(g.name()).add(" AND ce.session_key IS NOT NULL AND ").add(WebSql.within(ctx, "ce.timestamp", within)).add(" GROUP BY 1)\n");
        } else {
            sql.add(", c AS (SELECT " + (byKey ? "md5_number_lower(ev.session_id) AS session_key" : "ev.session_id") + ", count(*) AS n FROM ")
                    .from(Dialect.Relation.EVENT_ROWS, "ev").add(" WHERE ev.event = ").bind(g.name()).add(" AND ev.session_id IS NOT NULL AND ")
                    .add(WebSql.within(ctx, "ev.timestamp", within)).add(" GROUP BY 1)\n");
        }
    }

    /** The join of {@link #goalCte}'s {@code c} with the session or page view row {@code alias}. */
    private static String goalJoin(Optional<WebQuery.Goal> goal, String alias, boolean byKey) {
        boolean key = byKey || goal.map(g -> g.page() || custom(g.name())).orElse(false);
        return key ? " LEFT JOIN c ON c.session_key = " + alias + ".session_key" : " LEFT JOIN c ON c.session_id = " + alias + ".session_id";
    }

    /**
     * The goals' conversions per session: {@code ck (page, g, session_key, n)} for custom events and
     * pages, {@code ci (page, g, session_id, n)} for PostHog's own events (see {@link #goalCte}).
     */
    private static void goalsCte(QueryContext ctx, Sql sql, List<String> customs, List<String> pages, List<String> own, Period span) {
        Period within = new Period(span.from(), span.to().plus(WebSql.LONGEST_SESSION));
        if (!customs.isEmpty() || !pages.isEmpty()) {
            sql.add(", ck AS (");
            if (!customs.isEmpty()) {
                sql.add("SELECT false AS page, ce.event AS g, ce.session_key, count(*) AS n FROM ").from(Dialect.Relation.WEB_CUSTOM_EVENTS, "ce")
                        .add(" WHERE ce.event IN (").bindAll(customs).add(") AND ce.session_key IS NOT NULL AND ").add(WebSql.within(ctx, "ce.timestamp", within))
                        .add(" GROUP BY 1, 2, 3");
            }
            if (!customs.isEmpty() && !pages.isEmpty()) sql.add(" UNION ALL ");
            if (!pages.isEmpty()) {
                sql.add("SELECT true AS page, pv.pathname AS g, pv.session_key, count(*) AS n FROM ").from(Dialect.Relation.WEB_PAGE_VIEWS, "pv")
                        .add(" WHERE pv.pathname IN (").bindAll(pages).add(") AND pv.session_key IS NOT NULL AND ").add(WebSql.within(ctx, "pv.timestamp", within))
                        .add(" GROUP BY 1, 2, 3");
            }
            sql.add(")\n");
        }
        if (!own.isEmpty()) {
            sql.add(", ci AS (SELECT false AS page, ev.event AS g, ev.session_id, count(*) AS n FROM ").from(Dialect.Relation.EVENT_ROWS, "ev")
                    .add(" WHERE ev.event IN (").bindAll(own).add(") AND ev.session_id IS NOT NULL AND ").add(WebSql.within(ctx, "ev.timestamp", within))
                    .add(" GROUP BY 1, 2, 3)\n");
        }
    }

    // ---- tables

    private static Map<String, Object> table(WebQuery.StatsTable q, QueryContext ctx) {
        Period cur = period(q, ctx);
        Period prev = cur.previous();
        FilterNode filters = WebSql.filters(ctx, q.common());
        boolean goal = q.goal().isPresent();
        List<String> columns = new ArrayList<>(List.of("context.columns.breakdown_value", "context.columns.visitors", "context.columns.views"));
        if (q.breakdown().hasBounce()) columns.add("context.columns.bounce_rate");
        if (goal) columns.addAll(List.of("context.columns.total_conversions", "context.columns.unique_conversions", "context.columns.conversion_rate"));
        List<Period> periods = q.compare() ? List.of(cur, prev) : List.of(cur);
        boolean est = WebSql.estimate(ctx, span(cur, q.compare()));
        Sql sql;
        // aggregate columns in pairs (current, previous): visitors, views[, bounce][, total, unique]
        int k = 0;
        if (q.breakdown() == Breakdown.PAGE) {
            Period span = span(cur, q.compare());
            if (filters.isEmpty() && !goal) {
                sql = ctx.sql();
            } else {
                sql = WebSql.sessions(ctx, span.from().minus(WebSql.LONGEST_SESSION), span.to());
                sql.add(", sf AS (SELECT s.session_key FROM s WHERE ").add(WebSql.predicate(ctx, filters)).add(")\n");
                goalCte(ctx, sql, q.goal(), new Period(span.from().minus(WebSql.LONGEST_SESSION), span.to()), true);
            }
            sql.add("SELECT pv.pathname AS v");
            for (Period p : periods) {
                Sql in = WebSql.within(ctx, "pv.timestamp", p);
                sql.add(", " + WebSql.distinct(ctx, est, WebSql.pageVisitor(ctx)) + " FILTER (WHERE ").add(in).add(") AS c" + (k++));
                sql.add(", count(*) FILTER (WHERE ").add(in).add(") AS c" + (k++));
                if (goal) {
                    sql.add(", coalesce(sum(c.n) FILTER (WHERE ").add(in).add("), 0) AS c" + (k++));
                    sql.add(", " + WebSql.distinct(ctx, est, WebSql.pageVisitor(ctx)) + " FILTER (WHERE c.n > 0 AND ").add(in).add(") AS c" + (k++));
                }
            }
            sql.add(" FROM ");
            WebSql.pageViewsFrom(ctx, sql);
            if (goal) sql.add(goalJoin(q.goal(), "pv", true));
            sql.add(" WHERE ").add(WebSql.within(ctx, "pv.timestamp", span));
            pageConditions(ctx, sql, filters);
        } else {
            Period span = span(cur, q.compare());
            sql = WebSql.sessions(ctx, span.from(), span.to());
            goalCte(ctx, sql, q.goal(), span, false);
            sql.add("SELECT s." + q.breakdown().column + " AS v");
            for (Period p : periods) {
                Sql in = WebSql.within(ctx, "s.start_ts", p);
                sql.add(", " + WebSql.distinct(ctx, est, "s.visitor") + " FILTER (WHERE ").add(in).add(") AS c" + (k++));
                sql.add(", sum(s.pageviews + s.screens) FILTER (WHERE ").add(in).add(") AS c" + (k++));
                if (q.breakdown().hasBounce()) sql.add(", avg(" + WebSql.BOUNCE + ") FILTER (WHERE ").add(in).add(") AS c" + (k++));
                if (goal) {
                    sql.add(", coalesce(sum(c.n) FILTER (WHERE ").add(in).add("), 0) AS c" + (k++));
                    sql.add(", " + WebSql.distinct(ctx, est, "s.visitor") + " FILTER (WHERE c.n > 0 AND ").add(in).add(") AS c" + (k++));
                }
            }
            sql.add(" FROM s");
            if (goal) sql.add(goalJoin(q.goal(), "s", false));
            sql.add(" WHERE ").add(WebSql.predicate(ctx, filters));
        }
        int perPeriod = 2 + (q.breakdown().hasBounce() ? 1 : 0) + (goal ? 2 : 0);
        // the current period's aggregates are c0..: visitors, views[, bounce][, total, unique]
        int bounceAt = q.breakdown().hasBounce() ? 2 : -1;
        int totalAt = goal ? (q.breakdown().hasBounce() ? 3 : 2) : -1;
        String sort = switch (q.orderBy()) {
            case VISITORS -> "c0";
            case VIEWS -> "c1";
            case BOUNCE_RATE -> "c" + bounceAt;
            case TOTAL_CONVERSIONS -> "c" + totalAt;
            case UNIQUE_CONVERSIONS -> "c" + (totalAt + 1);
            case CONVERSION_RATE -> "CAST(c" + (totalAt + 1) + " AS DOUBLE) / nullif(c0, 0)";
        };
        sql.add(" GROUP BY 1 HAVING count(*) FILTER (WHERE ");
        sql.add(q.breakdown() == Breakdown.PAGE ? WebSql.within(ctx, "pv.timestamp", cur) : WebSql.within(ctx, "s.start_ts", cur)).add(") > 0");
        sql.add(" ORDER BY " + sort + (q.ascending() ? " ASC" : " DESC") + " NULLS LAST, c1 DESC, v ASC NULLS LAST");
        sql.add(" LIMIT ").bind(q.limit() + 1).add(" OFFSET ").bind(q.offset());
        List<List<Object>> rows = new ArrayList<>();
        int n = 1 + perPeriod * periods.size();
        ctx.db().query(sql, rs -> {
            Object[] raw = new Object[n];
            for (int i = 0; i < n; i++) raw[i] = rs.getObject(i + 1);
            List<Object> row = new ArrayList<>();
            row.add(raw[0]);
            for (int c = 0; c < perPeriod; c++) {
                Object now = number(raw[1 + c]);
                Object before = periods.size() > 1 ? number(raw[1 + perPeriod + c]) : null;
                row.add(java.util.Arrays.asList(now, before));
            }
            if (goal) {
                int visitors = 0;
                int unique = perPeriod - 1;
                Object now = rate(raw[1 + unique], raw[1 + visitors]);
                Object before = periods.size() > 1 ? rate(raw[1 + perPeriod + unique], raw[1 + perPeriod + visitors]) : null;
                row.add(java.util.Arrays.asList(now, before));
            }
            rows.add(row);
        });
        boolean hasMore = rows.size() > q.limit();
        if (hasMore) rows.removeLast();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("columns", columns);
        out.put("results", rows);
        out.put("hasMore", hasMore);
        out.put("limit", q.limit());
        out.put("offset", q.offset());
        out.put("breakdownBy", q.breakdown().wire);
        out.put("visitors_estimated", est);
        out.put("resolved_date_range", resolved(cur));
        return out;
    }

    private static Object number(Object o) {
        if (o == null) return null;
        if (o instanceof Double d) return d;
        if (o instanceof Number num) return num.longValue();
        return o;
    }

    private static Object rate(Object unique, Object visitors) {
        if (unique == null || visitors == null) return null;
        double v = ((Number) visitors).doubleValue();
        return v == 0 ? null : ((Number) unique).doubleValue() / v;
    }

    // ---- goals

    private static Map<String, Object> goals(WebQuery.Goals q, QueryContext ctx) {
        Period cur = period(q, ctx);
        Period prev = cur.previous();
        List<WebQuery.Goal> goals = q.goals().isEmpty() ? topCustomEvents(ctx, cur, q.limit()) : q.goals();
        List<List<Object>> rows = new ArrayList<>();
        FilterNode filters = WebSql.filters(ctx, q.common());
        Period span = span(cur, q.compare());
        boolean est = WebSql.estimate(ctx, span);
        // every goal in one pass: each session's conversions per goal, joined to the sessions once
        Map<WebQuery.Goal, long[]> found = new java.util.HashMap<>();
        long[] all = new long[2];
        if (!goals.isEmpty()) {
            List<String> customs = goals.stream().filter(g -> !g.page() && custom(g.name())).map(WebQuery.Goal::name).toList();
            List<String> own = goals.stream().filter(g -> !g.page() && !custom(g.name())).map(WebQuery.Goal::name).toList();
            List<String> pages = goals.stream().filter(WebQuery.Goal::page).map(WebQuery.Goal::name).toList();
            Sql sql = WebSql.sessions(ctx, span.from(), span.to());
            goalsCte(ctx, sql, customs, pages, own, span);
            boolean first = true;
            for (boolean byKey : new boolean[]{true, false}) {
                if (byKey ? customs.isEmpty() && pages.isEmpty() : own.isEmpty()) continue;
                sql.add(first ? "" : " UNION ALL ").add("SELECT c.page, c.g");
                for (Period p : List.of(cur, prev)) {
                    Sql in = WebSql.within(ctx, "s.start_ts", p);
                    sql.add(", " + WebSql.distinct(ctx, est, "s.visitor") + " FILTER (WHERE ").add(in).add("), coalesce(sum(c.n) FILTER (WHERE ").add(in).add("), 0)");
                }
                sql.add(byKey ? " FROM s JOIN ck c ON c.session_key = s.session_key WHERE " : " FROM s JOIN ci c ON c.session_id = s.session_id WHERE ")
                        .add(WebSql.predicate(ctx, filters)).add(" GROUP BY 1, 2");
                first = false;
            }
            ctx.db().query(sql, rs -> found.put(new WebQuery.Goal(rs.getBoolean(1), rs.getString(2)),
                    new long[]{rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)}));
            Sql visitors = WebSql.sessions(ctx, span.from(), span.to()).add("SELECT ");
            visitors.add(WebSql.distinct(ctx, est, "s.visitor") + " FILTER (WHERE ").add(WebSql.within(ctx, "s.start_ts", cur)).add("), ")
                    .add(WebSql.distinct(ctx, est, "s.visitor") + " FILTER (WHERE ").add(WebSql.within(ctx, "s.start_ts", prev)).add(") FROM s WHERE ")
                    .add(WebSql.predicate(ctx, filters));
            ctx.db().query(visitors, rs -> {
                all[0] = rs.getLong(1);
                all[1] = rs.getLong(2);
            });
        }
        for (WebQuery.Goal goal : goals) {
            long[] v = found.getOrDefault(goal, new long[4]);
            List<Object> row = new ArrayList<>();
            row.add(goal.label());
            row.add(java.util.Arrays.asList(v[0], q.compare() ? v[2] : null));
            row.add(java.util.Arrays.asList(v[1], q.compare() ? v[3] : null));
            row.add(java.util.Arrays.asList(all[0] == 0 ? null : (double) v[0] / all[0], q.compare() && all[1] != 0 ? (double) v[2] / all[1] : null));
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("columns", List.of("context.columns.action_name", "context.columns.converting_users", "context.columns.total_conversions",
                "context.columns.conversion_rate"));
        out.put("results", rows);
        out.put("goals", goals.stream().map(g -> Map.of("kind", g.page() ? "PageConversionGoal" : "CustomEventConversionGoal",
                g.page() ? "pathname" : "customEventName", g.name())).toList());
        out.put("hasMore", false);
        out.put("visitors_estimated", est);
        out.put("resolved_date_range", resolved(cur));
        return out;
    }

    /** Without goals, the period's most frequent custom events (not PostHog's own {@code $} events). */
    private static List<WebQuery.Goal> topCustomEvents(QueryContext ctx, Period p, int limit) {
        Sql sql = ctx.sql().add("SELECT ce.event FROM ").from(Dialect.Relation.WEB_CUSTOM_EVENTS, "ce").add(" WHERE ")
                .add(WebSql.within(ctx, "ce.timestamp", p)).add(" GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ")
                .bind(Math.min(limit, 5));
        List<WebQuery.Goal> out = new ArrayList<>();
        ctx.db().query(sql, rs -> out.add(new WebQuery.Goal(false, rs.getString(1))));
        return out;
    }

    // ---- trend

    private static Map<String, Object> trends(WebQuery.Trends q, QueryContext ctx) {
        TimeRange r = ctx.range(q.common(), q.interval());
        Period cur = new Period(r.from(), r.to());
        FilterNode filters = WebSql.filters(ctx, q.common());
        Map<LocalDateTime, Integer> index = r.bucketIndex();
        List<LocalDateTime> buckets = r.buckets();
        long[] visitors = new long[buckets.size()];
        long[] sessions = new long[buckets.size()];
        Double[] bounce = new Double[buckets.size()];
        Double[] duration = new Double[buckets.size()];
        long[] views = new long[buckets.size()];
        // buckets come back as microseconds of local time read as if UTC, independent of the JVM's zone
        boolean est = WebSql.estimate(ctx, cur);
        Sql sql = WebSql.sessions(ctx, cur.from(), cur.to());
        sql.add("SELECT " + ctx.dialect().epochMicros("s.b") + ", " + WebSql.distinct(ctx, est, "s.visitor") + ", count(*), avg(" + WebSql.BOUNCE
                        + "), avg(date_diff('second', s.start_ts, s.end_ts)) FROM (SELECT ")
                .add(ctx.dialect().bucket(q.interval(), "s.start_ts", r.zone(), cur.from(), cur.to()))
                .add(" AS b, s.* FROM s WHERE ").add(WebSql.predicate(ctx, filters)).add(") s GROUP BY 1");
        ctx.db().query(sql, rs -> {
            Integer i = index.get(local(rs.getLong(1)));
            if (i == null) return;
            visitors[i] = rs.getLong(2);
            sessions[i] = rs.getLong(3);
            double b = rs.getDouble(4);
            bounce[i] = rs.wasNull() ? null : b;
            double d = rs.getDouble(5);
            duration[i] = rs.wasNull() ? null : d;
        });
        Sql pages = filteredSessionKeys(ctx, filters, cur.from(), cur.to());
        pages.add("SELECT " + ctx.dialect().epochMicros("b") + ", count(*) FROM (SELECT ")
                .add(ctx.dialect().bucket(q.interval(), "pv.timestamp", r.zone(), cur.from(), cur.to())).add(" AS b FROM ");
        WebSql.pageViewsFrom(ctx, pages);
        pages.add(" WHERE ").add(WebSql.within(ctx, "pv.timestamp", cur));
        pageConditions(ctx, pages, filters);
        pages.add(") GROUP BY 1");
        ctx.db().query(pages, rs -> {
            Integer i = index.get(local(rs.getLong(1)));
            if (i != null) views[i] = rs.getLong(2);
        });
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (WebQuery.Metric m : q.metrics()) {
                metrics.put(m.wire, switch (m) {
                    case UNIQUE_USERS -> visitors[i];
                    case PAGE_VIEWS -> views[i];
                    case SESSIONS -> sessions[i];
                    case BOUNCES -> bounce[i];
                    case SESSION_DURATION -> duration[i];
                });
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("bucket", r.day(buckets.get(i)));
            row.put("metrics", metrics);
            results.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", results);
        out.put("interval", q.interval().lower());
        out.put("visitors_estimated", est);
        out.put("resolved_date_range", resolved(cur));
        return out;
    }

    private static LocalDateTime local(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, java.time.ZoneOffset.UTC);
    }

    // ---- live

    /** The window the live counter covers. */
    static final java.time.Duration LIVE = java.time.Duration.ofMinutes(30);

    private static Map<String, Object> live(QueryContext ctx) {
        Instant since = ctx.now().minus(LIVE);
        Sql sql = ctx.sql().add("SELECT count(DISTINCT " + WebSql.pageVisitor(ctx) + "), count(*) FROM ");
        WebSql.pageViewsFrom(ctx, sql);
        sql.add(" WHERE pv.timestamp >= ").add(ctx.dialect().instant(since));
        long[] v = new long[2];
        ctx.db().query(sql, rs -> {
            v[0] = rs.getLong(1);
            v[1] = rs.getLong(2);
        });
        Map<String, Object> results = new HashMap<>();
        results.put("visitors", v[0]);
        results.put("views", v[1]);
        results.put("since", since.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", results);
        return out;
    }
}
