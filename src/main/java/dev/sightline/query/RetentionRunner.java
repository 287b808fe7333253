package dev.sightline.query;

import dev.sightline.query.Query.Retention;
import dev.sightline.query.Query.Series;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Retention in calendar periods of the project timezone. Cohorts are the periods from date_from
 * to date_to (without a date range: the {@code totalIntervals} periods ending now). Recurring: a
 * person joins the cohort of every period in which they did the target event; first time: only
 * the period of their first target event ever. Cell k of a cohort = its members who did the
 * returning event k periods later; returns after the range's last period are not counted, so
 * those cells are 0.
 */
final class RetentionRunner implements Runner<Retention> {

    /** Cohort membership and returns, per person. */
    record Table(List<LocalDateTime> cohorts, Map<UUID, Set<Integer>> cohortsOf, Map<UUID, Set<Integer>> returnsOf,
                 Map<UUID, String> breakdownOf, TimeRange range) {}

    @Override
    public Map<String, Object> run(Retention q, QueryContext ctx) {
        Table t = table(q, ctx);
        String unit = q.period().title();
        Map<String, Set<UUID>> groups = new LinkedHashMap<>();
        if (q.breakdown().isEmpty()) {
            groups.put(null, t.cohortsOf().keySet());
        } else {
            Map<String, Set<UUID>> byValue = new HashMap<>();
            t.cohortsOf().keySet().forEach(p -> byValue.computeIfAbsent(t.breakdownOf().get(p), k -> new HashSet<>()).add(p));
            byValue.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Set<UUID>>>comparingInt(e -> -e.getValue().size()).thenComparing(Map.Entry::getKey))
                    .forEach(e -> groups.put(e.getKey(), e.getValue()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var g : groups.entrySet()) {
            for (int c = 0; c < t.cohorts().size(); c++) {
                long[] counts = counts(q, t, g.getValue(), c);
                List<Map<String, Object>> values = new ArrayList<>();
                for (int k = 0; k < counts.length; k++) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("count", counts[k]);
                    v.put("label", unit + " " + k);
                    values.add(v);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("values", values);
                row.put("label", unit + " " + c);
                row.put("date", t.range().iso(t.cohorts().get(c)));
                row.put("breakdown_value", g.getKey());
                rows.add(row);
            }
        }
        return Map.of("results", rows);
    }

    private static long[] counts(Retention q, Table t, Set<UUID> persons, int cohort) {
        long[] counts = new long[q.totalIntervals()];
        for (UUID p : persons) {
            if (!t.cohortsOf().get(p).contains(cohort)) continue;
            counts[0]++;
            Set<Integer> returns = t.returnsOf().getOrDefault(p, Set.of());
            boolean later = false;
            for (int k = q.totalIntervals() - 1; k >= 1; k--) {
                boolean now = returns.contains(cohort + k);
                later |= now;
                if (q.cumulative() ? later : now) counts[k]++;
            }
        }
        return counts;
    }

    /** Cohort {@code cohort}'s members; with {@code returnPeriod}, only those who came back in that period. */
    List<UUID> actors(Retention q, QueryContext ctx, int cohort, Optional<Integer> returnPeriod, Optional<String> breakdown) {
        Table t = table(q, ctx);
        if (cohort >= t.cohorts().size()) throw new InvalidQuery("source.interval", "there is no cohort " + cohort);
        List<UUID> out = new ArrayList<>();
        t.cohortsOf().forEach((p, cs) -> {
            if (!cs.contains(cohort)) return;
            if (breakdown.isPresent() && !breakdown.get().equals(t.breakdownOf().get(p))) return;
            if (returnPeriod.isPresent() && returnPeriod.get() > 0
                    && !t.returnsOf().getOrDefault(p, Set.of()).contains(cohort + returnPeriod.get())) return;
            out.add(p);
        });
        return out;
    }

    Table table(Retention q, QueryContext ctx) {
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
        Map<LocalDateTime, Integer> index = range.bucketIndex();
        LocalDateTime first = cohorts.getFirst();
        LocalDateTime afterLast = period.plus(cohorts.getLast(), 1);
        Instant lo = first.atZone(ctx.zone()).toInstant();
        Instant hi = afterLast.atZone(ctx.zone()).toInstant().minusNanos(1000);

        Map<UUID, Set<Integer>> cohortsOf = new HashMap<>();
        Map<UUID, String> breakdownOf = new HashMap<>();
        var bd = q.breakdown().map(Query.BreakdownFilter::breakdown);
        if (q.firstTime()) {
            // the first target event ever, with the target's filters, wherever it falls
            Sql sql = select(q, ctx, q.target(), true, "min(ev.timestamp)", bd, lo, hi);
            Filters.where(sql, ctx, q.common(), q.target(), Instant.parse("1970-01-01T00:00:00Z"), hi);
            sql.add(" GROUP BY ev.person_id");
            ctx.db().query(sql, rs -> {
                LocalDateTime local = LocalDateTime.ofInstant(Instant.EPOCH.plusNanos(rs.getLong(2) * 1000), ctx.zone());
                Integer c = index.get(period.floor(local));
                if (c == null) return;
                UUID p = (UUID) rs.getObject(1);
                cohortsOf.computeIfAbsent(p, k -> new HashSet<>()).add(c);
                if (bd.isPresent()) breakdownOf.put(p, label(rs.getString(3)));
            });
        } else {
            Map<UUID, Integer> earliest = new HashMap<>();
            Sql sql = select(q, ctx, q.target(), false, null, bd, lo, hi);
            Filters.where(sql, ctx, q.common(), q.target(), lo, hi);
            sql.add(" GROUP BY 1, 2");
            ctx.db().query(sql, rs -> {
                Integer c = index.get(Shapes.localFromMicros(rs.getLong(2)));
                if (c == null) return;
                UUID p = (UUID) rs.getObject(1);
                cohortsOf.computeIfAbsent(p, k -> new HashSet<>()).add(c);
                // a person's breakdown value comes from their earliest cohort
                if (bd.isPresent() && c <= earliest.getOrDefault(p, Integer.MAX_VALUE)) {
                    earliest.put(p, c);
                    breakdownOf.put(p, label(rs.getString(3)));
                }
            });
        }
        Map<UUID, Set<Integer>> returnsOf = new HashMap<>();
        Sql sql = select(q, ctx, q.returning(), false, null, Optional.empty(), lo, hi);
        Filters.where(sql, ctx, q.common(), q.returning(), lo, hi);
        sql.add(" GROUP BY 1, 2");
        ctx.db().query(sql, rs -> {
            Integer c = index.get(Shapes.localFromMicros(rs.getLong(2)));
            if (c != null) returnsOf.computeIfAbsent((UUID) rs.getObject(1), k -> new HashSet<>()).add(c);
        });
        return new Table(cohorts, cohortsOf, returnsOf, breakdownOf, range);
    }

    private static String label(String v) {
        return v == null ? Shapes.NULL_BREAKDOWN : v;
    }

    /** person, bucket (or an aggregate of time), and optionally the breakdown value of the earliest event. */
    private static Sql select(Retention q, QueryContext ctx, Series s, boolean firstTime, String aggregate, Optional<Query.Breakdown> bd,
                              Instant lo, Instant hi) {
        final Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        boolean persons = Filters.needsPersons(q.common(), ctx, s) || bd.map(b -> b.type() == Query.BreakdownType.PERSON).orElse(false);
        sql.add("SELECT ev.person_id, ");
        if (firstTime) {
            sql.add(d.epochMicros(aggregate));
        } else {
            Dialect.Fragment bucket = d.truncate(q.period(), d.localTime("ev.timestamp", ctx.zone(), lo, hi));
            sql.add(new Dialect.Fragment(d.epochMicros(bucket.text()), bucket.params()));
        }
        if (bd.isPresent()) {
            sql.add(", CAST(arg_min_null(");
            Breakdowns.value(sql, bd.get());
            sql.add(", ev.timestamp) AS VARCHAR)");
        }
        sql.add(" FROM ").from(Filters.relation(persons), "ev");
        if (bd.isPresent() && bd.get().type() == Query.BreakdownType.SESSION) Breakdowns.joinSessions(sql, bd.get(), ctx);
        return sql;
    }
}
