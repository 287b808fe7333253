package dev.sightline.query;

import dev.sightline.query.Query.Lifecycle;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Lifecycle, per person, over the series' events from one interval before date_from to the end
 * of the range, without personless events: the first active interval is new if it is the
 * interval of the person's created_at, else resurrecting; a later one is returning after an
 * active interval, else resurrecting; the interval after activity without activity is dormant
 * (reported negative). An actor without a person row counts as created at its first event read.
 *
 * <p>The statuses are computed in the database ({@link #statuses}); only counts per interval and
 * status come back, or the persons of one cell for actors.
 */
final class LifecycleRunner implements Runner<Lifecycle> {
    static final List<String> STATUSES = List.of("new", "returning", "resurrecting", "dormant");

    @Override
    public Map<String, Object> run(Lifecycle q, QueryContext ctx) {
        TimeRange range = ctx.range(q.common(), q.interval());
        int n = range.buckets().size();
        Map<LocalDateTime, Integer> index = range.bucketIndex();
        Map<String, double[]> data = new LinkedHashMap<>();
        STATUSES.forEach(s -> data.put(s, new double[n]));
        Sql sql = statuses(q, ctx, range);
        sql.add("SELECT ").add(sql.dialect().epochMicros("b")).add(", status, count(*) FROM st GROUP BY 1, 2");
        ctx.db().query(sql, rs -> {
            Integer i = index.get(Shapes.localFromMicros(rs.getLong(1)));
            String status = rs.getString(2);
            if (i != null) data.get(status)[i] += status.equals("dormant") ? -rs.getLong(3) : rs.getLong(3);
        });
        List<Map<String, Object>> out = new ArrayList<>();
        for (String status : STATUSES) {
            if (!q.toggled().isEmpty() && !q.toggled().contains(status)) continue;
            Map<String, Object> action = Shapes.action(q.series(), 0);
            Map<String, Object> m = Shapes.series(range, data.get(status), q.series().label() + " - " + status, action);
            m.put("status", status);
            out.add(m);
        }
        return Map.of("results", out);
    }

    /** The persons of one bucket (and status): a statement of their ids. */
    Sql actors(Lifecycle q, QueryContext ctx, String day, Optional<String> status) {
        TimeRange range = ctx.range(q.common(), q.interval());
        LocalDateTime bucket = TrendsRunner.bucketOf(range, day);
        Sql sql = statuses(q, ctx, range);
        sql.add("SELECT p FROM st WHERE b = ").add(sql.dialect().local(bucket));
        status.ifPresent(s -> sql.add(" AND status = ").bind(s));
        return sql;
    }

    /**
     * {@code WITH ... st(p, b, status)}: a person's status in each interval {@code b} (local start)
     * of the range where it has one.
     */
    private static Sql statuses(Lifecycle q, QueryContext ctx, TimeRange range) {
        Interval interval = range.interval();
        LocalDateTime first = range.buckets().getFirst();
        LocalDateTime before = interval.plus(first, -1);
        var from = before.atZone(range.zone()).toInstant();
        var bits = ActivityBits.of(interval, before, range.buckets().size() + 1);
        if (bits.isPresent()) return statusesFromMasks(q, ctx, range, bits.get());
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        Dialect.Fragment b = d.bucket(interval, "ev.timestamp", range.zone(), from, range.to());
        sql.add("WITH pb AS (SELECT ev.person_id AS p, ").add(b).add(" AS b, min(ev.timestamp) AS m FROM ")
                .from(Dialect.Relation.EVENTS, "ev");
        Filters.where(sql, ctx, q.common(), q.series(), from, range.to());
        // created_at of the person row, joined once per person and interval rather than per event
        sql.add(" AND coalesce(ev.person_mode, 'full') <> 'propertyless' GROUP BY 1, 2)")
                .add(", act AS MATERIALIZED (SELECT pb.p, pb.b, lag(pb.b) OVER w AS prev, lead(pb.b) OVER w AS nxt,"
                        + " coalesce(pc.created_at, min(pb.m) OVER (PARTITION BY pb.p)) AS created FROM pb LEFT JOIN ")
                .from(Dialect.Relation.PERSONS, "pc").add(" ON pc.id = pb.p WINDOW w AS (PARTITION BY pb.p ORDER BY pb.b))")
                .add(", st AS (SELECT p, b, CASE WHEN prev IS NULL THEN CASE WHEN ")
                .add(d.bucket(interval, "created", range.zone(), from, range.to()))
                .add(" = b THEN 'new' ELSE 'resurrecting' END WHEN prev = ").add(d.plus(interval, new Dialect.Fragment("b", List.of()), -1))
                .add(" THEN 'returning' ELSE 'resurrecting' END AS status FROM act WHERE b >= ").add(d.local(first))
                .add(" UNION ALL SELECT p, ").add(d.plus(interval, new Dialect.Fragment("b", List.of()), 1))
                .add(", 'dormant' FROM act WHERE nxt IS NULL OR nxt <> ").add(d.plus(interval, new Dialect.Fragment("b", List.of()), 1))
                .add(") ");
        return sql;
    }

    /**
     * {@link #statuses} from one activity mask per person (bit 0: the interval before the range,
     * bit i: the range's i-th interval) instead of a row per person and interval ordered by a
     * window: at 10M events, 200k groups instead of 1.6M and no sort. In interval i, an active
     * person is new when no earlier bit is set and it was created in interval i, returning when bit
     * i-1 is set, else resurrecting; an inactive one is dormant when bit i-1 is set.
     */
    private static Sql statusesFromMasks(Lifecycle q, QueryContext ctx, TimeRange range, ActivityBits bits) {
        Interval interval = range.interval();
        LocalDateTime before = bits.origin();
        var from = before.atZone(range.zone()).toInstant();
        List<LocalDateTime> buckets = range.buckets();
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        sql.add("WITH pm AS (SELECT ev.person_id AS p, bit_or(").add(bits.bit(d, "ev.timestamp", range.zone(), from, range.to()))
                .add(") AS m, min(ev.timestamp) AS m0 FROM ").from(Dialect.Relation.EVENTS, "ev");
        Filters.where(sql, ctx, q.common(), q.series(), from, range.to());
        // created_at of the person row (else the first event read), as an interval index like the bits'
        sql.add(" AND coalesce(ev.person_mode, 'full') <> 'propertyless' GROUP BY 1)")
                .add(", pc AS (SELECT pm.p, pm.m, ")
                .add(d.intervalsSince(interval, before, "created", range.zone(), from, range.to()))
                .add(" AS ci FROM (SELECT pm.*, coalesce(pr.created_at, pm.m0) AS created FROM pm LEFT JOIN ")
                .from(Dialect.Relation.PERSONS, "pr").add(" ON pr.id = pm.p) pm)")
                .add(", iv(i, b) AS (VALUES ");
        for (int i = 1; i <= buckets.size(); i++) sql.add(i == 1 ? "(" + i + ", " : ", (" + i + ", ").add(d.local(buckets.get(i - 1))).add(")");
        sql.add("), sv AS (SELECT pc.p, iv.b, CASE"
                + " WHEN (pc.m >> CAST(iv.i AS UBIGINT)) & CAST(1 AS UBIGINT) = CAST(1 AS UBIGINT) THEN CASE"
                + " WHEN pc.m & ((CAST(1 AS UBIGINT) << CAST(iv.i AS UBIGINT)) - CAST(1 AS UBIGINT)) = CAST(0 AS UBIGINT)"
                + " THEN CASE WHEN pc.ci = iv.i THEN 'new' ELSE 'resurrecting' END"
                + " WHEN (pc.m >> CAST(iv.i - 1 AS UBIGINT)) & CAST(1 AS UBIGINT) = CAST(1 AS UBIGINT) THEN 'returning'"
                + " ELSE 'resurrecting' END"
                + " WHEN (pc.m >> CAST(iv.i - 1 AS UBIGINT)) & CAST(1 AS UBIGINT) = CAST(1 AS UBIGINT) THEN 'dormant' END AS status"
                + " FROM pc CROSS JOIN iv), st AS (SELECT p, b, status FROM sv WHERE status IS NOT NULL) ");
        return sql;
    }
}
