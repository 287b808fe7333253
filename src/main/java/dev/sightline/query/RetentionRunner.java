package dev.sightline.query;

import dev.sightline.query.Query.Retention;
import dev.sightline.query.Query.Series;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Retention in calendar periods of the project timezone. Cohorts are the periods from date_from
 * to date_to (without a date range: the {@code totalIntervals} periods ending now). Recurring: a
 * person joins the cohort of every period in which they did the target event; first time: only
 * the period of their first target event ever. Cell k of a cohort = its members who did the
 * returning event k periods later (cumulative: k or more periods later); returns after the
 * range's last period are not counted, so those cells are 0. With a breakdown, a person's value
 * is the one on their earliest target event of the range (first time: their first ever).
 *
 * <p>Everything is counted in the database: two relations, {@code t(p, c, bd)} (cohort
 * memberships) and {@code r(p, b)} (periods with a return), and one aggregate over their join;
 * only the cells come back.
 */
final class RetentionRunner implements Runner<Retention> {

    /** The cohort periods, the date range they cover, and its first and last instants. */
    private record Plan(List<LocalDateTime> cohorts, TimeRange range, Instant lo, Instant hi) {}

    @Override
    public Map<String, Object> run(Retention q, QueryContext ctx) {
        Plan plan = plan(q, ctx);
        Map<LocalDateTime, Integer> index = plan.range().bucketIndex();
        int total = q.totalIntervals();
        Map<String, long[][]> cells = new HashMap<>();
        Map<String, Long> size = new HashMap<>();
        boolean breakdown = q.breakdown().isPresent();
        boolean byCohort = breakdown && q.breakdown().get().breakdown().type() == Query.BreakdownType.COHORT;
        Sql sql = memberships(q, ctx, plan);
        sql.add("SELECT 0, bd, ").add(sql.dialect().epochMicros("c")).add(", 0, count(*) FROM t GROUP BY 2, 3");
        if (q.cumulative()) {
            // a return k or more periods later counts in every cell up to k
            sql.add(" UNION ALL SELECT 1, bd, ").add(sql.dialect().epochMicros("c")).add(", ").add(sql.dialect().epochMicros("m"))
                    .add(", count(*) FROM (SELECT t.bd, t.c, max(r.b) AS m FROM t JOIN r ON r.p = t.p AND r.b > t.c GROUP BY t.p, t.bd, t.c) GROUP BY 2, 3, 4");
        } else {
            sql.add(" UNION ALL SELECT 1, t.bd, ").add(sql.dialect().epochMicros("t.c")).add(", ").add(sql.dialect().epochMicros("r.b"))
                    .add(", count(*) FROM t JOIN r ON r.p = t.p AND r.b > t.c GROUP BY 2, 3, 4");
        }
        if (breakdown) sql.add(" UNION ALL SELECT 2, bd, 0, 0, count(DISTINCT p) FROM t GROUP BY 2");
        ctx.db().query(sql, rs -> {
            int kind = rs.getInt(1);
            String bd = breakdown ? label(rs.getString(2)) : null;
            if (kind == 2) {
                size.put(bd, rs.getLong(5));
                return;
            }
            Integer c = index.get(Shapes.localFromMicros(rs.getLong(3)));
            if (c == null) return;
            long[][] table = cells.computeIfAbsent(bd, k -> new long[plan.cohorts().size()][total]);
            long n = rs.getLong(5);
            if (kind == 0) {
                table[c][0] += n;
                return;
            }
            Integer r = index.get(Shapes.localFromMicros(rs.getLong(4)));
            if (r == null) return;
            int k = r - c;
            if (q.cumulative()) {
                for (int i = 1; i <= Math.min(k, total - 1); i++) table[c][i] += n;
            } else if (k >= 1 && k < total) {
                table[c][k] += n;
            }
        });
        List<String> groups = new ArrayList<>(cells.keySet());
        if (breakdown) groups.sort(Comparator.<String>comparingLong(g -> -size.getOrDefault(g, 0L)).thenComparing(Comparator.naturalOrder()));
        if (groups.isEmpty() && !breakdown) groups.add(null);
        String unit = q.period().title();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String g : groups) {
            long[][] table = cells.getOrDefault(g, new long[plan.cohorts().size()][total]);
            for (int c = 0; c < plan.cohorts().size(); c++) {
                List<Map<String, Object>> values = new ArrayList<>();
                for (int k = 0; k < total; k++) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("count", table[c][k]);
                    v.put("label", unit + " " + k);
                    values.add(v);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("values", values);
                row.put("label", unit + " " + c);
                row.put("date", plan.range().iso(plan.cohorts().get(c)));
                row.put("breakdown_value", g);
                // cohorts side by side: each group says which cohort it is (its value stays the id)
                if (byCohort && g != null) row.put("breakdown_label", Breakdowns.cohortLabel(ctx, g));
                rows.add(row);
            }
        }
        return Map.of("results", rows);
    }

    /** Cohort {@code cohort}'s members; with {@code returnPeriod}, only those who came back in that period. */
    ActorsRunner.Ids actors(Retention q, QueryContext ctx, int cohort, Optional<Integer> returnPeriod, Optional<String> breakdown) {
        Plan plan = plan(q, ctx);
        if (cohort >= plan.cohorts().size()) throw new InvalidQuery("source.interval", "there is no cohort " + cohort);
        Sql sql = memberships(q, ctx, plan);
        Dialect d = sql.dialect();
        LocalDateTime c = plan.cohorts().get(cohort);
        sql.add(breakdown.isEmpty() ? "SELECT DISTINCT t.p" : "SELECT DISTINCT t.p, t.bd").add(" FROM t WHERE t.c = ").add(d.local(c));
        if (returnPeriod.isPresent() && returnPeriod.get() > 0) {
            sql.add(" AND EXISTS (SELECT 1 FROM r WHERE r.p = t.p AND r.b = ").add(d.local(q.period().plus(c, returnPeriod.get()))).add(")");
        }
        // a breakdown value is matched by its label, which is made here, so those members are picked here
        if (breakdown.isEmpty()) return new ActorsRunner.Ids.Select(sql);
        List<UUID> out = new ArrayList<>();
        ctx.db().query(sql, rs -> {
            if (breakdown.get().equals(label(rs.getString(2)))) out.add((UUID) rs.getObject(1));
        });
        return new ActorsRunner.Ids.Listed(out);
    }

    private static Plan plan(Retention q, QueryContext ctx) {
        Interval period = q.period();
        TimeRange range;
        if (q.common().dateRange().dateFrom().isEmpty()) {
            TimeRange end = q.common().dateRange().resolve(ctx.zone(), period, ctx.now(), "-0d", ctx::earliestEvent);
            LocalDateTime last = period.floor(end.toLocal());
            range = new TimeRange(ctx.zone(), period, period.plus(last, -(q.totalIntervals() - 1)), end.toLocal());
        } else {
            range = ctx.range(q.common(), period);
        }
        List<LocalDateTime> cohorts = range.buckets();
        Instant lo = cohorts.getFirst().atZone(ctx.zone()).toInstant();
        Instant hi = period.plus(cohorts.getLast(), 1).atZone(ctx.zone()).toInstant().minusNanos(1000);
        return new Plan(cohorts, range, lo, hi);
    }

    /**
     * {@code WITH t(p, c, bd), r(p, b)}: each person's cohort periods (local period starts) with
     * their breakdown value, and the periods of the range in which they returned.
     */
    private static Sql memberships(Retention q, QueryContext ctx, Plan plan) {
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        var bd = q.breakdown().map(Query.BreakdownFilter::breakdown);
        // cohorts side by side: a person is in each cohort they belong to, not only in one value
        boolean byCohort = bd.isPresent() && bd.get().type() == Query.BreakdownType.COHORT;
        Series target = q.target();
        sql.add("WITH ");
        if (q.firstTime()) {
            // the first target event ever, with the target's filters, wherever it falls
            sql.add("f AS (SELECT ev.person_id AS p, min(ev.timestamp) AS ft, ");
            if (byCohort) sql.add("cbd.v");
            else breakdownValue(sql, bd);
            sql.add(" AS bd FROM ").from(Dialect.Relation.EVENTS, "ev");
            bd.ifPresent(b -> Breakdowns.join(sql, b));
            Filters.where(sql, ctx, q.common(), target, Instant.parse("1970-01-01T00:00:00Z"), plan.hi());
            sql.add(byCohort ? " GROUP BY 1, 3), t" : " GROUP BY 1), t AS MATERIALIZED (SELECT p, ").add(d.bucket(q.period(), "ft", ctx.zone(), plan.lo(), plan.hi()))
                    .add(" AS c, bd FROM f WHERE ft >= ").add(d.instant(plan.lo())).add(")");
        } else {
            sql.add("t0 AS MATERIALIZED (SELECT ev.person_id AS p, ").add(bucket(q, ctx, plan)).add(" AS c, min(ev.timestamp) AS m, ");
            if (byCohort) sql.add("CAST(cbd.v AS VARCHAR)");
            else breakdownValue(sql, bd);
            sql.add(" AS v FROM ").from(Dialect.Relation.EVENTS, "ev");
            bd.ifPresent(b -> Breakdowns.join(sql, b));
            Filters.where(sql, ctx, q.common(), target, plan.lo(), plan.hi());
            sql.add(byCohort ? " GROUP BY 1, 2, 4), t AS MATERIALIZED (" : " GROUP BY 1, 2), t AS MATERIALIZED (");
            if (bd.isPresent() && !byCohort) {
                sql.add("SELECT t0.p, t0.c, b.bd FROM t0 JOIN (SELECT p, arg_min_null(v, m) AS bd FROM t0 GROUP BY p) b ON b.p = t0.p)");
            } else {
                sql.add("SELECT p, c, v AS bd FROM t0)");
            }
        }
        Series returning = q.returning();
        if (!q.firstTime() && returning.event().equals(target.event()) && returning.properties().equals(target.properties())) {
            // returning = target (the common "came back and did it again"): the periods are already known
            return sql.add(byCohort ? ", r AS (SELECT DISTINCT p, c AS b FROM t0) " : ", r AS (SELECT p, c AS b FROM t0) ");
        }
        sql.add(", r AS (SELECT DISTINCT ev.person_id AS p, ").add(bucket(q, ctx, plan)).add(" AS b FROM ")
                .from(Dialect.Relation.EVENTS, "ev");
        Filters.where(sql, ctx, q.common(), returning, plan.lo(), plan.hi());
        // only cohort members' returns matter: filtering first keeps the distinct small
        sql.add(" AND ev.person_id IN (SELECT p FROM t)) ");
        return sql;
    }

    private static Dialect.Fragment bucket(Retention q, QueryContext ctx, Plan plan) {
        Dialect d = ctx.dialect();
        return d.bucket(q.period(), "ev.timestamp", ctx.zone(), plan.lo(), plan.hi());
    }

    /** The breakdown value of a person's earliest event in the group, or NULL without a breakdown. */
    private static void breakdownValue(Sql sql, Optional<Query.Breakdown> bd) {
        if (bd.isEmpty()) {
            sql.add("CAST(NULL AS VARCHAR)");
            return;
        }
        sql.add("CAST(arg_min_null(");
        Breakdowns.value(sql, bd.get());
        sql.add(", ev.timestamp) AS VARCHAR)");
    }

    private static String label(String v) {
        return v == null ? Shapes.NULL_BREAKDOWN : v;
    }
}
