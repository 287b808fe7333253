package dev.sightline.query;

import dev.sightline.query.Query.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paths: per person, events in time order become items ($pageview → its $current_url without a
 * trailing slash, $screen → $screen_name, other events → their name; events without one are
 * left out), split into sessions where two consecutive events are more than 30 minutes apart;
 * within a session excluded items are removed and repeats of the same item in a row collapse
 * into the first; a path starts at the first startPoint, ends at the first endPoint after it, and
 * keeps at most stepLimit items (with only an end point: the last ones before it). Edges
 * ({@code "1_/a" → "2_/b"}) count paths, busiest first. All of it runs in the database with
 * window functions; only the edges come back.
 */
final class PathsRunner implements Runner<Paths> {

    @Override
    public Map<String, Object> run(Paths q, QueryContext ctx) {
        TimeRange range = ctx.range(q.common(), Interval.DAY);
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        // each property read once per event (JSON is parsed per read)
        sql.add("WITH v0 AS (SELECT ev.person_id AS p, ev.timestamp AS ts, ev.seq AS seq, ev.event AS e, CASE ev.event WHEN '$pageview' THEN ")
                .add(d.eventProperty("ev", "$current_url"))
                .add(" WHEN '$screen' THEN ").add(d.eventProperty("ev", "$screen_name")).add(" END AS u FROM ")
                .from(Dialect.Relation.EVENTS, "ev");
        Query.Series any = new Query.Series(java.util.Optional.empty(), java.util.Optional.empty(), Query.MathType.TOTAL,
                java.util.Optional.empty(), FilterNode.NONE);
        Filters.where(sql, ctx, q.common(), any, range.from(), range.to());
        List<String> types = q.includeEventTypes();
        sql.add(" AND (FALSE");
        if (types.contains("$pageview")) sql.add(" OR ev.event = '$pageview'");
        if (types.contains("$screen")) sql.add(" OR ev.event = '$screen'");
        if (types.contains("custom_event")) sql.add(" OR ev.event NOT IN ('$pageview', '$screen')");
        sql.add(")), v AS (SELECT p, ts, seq, CASE e WHEN '$pageview' THEN ").add(d.withoutTrailingSlash(new Dialect.Fragment("u", List.of())))
                .add(" WHEN '$screen' THEN u ELSE e END AS item FROM v0)");
        // sessions: a new one after a gap of more than 30 minutes between consecutive events
        // events of the same instant keep their arrival order
        boolean excludes = !q.excludeEvents().isEmpty();
        sql.add(", g AS (SELECT p, ts, seq, item, CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > INTERVAL 30 MINUTE THEN 1 ELSE 0 END AS brk");
        // without excluded items the previous event is known in this pass: repeats collapse without another sort
        if (!excludes) sql.add(", lag(item) OVER w AS prev");
        sql.add(" FROM v WHERE item IS NOT NULL WINDOW w AS (PARTITION BY p ORDER BY ts, seq))"
                + ", s AS (SELECT *, sum(brk) OVER (PARTITION BY p ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS sess FROM g)");
        if (excludes) {
            // excluded items go only once the sessions are numbered: they still join or split sessions
            List<String> excluded = q.excludeEvents().stream().map(PathsRunner::trimSlash).toList();
            sql.add(", x AS (SELECT * FROM s WHERE item NOT IN (").bindAll(excluded).add("))")
                    .add(", k AS (SELECT p, sess, ts, seq, item FROM (SELECT *, lag(item) OVER (PARTITION BY p, sess ORDER BY ts, seq) AS prev FROM x)"
                            + " WHERE prev IS NULL OR prev <> item)");
        } else {
            // a session's first event is kept whatever came before it
            sql.add(", k AS (SELECT p, sess, ts, seq, item FROM s WHERE brk = 1 OR prev <> item)");
        }
        if (q.startPoint().isEmpty() && q.endPoint().isEmpty()) {
            // every path starts at its session's start: numbering and pairing in one pass
            sql.add(", pairs AS (SELECT row_number() OVER w AS step, item, ts, lead(item) OVER w AS next, lead(ts) OVER w AS next_ts FROM k"
                    + " WINDOW w AS (PARTITION BY p, sess ORDER BY ts, seq)), kept AS (SELECT * FROM pairs WHERE step < " + q.stepLimit() + ")");
        } else {
            startAndEnd(sql, q);
        }
        sql.add(" SELECT step, item, next, count(*), avg(").add(d.epochMicros("next_ts")).add(" - ").add(d.epochMicros("ts"))
                .add(") FROM kept WHERE next IS NOT NULL GROUP BY 1, 2, 3");

        record Edge(String source, String target, long count, double averageMillis) {}
        List<Edge> edges = new ArrayList<>();
        ctx.db().query(sql, rs -> {
            long step = rs.getLong(1);
            edges.add(new Edge(step + "_" + rs.getString(2), (step + 1) + "_" + rs.getString(3), rs.getLong(4), rs.getDouble(5) / 1000.0));
        });
        List<Map<String, Object>> out = new ArrayList<>();
        edges.stream()
                .sorted(Comparator.comparingLong((Edge e) -> -e.count()).thenComparing(e -> e.source() + "\u0000" + e.target()))
                .limit(q.edgeLimit())
                .forEach(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("source", e.source());
                    m.put("target", e.target());
                    m.put("value", e.count());
                    m.put("average_conversion_time", e.averageMillis());
                    out.add(m);
                });
        return Map.of("results", out);
    }

    /** Paths cut at a start and/or end point: {@code kept} holds each step with the next one. */
    private static void startAndEnd(Sql sql, Paths q) {
        sql.add(", n AS (SELECT p, sess, ts, item, row_number() OVER (PARTITION BY p, sess ORDER BY ts, seq) AS i FROM k)");
        // a: where the path starts; z: where it ends
        sql.add(", c AS (SELECT *, ");
        if (q.startPoint().isPresent()) sql.add("min(CASE WHEN item = ").bind(trimSlash(q.startPoint().get())).add(" THEN i END) OVER (PARTITION BY p, sess)");
        else sql.add("1");
        sql.add(" AS a FROM n), e AS (SELECT *, ");
        if (q.endPoint().isPresent()) {
            sql.add("min(CASE WHEN item = ").bind(trimSlash(q.endPoint().get())).add(" AND i >= a THEN i END) OVER (PARTITION BY p, sess)");
        } else {
            sql.add("max(i) OVER (PARTITION BY p, sess)");
        }
        sql.add(" AS z FROM c WHERE a IS NOT NULL)");
        // the steps kept: the first stepLimit from a, or with only an end point the last stepLimit up to z
        boolean fromEnd = q.endPoint().isPresent() && q.startPoint().isEmpty();
        String first = fromEnd ? "greatest(a, z - " + q.stepLimit() + " + 1)" : "a";
        sql.add(", st AS (SELECT p, sess, ts, item, i - " + first + " + 1 AS step FROM e WHERE z IS NOT NULL AND i >= " + first
                + " AND i <= least(z, " + first + " + " + q.stepLimit() + " - 1))");
        sql.add(", kept AS (SELECT step, item, ts, lead(item) OVER w AS next, lead(ts) OVER w AS next_ts FROM st WINDOW w AS (PARTITION BY p, sess ORDER BY step))");
    }

    static String trimSlash(String url) {
        if (url == null) return null;
        return url.length() > 1 && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
