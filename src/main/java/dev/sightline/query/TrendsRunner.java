package dev.sightline.query;

import dev.sightline.query.Query.MathType;
import dev.sightline.query.Query.Series;
import dev.sightline.query.Query.Trends;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trends: per series, the events of the range passing every filter, bucketed by interval in the
 * project timezone and aggregated by the series' math; optionally split by one breakdown
 * property (top {@code breakdown_limit} values by event count, the rest as "other"), combined by
 * formulas, and compared with the previous period. The cumulative display adds each bucket to
 * the ones before it; unique persons then count each person once, in the first bucket they
 * appear in, so a point is everyone seen from the start of the range up to it.
 */
final class TrendsRunner implements Runner<Trends> {

    /** One computed line: series index, breakdown label (null without breakdown), rank, data per bucket. */
    record Line(int series, String breakdown, long rank, double[] data) {}

    @Override
    public Map<String, Object> run(Trends q, QueryContext ctx) {
        TimeRange range = ctx.range(q.common(), q.interval());
        List<Map<String, Object>> results = new ArrayList<>(shape(q, range, lines(q, ctx, range)));
        if (q.compare()) {
            results.forEach(r -> { r.put("compare", true); r.put("compare_label", "current"); });
            TimeRange previous = previous(q, range);
            List<Map<String, Object>> prev = shape(q, previous, lines(q, ctx, previous));
            prev.forEach(r -> { r.put("compare", true); r.put("compare_label", "previous"); });
            results.addAll(prev);
        }
        cohortLabels(q, ctx, results);
        return Map.of("results", results);
    }

    /** A breakdown by cohorts is labelled with the cohorts' names; its breakdown_value stays the id. */
    private static void cohortLabels(Trends q, QueryContext ctx, List<Map<String, Object>> results) {
        if (q.breakdown().isEmpty() || q.breakdown().get().breakdown().type() != Query.BreakdownType.COHORT || TrendsBreakdowns.multiple(q)) return;
        for (Map<String, Object> r : results) {
            if (!(r.get("breakdown_value") instanceof String v)) continue;
            r.put("label", Breakdowns.cohortLabel(ctx, v));
        }
    }

    static TimeRange previous(Trends q, TimeRange range) {
        if (q.compareTo().isEmpty()) return range.shiftBack(range.buckets().size());
        String s = q.compareTo().get();
        long n = Long.parseLong(s.substring(1, s.length() - 1));
        char u = s.charAt(s.length() - 1);
        java.util.function.UnaryOperator<LocalDateTime> back = t -> DateRange.back(t, n, u);
        return new TimeRange(range.zone(), range.interval(), back.apply(range.fromLocal()), back.apply(range.toLocal()));
    }

    private List<Map<String, Object>> shape(Trends q, TimeRange range, List<Line> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!q.formulas().isEmpty()) {
            for (String text : q.formulas()) {
                Formula f = Formula.parse(text, q.series().size());
                Set<String> breakdowns = new LinkedHashSet<>();
                Map<String, double[]> byKey = new HashMap<>();
                for (Line l : lines) {
                    breakdowns.add(l.breakdown());
                    byKey.put(l.series() + "\u0000" + l.breakdown(), l.data());
                }
                int n = range.buckets().size();
                for (String b : breakdowns) {
                    double[] data = new double[n];
                    for (int i = 0; i < n; i++) {
                        int bucket = i;
                        data[i] = f.eval(s -> {
                            double[] d = byKey.get(s + "\u0000" + b);
                            return d == null ? 0.0 : d[bucket];
                        });
                    }
                    Map<String, Object> m = Shapes.series(range, data, b != null ? TrendsBreakdowns.shownLabel(q, b) : "Formula (" + text + ")", null);
                    if (aggregated(q)) asAggregate(m, data[0]);
                    if (b != null) m.put("breakdown_value", TrendsBreakdowns.shownValue(q, b));
                    out.add(m);
                }
            }
            return out;
        }
        for (Line l : lines) {
            Series s = q.series().get(l.series());
            String label = l.breakdown() != null ? TrendsBreakdowns.shownLabel(q, l.breakdown()) : s.customName().orElse(s.label());
            Map<String, Object> m = Shapes.series(range, l.data(), label, Shapes.action(s, l.series()));
            if (aggregated(q)) asAggregate(m, l.data()[0]);
            if (l.breakdown() != null) m.put("breakdown_value", TrendsBreakdowns.shownValue(q, l.breakdown()));
            out.add(m);
        }
        return out;
    }

    List<Line> lines(Trends q, QueryContext ctx, TimeRange range) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < q.series().size(); i++) {
            // as PostHog: smoothed per bucket first, then added up for the cumulative line
            List<Line> lines = aggregated(q) ? series(q, ctx, range, i) : smoothed(series(q, ctx, range, i), q.smoothingIntervals());
            out.addAll(cumulative(q) ? runningTotals(lines) : lines);
        }
        return out;
    }

    /** Each point as the average of itself and the points before it, {@code n} in all (fewer at the start), rounded down. */
    private static List<Line> smoothed(List<Line> lines, int n) {
        if (n <= 1) return lines;
        List<Line> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            double[] data = new double[l.data().length];
            double window = 0;
            for (int i = 0; i < data.length; i++) {
                window += l.data()[i];
                if (i >= n) window -= l.data()[i - n];
                data[i] = Math.floor(window / Math.min(i + 1, n));
            }
            out.add(new Line(l.series(), l.breakdown(), l.rank(), data));
        }
        return out;
    }

    /** Whether this math looks back over a rolling window longer than one bucket. */
    private static int activeWindowDays(MathType math, Interval interval) {
        int days = switch (math) {
            case WEEKLY_ACTIVE -> 7;
            case MONTHLY_ACTIVE -> 30;
            default -> 0;
        };
        if (days == 0 || interval == Interval.MONTH || interval == Interval.WEEK && days == 7) return 0;
        return days;
    }

    /**
     * The rows every math aggregates, aliased {@code y}: {@code b} (bucket start, local) or
     * {@code lt} (local time, rolling maths), {@code label}, {@code rn}, {@code person_id},
     * {@code unit}, {@code val}.
     */
    private static void asAggregate(Map<String, Object> m, double value) {
        m.put("aggregated_value", Shapes.number(value));
        m.put("count", value);
        m.put("data", List.of());
        m.put("days", List.of());
        m.put("labels", List.of());
    }

    /** Displays that show one number per series for the whole range (PostHog's aggregated displays). */
    static boolean aggregated(Trends q) {
        return java.util.Set.of("BoldNumber", "ActionsPie", "ActionsBarValue", "ActionsTable", "WorldMap").contains(q.display());
    }

    /** PostHog's cumulative line: every point is the running total from the start of the range. */
    static boolean cumulative(Trends q) {
        return q.display().equals("ActionsLineGraphCumulative");
    }

    /**
     * Unique persons on a cumulative line: each person once, in their first bucket (PostHog's rule
     * for dau); the series then gives each bucket's newcomers, which the line adds up.
     */
    private static boolean firstBucketOnly(Trends q, Series s) {
        return cumulative(q) && (s.math() == MathType.DAU || s.math() == MathType.UNIQUE_GROUP);
    }

    /** Each line's data as running totals. */
    private static List<Line> runningTotals(List<Line> lines) {
        List<Line> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            double[] data = l.data().clone();
            for (int i = 1; i < data.length; i++) data[i] += data[i - 1];
            out.add(new Line(l.series(), l.breakdown(), l.rank(), data));
        }
        return out;
    }

    /** Whether the series' math asks who did the events (else a person-free relation answers). */
    private static boolean countsPersons(Series s) {
        return s.math() == MathType.DAU || s.math() == MathType.WEEKLY_ACTIVE || s.math() == MathType.MONTHLY_ACTIVE || s.math().perActor();
    }

    private static Sql rows(Trends q, QueryContext ctx, TimeRange range, Series s, int windowDays) {
        return rows(q, ctx, range, s, windowDays, countsPersons(s));
    }

    private static Sql rows(Trends q, QueryContext ctx, TimeRange range, Series s, int windowDays, boolean who) {
        Sql sql = ctx.sql();
        var bd = q.breakdown();
        // with a breakdown x is read twice (ranking, then counting): computed once; but additive
        // maths read it once, through their per-bucket counts (materializing 2M rows cost 0.25 s)
        boolean additive = s.math() == MathType.TOTAL || s.math() == MathType.SUM;
        events(sql, q, ctx, range, s, windowDays, who, bd.isPresent() && !additive, Optional.empty());
        if (bd.isEmpty()) {
            // nothing to rank: one line
            return sql.add(", y AS (SELECT x.*, 1 AS rn, x.bd AS label FROM x) ");
        }
        sql.add(", r AS (SELECT bd, row_number() OVER (ORDER BY count(*) DESC, bd) AS rn FROM x GROUP BY bd)")
                .add(", y AS (SELECT x.*, r.rn AS rn, CASE WHEN r.rn <= ").bind(bd.map(Query.BreakdownFilter::limit).orElse(1))
                .add(" THEN x.bd ELSE ").add(TrendsBreakdowns.other(q)).add(" END AS label FROM x JOIN r ON r.bd = x.bd) ");
        return sql;
    }

    /**
     * {@code WITH x AS (...)}: the series' events with {@code b} (bucket start, local), {@code lt}
     * (local time, rolling maths) or {@code m} (the row's bit of {@code bits}), {@code bd} (the
     * breakdown value, '' without one), {@code person_id}, {@code unit} (the session or group that
     * unique_session / unique_group count), {@code val}.
     */
    private static void events(Sql sql, Trends q, QueryContext ctx, TimeRange range, Series s, int windowDays, boolean who,
                               boolean materialized, Optional<ActivityBits> bits) {
        Dialect d = sql.dialect();
        var bd = q.breakdown();
        who = who || Filters.needsPersons(q.common(), ctx, s) || TrendsBreakdowns.anyPerson(q);
        var from = windowDays > 0 ? range.fromLocal().minusDays(windowDays).atZone(range.zone()).toInstant() : range.from();
        sql.add(materialized ? "WITH x AS MATERIALIZED (SELECT " : "WITH x AS (SELECT ");
        if (bits.isPresent()) sql.add(bits.get().bit(d, "ev.timestamp", range.zone(), from, range.to())).add(" AS m");
        else if (windowDays > 0) sql.add(d.localTime("ev.timestamp", range.zone(), from, range.to())).add(" AS lt");
        else if (aggregated(q)) sql.add(d.local(range.buckets().getFirst())).add(" AS b");
        else sql.add(d.bucket(range.interval(), "ev.timestamp", range.zone(), from, range.to())).add(" AS b");
        sql.add(", ");
        if (bd.isPresent()) {
            TrendsBreakdowns.breakdownValue(sql, q);
        } else {
            sql.add("''");
        }
        sql.add(" AS bd, ev.person_id AS person_id, ");
        // unit: what unique_session and unique_group count; only the maths that need them pay for JSON reads
        if (s.math() == MathType.UNIQUE_SESSION) {
            sql.add("coalesce(ev.session_id, ").add(d.eventProperty("ev", "$session_id")).add(")");
        } else if (s.math() == MathType.UNIQUE_GROUP) {
            // the index is 0-4, checked by the parser; events without a group of that type have none
            sql.add("nullif(ev.group_" + s.mathGroupTypeIndex() + ", '')");
        } else {
            sql.add("CAST(NULL AS VARCHAR)");
        }
        sql.add(" AS unit, ");
        if (s.mathProperty().isPresent() && s.math().needsProperty()) {
            sql.add("TRY_CAST(").add(d.eventProperty("ev", s.mathProperty().get())).add(" AS DOUBLE)");
        } else {
            sql.add("CAST(NULL AS DOUBLE)");
        }
        sql.add(" AS val FROM ").from(Filters.relation(false, who), "ev");
        TrendsBreakdowns.breakdownJoins(sql, q, Optional.of(new Filters.Span(from, range.to())));
        Filters.where(sql, ctx, q.common(), s, from, range.to());
        sql.add(")");
    }

    /**
     * The mask layout for counting active persons per bucket, when it applies: persons (not
     * sessions) per bucket of a chart, at most 64 bits. Rolling weekly/monthly actives on a daily
     * chart use day bits from {@code windowDays} days before the first bucket.
     */
    private static Optional<ActivityBits> activityBits(Trends q, Series s, TimeRange range, int windowDays) {
        boolean actives = s.math() == MathType.DAU || s.math() == MathType.WEEKLY_ACTIVE || s.math() == MathType.MONTHLY_ACTIVE;
        if (!actives || aggregated(q) || windowDays > 0 && range.interval() != Interval.DAY) return Optional.empty();
        LocalDateTime first = range.buckets().getFirst();
        return ActivityBits.of(range.interval(), range.interval().plus(first, -windowDays), range.buckets().size() + windowDays);
    }

    /**
     * Active persons per bucket from one mask per person (per person and value with an event or
     * session breakdown): values ranked by event count as elsewhere, tail values folded into
     * "other" by OR-ing each person's masks, so that someone seen under several counts once.
     */
    private List<Line> activePersons(Trends q, QueryContext ctx, TimeRange range, int index, int windowDays, ActivityBits bits) {
        Series s = q.series().get(index);
        Sql sql = ctx.sql();
        var bd = q.breakdown();
        boolean byPerson = TrendsBreakdowns.personValue(q);
        // a person's value is read once per person, after the grouping
        Trends rowsQuery = byPerson ? q.withoutBreakdown() : q;
        events(sql, rowsQuery, ctx, range, s, windowDays, true, false, Optional.of(bits));
        if (bd.isEmpty()) {
            sql.add(", lm AS (SELECT '' AS label, 1 AS rn, person_id, bit_or(m) AS m FROM x GROUP BY person_id) ");
        } else {
            if (byPerson) {
                sql.add(", pm AS (SELECT person_id, bit_or(m) AS m, count(*) AS c FROM x GROUP BY person_id)")
                        .add(", pv AS MATERIALIZED (SELECT ev.person_id, ");
                TrendsBreakdowns.breakdownValue(sql, q);
                sql.add(" AS bd, ev.m, ev.c FROM pm ev");
                Breakdowns.join(sql, bd.get().breakdown());
                sql.add(")");
            } else {
                sql.add(", pv AS MATERIALIZED (SELECT person_id, bd, bit_or(m) AS m, count(*) AS c FROM x GROUP BY person_id, bd)");
            }
            int limit = bd.get().limit();
            sql.add(", r AS (SELECT bd, row_number() OVER (ORDER BY sum(c) DESC, bd) AS rn FROM pv GROUP BY bd)")
                    .add(", lv AS (SELECT CASE WHEN r.rn <= ").bind(limit).add(" THEN pv.bd ELSE ").add(TrendsBreakdowns.other(q))
                    .add(" END AS label, least(r.rn, ").bind(limit + 1).add(") AS rn, pv.person_id, pv.m FROM pv JOIN r ON r.bd = pv.bd)");
            // a person has one value of their own; event values can put them under several tail values
            sql.add(byPerson ? ", lm AS (SELECT * FROM lv) " : ", lm AS (SELECT label, min(rn) AS rn, person_id, bit_or(m) AS m FROM lv GROUP BY label, person_id) ");
        }
        int n = range.buckets().size();
        boolean firstBucketOnly = firstBucketOnly(q, s);
        sql.add("SELECT label, min(rn)");
        // bucket i: active on its own unit, or (rolling) on any of the windowDays days up to it, or
        // (cumulative unique persons) on any unit from the first bucket up to it
        for (int i = 0; i < n; i++) {
            sql.add(", ").add(windowDays > 0 ? ActivityBits.countAny("m", i + 1, windowDays)
                    : firstBucketOnly ? ActivityBits.countAny("m", 0, i + 1) : ActivityBits.countAny("m", i, 1));
        }
        sql.add(" FROM lm WHERE person_id IS NOT NULL GROUP BY label");
        Map<String, double[]> data = new LinkedHashMap<>();
        Map<String, Long> rank = new HashMap<>();
        ctx.db().query(sql, rs -> {
            double[] row = new double[n];
            for (int i = 0; i < n; i++) row[i] = rs.getLong(3 + i);
            String label = TrendsBreakdowns.label(rs, 1);
            data.put(label, row);
            rank.put(label, rs.getLong(2));
        });
        if (firstBucketOnly) {
            // the masks counted everyone seen up to each bucket: per bucket, those seen first there
            for (double[] row : data.values()) {
                for (int i = n - 1; i > 0; i--) row[i] -= row[i - 1];
            }
        }
        return lines(q, index, n, data, rank);
    }

    private List<Line> series(Trends q, QueryContext ctx, TimeRange range, int index) {
        Series s = q.series().get(index);
        // a whole-range number of weekly/monthly actives is the range's distinct persons
        int windowDays = aggregated(q) ? 0 : activeWindowDays(s.math(), range.interval());
        if (s.math().firstTime()) {
            Sql sql = firstTimes(q, ctx, range, s);
            sql.add("SELECT ").add(sql.dialect().epochMicros("b")).add(", label, min(rn), count(*) FROM y GROUP BY 1, 2");
            return readLines(q, ctx, range, index, sql);
        }
        Optional<ActivityBits> bits = activityBits(q, s, range, windowDays);
        if (bits.isPresent()) return activePersons(q, ctx, range, index, windowDays, bits.get());
        boolean personValues = TrendsBreakdowns.personValue(q);
        boolean personUniques = personValues && windowDays == 0
                && (s.math() == MathType.DAU || s.math() == MathType.WEEKLY_ACTIVE || s.math() == MathType.MONTHLY_ACTIVE);
        // a person has one value: pairs (bucket, person) are made distinct before their value is joined
        Sql sql = personUniques
                ? rows(q.withoutBreakdown(),
                        ctx, range, s, 0, true)
                : rows(q, ctx, range, s, windowDays);
        Dialect d = sql.dialect();
        List<LocalDateTime> buckets = range.buckets();
        if (personUniques) {
            int limit = q.breakdown().get().limit();
            // (on a cumulative line, each person only in their first bucket)
            sql.add(firstBucketOnly(q, s) ? ", d1 AS (SELECT min(b) AS b, person_id, count(*) AS c FROM x GROUP BY person_id)"
                    : ", d1 AS (SELECT b, person_id, count(*) AS c FROM x GROUP BY 1, 2)").add(", d0 AS MATERIALIZED (SELECT ev.b, ev.c, ");
            TrendsBreakdowns.breakdownValue(sql, q);
            sql.add(" AS bd FROM d1 ev");
            Breakdowns.join(sql, q.breakdown().get().breakdown());
            sql.add("), r AS (SELECT bd, row_number() OVER (ORDER BY sum(c) DESC, bd) AS rn FROM d0 GROUP BY bd)"
                    + " SELECT ").add(d.epochMicros("d0.b")).add(", CASE WHEN r.rn <= ").bind(limit).add(" THEN d0.bd ELSE ").add(TrendsBreakdowns.other(q))
                    .add(" END AS label, min(r.rn), count(*) FROM d0 JOIN r ON r.bd = d0.bd GROUP BY 1, 2");
        } else if (windowDays > 0) {
            // Each active (person, day or hour) a counts for the buckets a .. a + span. One person's
            // coverage is cut into disjoint pieces (up to the next active unit), so counting pieces
            // that cover a bucket counts persons: +1 where a piece starts, -1 after it ends, summed over time.
            boolean hourly = range.interval() == Interval.HOUR;
            String unit = hourly ? "hour" : "day";
            int span = hourly ? windowDays * 24 - 1 : windowDays - 1;
            sql.add(", pd AS (SELECT DISTINCT person_id, label, rn, date_trunc('" + unit + "', lt) AS a FROM y)"
                    + ", pc AS (SELECT label, rn, a, least(a + INTERVAL " + span + " " + unit + ", coalesce(lead(a) OVER (PARTITION BY person_id, label ORDER BY a)"
                    + " - INTERVAL 1 " + unit + ", a + INTERVAL " + span + " " + unit + ")) AS e FROM pd)"
                    + " SELECT ").add(d.epochMicros("t")).add(", label, min(rn), sum(n) FROM (SELECT label, rn, a AS t, 1 AS n FROM pc"
                    + " UNION ALL SELECT label, rn, e + INTERVAL 1 " + unit + ", -1 FROM pc) GROUP BY 1, 2");
        } else if (s.math() == MathType.DAU || s.math() == MathType.WEEKLY_ACTIVE || s.math() == MathType.MONTHLY_ACTIVE
                || s.math() == MathType.UNIQUE_SESSION || s.math() == MathType.UNIQUE_GROUP) {
            // distinct first, then count: much faster than count(DISTINCT) per group
            String who = s.math() == MathType.UNIQUE_SESSION || s.math() == MathType.UNIQUE_GROUP ? "unit" : "person_id";
            if (firstBucketOnly(q, s)) {
                // each person (group) once: in their first bucket (per value, and once more in "other")
                if (q.breakdown().isEmpty()) {
                    sql.add("SELECT ").add(d.epochMicros("b")).add(", '', 1, count(*) FROM (SELECT " + who + ", min(b) AS b FROM x"
                            + " WHERE " + who + " IS NOT NULL GROUP BY " + who + ") GROUP BY 1");
                } else {
                    int limit = q.breakdown().get().limit();
                    sql.add(", d0 AS (SELECT bd, " + who + " AS w, min(b) AS b FROM x WHERE " + who + " IS NOT NULL GROUP BY bd, " + who + ")"
                            + " SELECT ").add(d.epochMicros("b")).add(", label, min(rn), count(*) FROM (SELECT label, w, min(b) AS b, min(rn) AS rn FROM"
                            + " (SELECT d0.b, CASE WHEN r.rn <= ").bind(limit).add(" THEN d0.bd ELSE ").add(TrendsBreakdowns.other(q))
                            .add(" END AS label, least(r.rn, ").bind(limit + 1).add(") AS rn, d0.w FROM d0 JOIN r ON r.bd = d0.bd) GROUP BY label, w) GROUP BY 1, 2");
                }
            } else if (q.breakdown().isEmpty()) {
                // one line: only (bucket, who) pairs need to be distinct
                sql.add("SELECT ").add(d.epochMicros("b")).add(", '', 1, count(*) FROM (SELECT DISTINCT b, " + who
                        + " FROM x WHERE " + who + " IS NOT NULL) GROUP BY 1");
            } else {
                // distinct (bucket, value, who) first, then label the values; a second distinct makes
                // someone seen under several tail values count once in "other"
                int limit = q.breakdown().get().limit();
                sql.add(", d0 AS (SELECT DISTINCT b, bd, " + who + " AS w FROM x WHERE " + who + " IS NOT NULL)"
                        + " SELECT ").add(d.epochMicros("b")).add(", label, min(rn), count(*) FROM (SELECT DISTINCT d0.b, CASE WHEN r.rn <= ").bind(limit)
                        .add(" THEN d0.bd ELSE ").add(TrendsBreakdowns.other(q)).add(" END AS label, least(r.rn, ").bind(limit + 1)
                        .add(") AS rn, d0.w FROM d0 JOIN r ON r.bd = d0.bd) GROUP BY 1, 2");
            }
        } else if (s.math().perActor()) {
            sql.add("SELECT ").add(d.epochMicros("b")).add(", label, min(rn), ").add(aggregate(s.math(), "c", d))
                    .add(" FROM (SELECT b, label, min(rn) AS rn, person_id, count(*) AS c FROM y GROUP BY b, label, person_id) GROUP BY 1, 2");
        } else if (q.breakdown().isPresent() && (s.math() == MathType.TOTAL || s.math() == MathType.SUM)) {
            // additive: count per bucket and value first, then rank the values and fold the tail into "other"
            sql.add(", g AS (SELECT b, bd, count(*) AS c, sum(val) AS s FROM x GROUP BY 1, 2)"
                    + ", rg AS (SELECT bd, row_number() OVER (ORDER BY sum(c) DESC, bd) AS rn FROM g GROUP BY bd)"
                    + " SELECT ").add(d.epochMicros("g.b")).add(", CASE WHEN rg.rn <= ").bind(q.breakdown().get().limit())
                    .add(" THEN g.bd ELSE ").add(TrendsBreakdowns.other(q)).add(" END AS label, min(rg.rn), ")
                    .add(s.math() == MathType.TOTAL ? "sum(g.c)" : "coalesce(sum(g.s), 0)").add(" FROM g JOIN rg ON rg.bd = g.bd GROUP BY 1, 2");
        } else {
            sql.add("SELECT ").add(d.epochMicros("b")).add(", label, min(rn), ").add(aggregate(s.math(), "val", d))
                    .add(" FROM y GROUP BY 1, 2");
        }
        if (windowDays > 0) {
            Map<String, double[]> data = new LinkedHashMap<>();
            Map<String, Long> rank = new HashMap<>();
            // running sums of the starts and ends, read at each bucket
            Map<String, java.util.TreeMap<LocalDateTime, Long>> changes = new LinkedHashMap<>();
            ctx.db().query(sql, rs -> {
                String label = TrendsBreakdowns.label(rs, 2);
                changes.computeIfAbsent(label, k -> new java.util.TreeMap<>()).merge(Shapes.localFromMicros(rs.getLong(1)), rs.getLong(4), Long::sum);
                rank.merge(label, rs.getLong(3), Math::min);
            });
            changes.forEach((label, byTime) -> {
                double[] row = new double[buckets.size()];
                long active = 0;
                var it = byTime.entrySet().iterator();
                var next = it.hasNext() ? it.next() : null;
                for (int i = 0; i < buckets.size(); i++) {
                    while (next != null && !next.getKey().isAfter(buckets.get(i))) {
                        active += next.getValue();
                        next = it.hasNext() ? it.next() : null;
                    }
                    row[i] = active;
                }
                data.put(label, row);
            });
            return lines(q, index, buckets.size(), data, rank);
        }
        return readLines(q, ctx, range, index, sql);
    }

    /** Reads rows (bucket start in epoch micros, label, rank, value) into the series' lines. */
    private static List<Line> readLines(Trends q, QueryContext ctx, TimeRange range, int index, Sql sql) {
        Map<LocalDateTime, Integer> index0 = range.bucketIndex();
        List<LocalDateTime> buckets = range.buckets();
        Map<String, double[]> data = new LinkedHashMap<>();
        Map<String, Long> rank = new HashMap<>();
        ctx.db().query(sql, rs -> {
            Integer i = index0.get(Shapes.localFromMicros(rs.getLong(1)));
            if (i == null) return;
            String label = TrendsBreakdowns.label(rs, 2);
            double[] row = data.computeIfAbsent(label, k -> new double[buckets.size()]);
            row[i] = rs.getDouble(4);
            rank.merge(label, rs.getLong(3), Math::min);
        });
        return lines(q, index, buckets.size(), data, rank);
    }

    /**
     * {@code WITH ... y}: one row per person whose first event of the series ever (over all time
     * up to the end of the range) falls inside the range: {@code b} its bucket, {@code label} /
     * {@code rn} the breakdown value of that event. For first_time_for_user that first event must
     * also pass the filters; for first_matching_event_for_user it is the first event that passes them.
     */
    private static Sql firstTimes(Trends q, QueryContext ctx, TimeRange range, Series s) {
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        FilterNode filters = FilterNode.and(s.properties(), Filters.global(q.common(), ctx));
        boolean personProperties = filters.touchesPersons() || TrendsBreakdowns.anyPerson(q);
        Runnable passes = () -> {
            if (filters.isEmpty()) sql.add("TRUE");
            else Filters.render(sql, filters, ctx.now());
        };
        sql.add("WITH f AS (SELECT ev.person_id, min(ev.timestamp)");
        if (s.math() == MathType.FIRST_MATCHING_EVENT_FOR_USER) {
            sql.add(" FILTER (WHERE ");
            passes.run();
            sql.add(")");
        }
        sql.add(" AS t_first, min(ev.timestamp) FILTER (WHERE ev.timestamp >= ").add(d.instant(range.from())).add(" AND ");
        passes.run();
        sql.add(") AS t_in, ");
        if (q.breakdown().isPresent()) {
            sql.add("arg_min(");
            TrendsBreakdowns.breakdownValue(sql, q);
            sql.add(", ev.timestamp) FILTER (WHERE ev.timestamp >= ").add(d.instant(range.from())).add(" AND ");
            passes.run();
            sql.add(")");
        } else {
            sql.add("''");
        }
        sql.add(" AS bd FROM ").from(Filters.relation(personProperties, true), "ev");
        // events before the range are read too, but only the range's carry the breakdown value (arg_min's filter)
        TrendsBreakdowns.breakdownJoins(sql, q, Optional.of(new Filters.Span(range.from(), range.to())));
        // every earlier event of the series counts, so the range bounds only the end
        sql.add(" WHERE ev.timestamp <= ").add(d.instant(range.to()));
        s.event().ifPresent(e -> sql.add(" AND ev.event = ").bind(e));
        sql.add(" GROUP BY ev.person_id)");
        sql.add(", z AS (SELECT person_id, ");
        if (aggregated(q)) sql.add(d.local(range.buckets().getFirst()));
        else sql.add(d.bucket(range.interval(), "t_in", range.zone(), range.from(), range.to()));
        sql.add(" AS b, bd FROM f WHERE t_in = t_first AND person_id IS NOT NULL)");
        if (q.breakdown().isEmpty()) return sql.add(", y AS (SELECT z.*, '' AS label, 1 AS rn FROM z) ");
        sql.add(", r AS (SELECT bd, row_number() OVER (ORDER BY count(*) DESC, bd) AS rn FROM z GROUP BY bd)")
                .add(", y AS (SELECT z.*, CASE WHEN r.rn <= ").bind(q.breakdown().get().limit()).add(" THEN z.bd ELSE ").add(TrendsBreakdowns.other(q))
                .add(" END AS label, least(r.rn, ").bind(q.breakdown().get().limit() + 1).add(") AS rn FROM z JOIN r ON r.bd = z.bd) ");
        return sql;
    }

    /** The lines of one series from its data and rank per label ('' without a breakdown), best ranked first. */
    private static List<Line> lines(Trends q, int index, int buckets, Map<String, double[]> data, Map<String, Long> rank) {
        List<Line> out = new ArrayList<>();
        if (q.breakdown().isEmpty()) {
            out.add(new Line(index, null, 0, data.getOrDefault("", new double[buckets])));
            return out;
        }
        for (var e : data.entrySet()) {
            long r = e.getKey().equals(TrendsBreakdowns.otherKey(q)) ? Long.MAX_VALUE : rank.get(e.getKey());
            if (e.getKey().equals(Shapes.NULL_BREAKDOWN) && Shapes.sum(e.getValue()) == 0) continue;
            out.add(new Line(index, e.getKey(), r, e.getValue()));
        }
        out.sort(java.util.Comparator.comparingLong(Line::rank));
        return out;
    }

    private static String aggregate(MathType math, String v, Dialect d) {
        return switch (math) {
            case TOTAL -> "count(*)";
            case DAU, WEEKLY_ACTIVE, MONTHLY_ACTIVE -> "count(DISTINCT person_id)";
            case UNIQUE_SESSION, UNIQUE_GROUP -> "count(DISTINCT unit)";
            case SUM -> "coalesce(sum(" + v + "), 0)";
            case AVG, AVG_COUNT_PER_ACTOR -> "coalesce(avg(" + v + "), 0)";
            case MIN, MIN_COUNT_PER_ACTOR -> "coalesce(min(" + v + "), 0)";
            case MAX, MAX_COUNT_PER_ACTOR -> "coalesce(max(" + v + "), 0)";
            case MEDIAN, MEDIAN_COUNT_PER_ACTOR -> "coalesce(" + d.percentile(v, 0.5) + ", 0)";
            case P75, P75_COUNT_PER_ACTOR -> "coalesce(" + d.percentile(v, 0.75) + ", 0)";
            case P90, P90_COUNT_PER_ACTOR -> "coalesce(" + d.percentile(v, 0.9) + ", 0)";
            case P95, P95_COUNT_PER_ACTOR -> "coalesce(" + d.percentile(v, 0.95) + ", 0)";
            case P99, P99_COUNT_PER_ACTOR -> "coalesce(" + d.percentile(v, 0.99) + ", 0)";
            // counted by their own path (firstTimes), never through this
            case FIRST_TIME_FOR_USER, FIRST_MATCHING_EVENT_FOR_USER -> throw new IllegalStateException("first-time maths have their own statement");
        };
    }

    /** The persons behind one point: series {@code index}, bucket {@code day}, optional breakdown label. */
    /** The persons of series {@code index} in bucket {@code day} (and breakdown value): a statement of their ids. */
    Sql actors(Trends q, QueryContext ctx, int index, String day, java.util.Optional<String> breakdown) {
        TimeRange range = ctx.range(q.common(), q.interval());
        if (index >= q.series().size()) throw new InvalidQuery("source.series", "there is no series " + index);
        if (q.series().get(index).math() == MathType.UNIQUE_GROUP) {
            throw new InvalidQuery("source.series", "the actors of a unique_group series are groups; listing groups is not supported, only persons");
        }
        LocalDateTime bucket = bucketOf(range, day);
        Series s = q.series().get(index);
        if (s.math().firstTime()) {
            // the persons whose first time it was in that bucket (or, cumulative, up to it)
            Sql sql = firstTimes(q, ctx, range, s);
            sql.add("SELECT DISTINCT person_id FROM y WHERE b ").add(cumulative(q) ? "<= " : "= ").add(sql.dialect().local(bucket));
            if (q.breakdown().isPresent()) sql.add(" AND label = ").add(TrendsBreakdowns.labelLiteral(q, breakdown));
            return sql;
        }
        // without a breakdown (whose top values need the whole range) only the bucket's own events are read
        TimeRange read = q.breakdown().isPresent() || aggregated(q) ? range
                : new TimeRange(range.zone(), range.interval(), cumulative(q) ? range.fromLocal() : bucket,
                        range.interval().plus(bucket, 1).minusNanos(1000));
        Sql sql = rows(q, ctx, read, s, 0, true);
        // a cumulative point stands for everyone from the start of the range up to its bucket
        sql.add("SELECT DISTINCT person_id FROM y WHERE b ").add(cumulative(q) ? "<= " : "= ").add(sql.dialect().local(bucket));
        if (q.breakdown().isPresent()) sql.add(" AND label = ").add(TrendsBreakdowns.labelLiteral(q, breakdown));
        return sql;
    }

    static LocalDateTime bucketOf(TimeRange range, String day) {
        for (LocalDateTime b : range.buckets()) {
            if (range.day(b).equals(day) || b.toString().equals(day) || range.day(b).startsWith(day) && day.length() >= 10) return b;
        }
        throw new InvalidQuery("source.day", "'" + day + "' is not a bucket of the insight's date range");
    }
}
