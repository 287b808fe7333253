package dev.sightline.query;

import dev.sightline.query.Query.Funnels;
import dev.sightline.query.Query.Series;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * Funnels. SQL selects each person's events that match a step or an exclusion (all events for a
 * strict funnel), in time order, with a bit per matched step; the per-person walk runs here.
 *
 * <p>Ordered walk (PostHog's aggregate-funnel rules): every step-1 event starts an attempt; an
 * event of step k+1 advances the latest attempt that reached step k if it is no later than the
 * window after that attempt's start; an attempt already past step k is not moved; steps of one
 * event are tried from the last down. Strict: an attempt survives an event only if that event
 * started or advanced it. Unordered: from any step event, the distinct steps done within the window.
 * Exclusions: an exclusion event drops every attempt that has reached its from-step but not its
 * to-step; a person's result is the furthest attempt not dropped.
 */
final class FunnelsRunner implements Runner<Funnels> {

    /** One event of a person: time (µs), step bits, exclusion bits, breakdown value. */
    record Step(long ts, int steps, int exclusions, String breakdown) {}

    /** What one person reached: furthest step (0-based; -1 none), the winning attempt's step times, breakdown. */
    record Outcome(UUID person, int furthest, long[] times, String breakdown) {}

    private static final class Attempt {
        final long[] times;
        int reached;
        boolean dropped;

        Attempt(int n, long start) {
            times = new long[n];
            times[0] = start;
        }
    }

    @Override
    public Map<String, Object> run(Funnels q, QueryContext ctx) {
        TimeRange range = ctx.range(q.common(), q.interval());
        return switch (q.viz()) {
            case STEPS -> Map.of("results", inDatabase(q) ? stepsInDatabase(q, ctx, range) : steps(q, outcomes(q, ctx, range, t -> true)));
            case TIME_TO_CONVERT -> Map.of("results", timeToConvert(q, outcomes(q, ctx, range, t -> true)));
            case TRENDS -> Map.of("results", trends(q, ctx, range));
        };
    }

    /** Persons at a point of the funnel: {@code step} 1-based; positive = reached it, negative = reached the one before but not it. */
    List<UUID> actors(Funnels q, QueryContext ctx, int step, java.util.Optional<String> breakdown) {
        TimeRange range = ctx.range(q.common(), q.interval());
        int n = q.series().size();
        int k = Math.abs(step) - 1;
        if (k >= n || step < 0 && k == 0) throw new InvalidQuery("source.funnelStep", "no funnel step " + step);
        List<UUID> out = new ArrayList<>();
        for (Outcome o : outcomes(q, ctx, range, t -> true)) {
            if (breakdown.isPresent() && !breakdown.get().equals(o.breakdown())) continue;
            if (step > 0 ? o.furthest() >= k : o.furthest() == k - 1) out.add(o.person());
        }
        return out;
    }

    List<Outcome> outcomes(Funnels q, QueryContext ctx, TimeRange range, LongPredicate mayStart) {
        if (inDatabase(q)) return outcomesInDatabase(q, ctx, range);
        List<Outcome> out = new ArrayList<>();
        persons(q, ctx, range, (person, events) -> out.addAll(walkPerson(q, person, events, mayStart)));
        return out;
    }

    /**
     * Whether the database can walk this funnel: ordered, no exclusions, one breakdown value per person, and every
     * step a different event, so no event is two steps at once. Then the walk needs no per-person
     * event lists: each attempt is a chain of as-of joins (below), which gives the same furthest
     * step and the same winning attempt as the walk here.
     */
    static boolean inDatabase(Funnels q) {
        if (q.order() != Query.FunnelOrder.ORDERED || !q.exclusions().isEmpty()) return false;
        // a funnel per breakdown value (all_events attribution) needs the walk per value
        if (q.breakdown().isPresent() && q.breakdown().get().breakdown().type() != Query.BreakdownType.PERSON
                && q.attribution() == Query.Attribution.ALL_EVENTS) return false;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Series s : q.series()) if (s.event().isEmpty() || !names.add(s.event().get())) return false;
        return true;
    }

    /**
     * {@code WITH s, a0 .. a(n-1), best}: the step events (time in µs, step index k); the attempts
     * that reached each step; and per person the furthest step and its latest-begun attempt's step
     * times. Every step-0 event begins an attempt. A step-1 event advances the latest attempt begun
     * at or before it, if within the window; an attempt keeps its first such event. Each later step
     * takes the first event of that step at or after the previous one, within the window of the start.
     */
    private static Sql attempts(Funnels q, QueryContext ctx, TimeRange range) {
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        int n = q.series().size();
        // steps that are just event names find their index by a join with a table of the names:
        // cheaper than testing each event against every step twice (to pick it, then to number it)
        boolean namesOnly = q.series().stream().allMatch(s -> s.event().isPresent() && s.properties().isEmpty());
        sql.add("WITH s AS MATERIALIZED (SELECT ev.person_id AS p, ").add(d.epochMicros("ev.timestamp")).add(" AS ts, ");
        if (namesOnly) {
            sql.add("st.k");
        } else {
            sql.add("CASE");
            for (int k = 0; k < n; k++) {
                sql.add(" WHEN ");
                condition(sql, q.series().get(k), ctx);
                sql.add(" THEN " + k);
            }
            sql.add(" END");
        }
        sql.add(" AS k");
        var bd = q.breakdown().map(Query.BreakdownFilter::breakdown);
        if (bd.isPresent()) {
            sql.add(", CAST(");
            Breakdowns.value(sql, bd.get());
            sql.add(" AS VARCHAR) AS v");
        }
        sql.add(" FROM ").from(Dialect.Relation.EVENTS, "ev");
        if (namesOnly) {
            sql.add(" JOIN (VALUES ");
            for (int k = 0; k < n; k++) sql.add(k == 0 ? "(" : ", (").bind(q.series().get(k).event().orElseThrow()).add(", " + k + ")");
            sql.add(") AS st(e, k) ON ev.event = st.e");
        }
        // only the range's events are read: a session breakdown needs only their sessions
        bd.ifPresent(b -> Breakdowns.join(sql, b, 0, java.util.Optional.of(new Filters.Span(range.from(), range.to()))));
        Series any = new Series(java.util.Optional.empty(), java.util.Optional.empty(), Query.MathType.TOTAL, java.util.Optional.empty(), FilterNode.NONE);
        Filters.where(sql, ctx, q.common(), any, range.from(), range.to());
        if (!namesOnly) {
            sql.add(" AND (");
            for (int k = 0; k < n; k++) {
                if (k > 0) sql.add(" OR ");
                condition(sql, q.series().get(k), ctx);
            }
            sql.add(")");
        }
        sql.add("), a0 AS (SELECT p, ts AS t0 FROM s WHERE k = 0)");
        long window = q.windowSeconds() * 1_000_000L;
        if (n > 1) {
            // only the starts of persons who did step 1 at all can advance: the as-of join sorts
            // those few instead of every start (step 0 is often the commonest event, a pageview)
            sql.add(", a0c AS (SELECT p, t0 FROM a0 WHERE p IN (SELECT p FROM s WHERE k = 1))"
                    + ", a1 AS (SELECT x.p, a0c.t0, min(x.ts) AS t1 FROM (SELECT p, ts FROM s WHERE k = 1) x ASOF JOIN a0c ON a0c.p = x.p AND x.ts >= a0c.t0"
                    + " WHERE x.ts - a0c.t0 <= ").bind(window).add(" GROUP BY 1, 2)");
        }
        for (int k = 2; k < n; k++) {
            String prev = "a" + (k - 1);
            sql.add(", a" + k + " AS (SELECT " + prev + ".*, x.ts AS t" + k + " FROM " + prev + " ASOF JOIN (SELECT p, ts FROM s WHERE k = " + k
                    + ") x ON x.p = " + prev + ".p AND x.ts >= " + prev + ".t" + (k - 1) + " WHERE x.ts - " + prev + ".t0 <= ").bind(window).add(")");
        }
        // the furthest step, then the latest start, wins: depth * 2^60 + t0 orders both (t0 < 2^60 µs)
        // of the attempts that reached only the first step, each person's latest is the only candidate:
        // one row per person instead of one per step-1 event into the grouping below
        sql.add(", att AS (SELECT p, 0 AS depth, t0");
        for (int k = 1; k < n; k++) sql.add(", CAST(NULL AS BIGINT) AS t" + k);
        sql.add(" FROM (SELECT p, max(t0) AS t0 FROM a0 GROUP BY p)");
        for (int depth = 1; depth < n; depth++) {
            sql.add(" UNION ALL SELECT p, " + depth + ", t0");
            for (int k = 1; k < n; k++) sql.add(k <= depth ? ", t" + k : ", NULL");
            sql.add(" FROM a" + depth);
        }
        sql.add("), best AS MATERIALIZED (SELECT p, max(depth) AS depth");
        for (int k = 0; k < n; k++) sql.add(", arg_max_null(t" + k + ", depth * 1152921504606846976 + t0) AS t" + k);
        sql.add(" FROM att GROUP BY p)");
        // lb: best with the person's breakdown value, attributed as the walk here does
        if (bd.isEmpty()) {
            sql.add(", lb AS (SELECT best.*, CAST(NULL AS VARCHAR) AS bd FROM best) ");
        } else {
            String value = bd.get().type() == Query.BreakdownType.PERSON ? "arg_min_null(v, ts)" : switch (q.attribution()) {
                case LAST_TOUCH -> "arg_max_null(v, ts)";
                case STEP -> "arg_min_null(v, ts) FILTER (WHERE k = " + q.attributionStep() + ")";
                default -> "arg_min_null(v, ts) FILTER (WHERE k = 0)";
            };
            sql.add(", pb AS (SELECT p, " + value + " AS v FROM s GROUP BY p)"
                    + ", lb AS (SELECT best.*, coalesce(pb.v, ").bind(Shapes.NULL_BREAKDOWN).add(") AS bd FROM best JOIN pb ON pb.p = best.p) ");
        }
        return sql;
    }

    /**
     * Step counts and conversion times, all computed in the database; with a breakdown, per value,
     * values ranked by entrants and those past {@code breakdown_limit} folded into "other".
     */
    private List<Object> stepsInDatabase(Funnels q, QueryContext ctx, TimeRange range) {
        int n = q.series().size();
        Sql sql = attempts(q, ctx, range);
        Dialect d = sql.dialect();
        sql.add(", rk AS (SELECT bd, row_number() OVER (ORDER BY count(*) DESC, bd) AS rn FROM lb GROUP BY bd)"
                + ", fl AS MATERIALIZED (SELECT lb.*, rk.rn, CASE WHEN rk.rn <= ").bind(q.breakdown().map(Query.BreakdownFilter::limit).orElse(1))
                .add(" THEN lb.bd ELSE ").bind(Shapes.OTHER_BREAKDOWN).add(" END AS label FROM lb JOIN rk ON rk.bd IS NOT DISTINCT FROM lb.bd) ");
        for (int k = 0; k < n; k++) {
            if (k > 0) sql.add(" UNION ALL ");
            sql.add("SELECT label, min(rn), " + k + ", count(*)");
            if (k == 0) {
                sql.add(", NULL, NULL FROM fl GROUP BY label");
            } else {
                String diff = "(t" + k + " - t" + (k - 1) + ") / 1e6";
                sql.add(", avg(" + diff + "), " + d.percentile(diff, 0.5) + " FROM fl WHERE depth >= " + k + " GROUP BY label");
            }
        }
        record Cells(long rank, long[] counts, Double[] average, Double[] median) {}
        Map<String, Cells> groups = new HashMap<>();
        ctx.db().query(sql, rs -> {
            String label = rs.getString(1);
            long rank = rs.getLong(2);
            Cells c = groups.computeIfAbsent(label == null ? "" : label, x -> new Cells(rank, new long[n], new Double[n], new Double[n]));
            int k = rs.getInt(3);
            c.counts()[k] = rs.getLong(4);
            double avg = rs.getDouble(5);
            c.average()[k] = rs.wasNull() ? null : avg;
            double med = rs.getDouble(6);
            c.median()[k] = rs.wasNull() ? null : med;
        });
        if (q.breakdown().isEmpty()) {
            Cells c = groups.get("");
            if (c == null || c.counts()[0] == 0) return List.of();
            List<Object> out = new ArrayList<>();
            for (int k = 0; k < n; k++) out.add(step(q, k, c.counts()[k], c.average()[k], c.median()[k], null));
            return out;
        }
        List<Object> out = new ArrayList<>();
        groups.entrySet().stream().sorted(Comparator.comparingLong(e -> e.getValue().rank())).forEach(e -> {
            List<Map<String, Object>> steps = new ArrayList<>();
            Cells c = e.getValue();
            for (int k = 0; k < n; k++) steps.add(step(q, k, c.counts()[k], c.average()[k], c.median()[k], e.getKey()));
            out.add(steps);
        });
        return out;
    }

    /** Each person's furthest step and winning attempt, from the database. */
    private List<Outcome> outcomesInDatabase(Funnels q, QueryContext ctx, TimeRange range) {
        int n = q.series().size();
        Sql sql = attempts(q, ctx, range);
        sql.add("SELECT p, depth");
        for (int k = 0; k < n; k++) sql.add(", t" + k);
        sql.add(", bd FROM lb");
        List<Outcome> out = new ArrayList<>();
        ctx.db().query(sql, rs -> {
            int depth = rs.getInt(2);
            long[] times = new long[n];
            for (int k = 0; k <= depth; k++) times[k] = rs.getLong(3 + k);
            out.add(new Outcome((UUID) rs.getObject(1), depth, times, rs.getString(3 + n)));
        });
        return out;
    }

    /** Streams each person's step-relevant events, in time order, to {@code each}. */
    private void persons(Funnels q, QueryContext ctx, TimeRange range, java.util.function.BiConsumer<UUID, List<Step>> each) {
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        int n = q.series().size();
        var bd = q.breakdown().map(Query.BreakdownFilter::breakdown);
        sql.add("SELECT ev.person_id, ").add(d.epochMicros("ev.timestamp")).add(", ");
        bits(sql, q.series(), ctx);
        sql.add(", ");
        bits(sql, q.exclusions().stream().map(Query.Exclusion::event).toList(), ctx);
        sql.add(", ");
        if (bd.isPresent()) {
            sql.add("CAST(");
            Breakdowns.value(sql, bd.get());
            sql.add(" AS VARCHAR)");
        } else {
            sql.add("NULL");
        }
        sql.add(" FROM ").from(Dialect.Relation.EVENTS, "ev");
        // only the range's events are read: a session breakdown needs only their sessions
        bd.ifPresent(b -> Breakdowns.join(sql, b, 0, java.util.Optional.of(new Filters.Span(range.from(), range.to()))));
        Series any = new Series(java.util.Optional.empty(), java.util.Optional.empty(), Query.MathType.TOTAL, java.util.Optional.empty(), FilterNode.NONE);
        Filters.where(sql, ctx, q.common(), any, range.from(), range.to());
        if (q.order() != Query.FunnelOrder.STRICT) {
            sql.add(" AND (");
            List<Series> all = new ArrayList<>(q.series());
            q.exclusions().forEach(x -> all.add(x.event()));
            for (int i = 0; i < all.size(); i++) {
                if (i > 0) sql.add(" OR ");
                condition(sql, all.get(i), ctx);
            }
            sql.add(")");
        }
        // grouping and sorting per person here is ten times faster than ORDER BY in the database
        Map<UUID, List<Step>> byPerson = new HashMap<>();
        ctx.db().query(sql, rs -> byPerson.computeIfAbsent((UUID) rs.getObject(1), k -> new ArrayList<>())
                .add(new Step(rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5))));
        byPerson.forEach(each);
    }

    private static void condition(Sql sql, Series s, QueryContext ctx) {
        sql.add("(TRUE");
        s.event().ifPresent(e -> sql.add(" AND ev.event = ").bind(e));
        if (!s.properties().isEmpty()) {
            sql.add(" AND ");
            Filters.render(sql, s.properties(), ctx.now());
        }
        sql.add(")");
    }

    private static void bits(Sql sql, List<Series> series, QueryContext ctx) {
        if (series.isEmpty()) {
            sql.add("0");
            return;
        }
        sql.add("(");
        for (int i = 0; i < series.size(); i++) {
            if (i > 0) sql.add(" + ");
            sql.add("CASE WHEN ");
            condition(sql, series.get(i), ctx);
            sql.add(" THEN " + (1 << i) + " ELSE 0 END");
        }
        sql.add(")");
    }

    private List<Outcome> walkPerson(Funnels q, UUID person, List<Step> events, LongPredicate mayStart) {
        List<Step> sorted = new ArrayList<>(events);
        // same instant: earlier steps first
        sorted.sort(Comparator.comparingLong(Step::ts).thenComparingInt(s -> s.steps() == 0 ? 99 : Integer.numberOfTrailingZeros(s.steps())));
        var bd = q.breakdown();
        if (bd.isEmpty()) return List.of(walk(q, person, sorted, null, mayStart));
        if (bd.get().breakdown().type() != Query.BreakdownType.EVENT || q.attribution() != Query.Attribution.ALL_EVENTS) {
            return List.of(walk(q, person, sorted, attributed(q, sorted), mayStart));
        }
        // all_events: a separate funnel per value, over the events carrying it
        Map<String, List<Step>> byValue = new LinkedHashMap<>();
        for (Step s : sorted) byValue.computeIfAbsent(label(s.breakdown()), k -> new ArrayList<>()).add(s);
        List<Outcome> out = new ArrayList<>();
        for (var e : byValue.entrySet()) out.add(walk(q, person, e.getValue(), e.getKey(), mayStart));
        return out;
    }

    private static String label(String v) {
        return v == null ? Shapes.NULL_BREAKDOWN : v;
    }

    /** first_touch: the first step-1 event's value; last_touch: the last step event's; step: the first event of that step. */
    private static String attributed(Funnels q, List<Step> sorted) {
        if (q.breakdown().get().breakdown().type() == Query.BreakdownType.PERSON) {
            return label(sorted.getFirst().breakdown());
        }
        int bit = switch (q.attribution()) {
            case STEP -> 1 << q.attributionStep();
            case LAST_TOUCH -> -1;
            default -> 1;
        };
        if (bit == -1) {
            for (int i = sorted.size() - 1; i >= 0; i--) if (sorted.get(i).steps() != 0) return label(sorted.get(i).breakdown());
            return Shapes.NULL_BREAKDOWN;
        }
        for (Step s : sorted) if ((s.steps() & bit) != 0) return label(s.breakdown());
        return Shapes.NULL_BREAKDOWN;
    }

    private Outcome walk(Funnels q, UUID person, List<Step> sorted, String breakdown, LongPredicate mayStart) {
        int n = q.series().size();
        long window = q.windowSeconds() * 1_000_000L;
        if (q.order() == Query.FunnelOrder.UNORDERED) return unordered(q, person, sorted, breakdown, window, mayStart);
        Attempt[] slot = new Attempt[n];
        List<Attempt> all = new ArrayList<>();
        boolean strict = q.order() == Query.FunnelOrder.STRICT;
        for (Step e : sorted) {
            List<Attempt> touched = new ArrayList<>();
            for (int k = n - 1; k >= 0; k--) {
                if ((e.steps() & (1 << k)) == 0) continue;
                if (k == 0) {
                    if (!mayStart.test(e.ts())) continue;
                    Attempt a = new Attempt(n, e.ts());
                    slot[0] = a;
                    all.add(a);
                    touched.add(a);
                } else {
                    Attempt a = slot[k - 1];
                    if (a == null || a.reached >= k || e.ts() - a.times[0] > window) continue;
                    a.times[k] = e.ts();
                    a.reached = k;
                    slot[k] = a;
                    touched.add(a);
                }
            }
            for (int x = 0; x < q.exclusions().size(); x++) {
                if ((e.exclusions() & (1 << x)) == 0) continue;
                Query.Exclusion ex = q.exclusions().get(x);
                for (Attempt a : all) {
                    if (!a.dropped && a.reached >= ex.fromStep() && a.reached < ex.toStep() && !touched.contains(a)) a.dropped = true;
                }
            }
            if (strict) {
                for (int k = 0; k < n; k++) if (slot[k] != null && !touched.contains(slot[k])) slot[k] = null;
            }
            for (int k = 0; k < n; k++) if (slot[k] != null && slot[k].dropped) slot[k] = null;
        }
        Attempt best = null;
        for (Attempt a : all) if (!a.dropped && (best == null || a.reached >= best.reached)) best = a;
        return best == null ? new Outcome(person, -1, new long[0], breakdown) : new Outcome(person, best.reached, best.times, breakdown);
    }

    private Outcome unordered(Funnels q, UUID person, List<Step> sorted, String breakdown, long window, LongPredicate mayStart) {
        int n = q.series().size();
        int bestCount = 0;
        long[] bestTimes = new long[0];
        for (int i = 0; i < sorted.size(); i++) {
            Step anchor = sorted.get(i);
            if (anchor.steps() == 0 || !mayStart.test(anchor.ts())) continue;
            long[] first = new long[n];
            java.util.Arrays.fill(first, Long.MAX_VALUE);
            for (int j = i; j < sorted.size() && sorted.get(j).ts() - anchor.ts() <= window; j++) {
                for (int k = 0; k < n; k++) if ((sorted.get(j).steps() & (1 << k)) != 0) first[k] = Math.min(first[k], sorted.get(j).ts());
            }
            long[] times = java.util.Arrays.stream(first).filter(t -> t != Long.MAX_VALUE).sorted().toArray();
            if (times.length >= bestCount) {
                bestCount = times.length;
                bestTimes = times;
            }
        }
        return new Outcome(person, bestCount - 1, bestTimes, breakdown);
    }

    private List<Object> steps(Funnels q, List<Outcome> outcomes) {
        if (q.breakdown().isEmpty()) {
            List<Outcome> entered = outcomes.stream().filter(o -> o.furthest() >= 0).toList();
            return entered.isEmpty() ? List.of() : new ArrayList<>(stepList(q, entered, null));
        }
        Map<String, List<Outcome>> groups = new HashMap<>();
        for (Outcome o : outcomes) if (o.furthest() >= 0) groups.computeIfAbsent(o.breakdown(), k -> new ArrayList<>()).add(o);
        List<String> order = new ArrayList<>(groups.keySet());
        order.sort(Comparator.<String>comparingInt(k -> -groups.get(k).size()).thenComparing(Comparator.naturalOrder()));
        int limit = q.breakdown().get().limit();
        Map<String, List<Outcome>> kept = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            String k = i < limit ? order.get(i) : Shapes.OTHER_BREAKDOWN;
            kept.computeIfAbsent(k, x -> new ArrayList<>()).addAll(groups.get(order.get(i)));
        }
        List<Object> out = new ArrayList<>();
        kept.forEach((k, v) -> out.add(stepList(q, v, k)));
        return out;
    }

    private List<Map<String, Object>> stepList(Funnels q, List<Outcome> entered, String breakdown) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int k = 0; k < q.series().size(); k++) {
            int step = k;
            List<Double> durations = new ArrayList<>();
            long count = 0;
            for (Outcome o : entered) {
                if (o.furthest() < step) continue;
                count++;
                if (step > 0) durations.add((o.times()[step] - o.times()[step - 1]) / 1e6);
            }
            Double average = step == 0 || durations.isEmpty() ? null : durations.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            Double median = step == 0 || durations.isEmpty() ? null : median(durations);
            out.add(step(q, k, count, average, median, breakdown));
        }
        return out;
    }

    private static Map<String, Object> step(Funnels q, int k, long count, Double average, Double median, String breakdown) {
        Series s = q.series().get(k);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action_id", s.event().orElse(null));
        m.put("name", s.label());
        m.put("custom_name", s.customName().orElse(null));
        m.put("order", k);
        m.put("count", count);
        m.put("type", "events");
        m.put("people", List.of());
        m.put("average_conversion_time", k == 0 ? null : average);
        m.put("median_conversion_time", k == 0 ? null : median);
        if (breakdown != null) {
            m.put("breakdown", List.of(breakdown));
            m.put("breakdown_value", List.of(breakdown));
        }
        return m;
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        double pos = (s.size() - 1) * 0.5;
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s.get(lo) + (s.get(hi) - s.get(lo)) * (pos - lo);
    }

    private Map<String, Object> timeToConvert(Funnels q, List<Outcome> outcomes) {
        int from = q.fromStep().orElse(0);
        int to = q.toStep().orElse(q.series().size() - 1);
        if (to <= from) throw new InvalidQuery("funnelsFilter.funnelToStep", "funnelToStep must be after funnelFromStep");
        List<Long> seconds = new ArrayList<>();
        for (Outcome o : outcomes) if (o.furthest() >= to) seconds.add((o.times()[to] - o.times()[from]) / 1_000_000);
        Map<String, Object> m = new LinkedHashMap<>();
        if (seconds.isEmpty()) {
            m.put("bins", List.of());
            m.put("average_conversion_time", null);
            return m;
        }
        long min = seconds.stream().mapToLong(Long::longValue).min().getAsLong();
        long max = seconds.stream().mapToLong(Long::longValue).max().getAsLong();
        int bins = q.binCount() > 0 ? q.binCount() : (int) Math.max(1, Math.min(60, Math.ceil(Math.cbrt(seconds.size()))));
        long width = Math.max(1, (long) Math.ceil((max - min + 1) / (double) bins));
        long[] counts = new long[bins];
        for (long s : seconds) counts[(int) Math.min(bins - 1, (s - min) / width)]++;
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < bins; i++) out.add(List.of(min + i * width, counts[i]));
        m.put("bins", out);
        m.put("average_conversion_time", seconds.stream().mapToLong(Long::longValue).average().orElse(0));
        return m;
    }

    /** Conversion rate per interval: persons who started an attempt in the bucket, and how many of them converted. */
    private List<Object> trends(Funnels q, QueryContext ctx, TimeRange range) {
        List<LocalDateTime> buckets = range.buckets();
        int to = q.toStep().orElse(q.series().size() - 1);
        int from = q.fromStep().orElse(0);
        double[] rate = new double[buckets.size()];
        long[] reachedFrom = new long[buckets.size()];
        long[] reachedTo = new long[buckets.size()];
        long[] edges = new long[buckets.size() + 1];
        for (int i = 0; i < buckets.size(); i++) edges[i] = micros(buckets.get(i), range);
        edges[buckets.size()] = micros(range.interval().plus(buckets.getLast(), 1), range);
        persons(q, ctx, range, (person, events) -> {
            for (int i = 0; i < buckets.size(); i++) {
                long lo = edges[i];
                long hi = edges[i + 1];
                if (events.stream().noneMatch(e -> (e.steps() & 1) != 0 && e.ts() >= lo && e.ts() < hi)) continue;
                for (Outcome o : walkPerson(q, person, events, t -> t >= lo && t < hi)) {
                    if (o.furthest() >= from) reachedFrom[i]++;
                    if (o.furthest() >= to) reachedTo[i]++;
                }
            }
        });
        for (int i = 0; i < buckets.size(); i++) {
            rate[i] = reachedFrom[i] == 0 ? 0 : Math.round(10000.0 * reachedTo[i] / reachedFrom[i]) / 100.0;
        }
        Map<String, Object> m = Shapes.series(range, rate, "Conversion rate", null);
        m.put("reached_from_step_count", java.util.Arrays.stream(reachedFrom).boxed().toList());
        m.put("reached_to_step_count", java.util.Arrays.stream(reachedTo).boxed().toList());
        m.put("count", buckets.size());
        return List.of(m);
    }

    private static long micros(LocalDateTime local, TimeRange range) {
        var i = local.atZone(range.zone()).toInstant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }
}
