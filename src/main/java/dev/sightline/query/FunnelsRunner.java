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
 * Funnels. SQL selects the events that match a step or an exclusion (all events for a strict
 * funnel), with a bit per matched step; {@link FunnelEvents} groups them by person in time order,
 * and the per-person walk runs here. One walk serves every kind of funnel: done in SQL instead
 * (a chain of as-of joins, tried before), the common ordered funnel was twice as slow.
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
            case STEPS -> Map.of("results", steps(q, outcomes(q, ctx, range, t -> true)));
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
        List<Outcome> out = new ArrayList<>();
        persons(q, ctx, range, (person, events) -> out.addAll(walkPerson(q, person, events, mayStart)));
        return out;
    }

    /** Each person's step-relevant events, in time order, to {@code each}. */
    private void persons(Funnels q, QueryContext ctx, TimeRange range, java.util.function.BiConsumer<UUID, FunnelEvents.Of> each) {
        boolean withBreakdown = q.breakdown().isPresent();
        FunnelEvents events = new FunnelEvents();
        ctx.db().query(statement(q, ctx, range), rs -> {
            UUID person = (UUID) rs.getObject(1);
            if (person == null) {
                events.value(rs.getInt(5), rs.getString(6));
                return;
            }
            int code = -1;
            if (withBreakdown) {
                code = rs.getInt(5);
                if (rs.wasNull()) code = -1;
            }
            events.add(person, rs.getLong(2), rs.getInt(3), rs.getInt(4), code);
        });
        events.group();
        for (int p = 0; p < events.personCount(); p++) each.accept(events.person(p), events.of(p));
    }

    /**
     * The rows {@link #persons} reads: person, time (µs), step bits, exclusion bits and, with a
     * breakdown, the value's code; then each value once, in a row with no person.
     */
    private static Sql statement(Funnels q, QueryContext ctx, TimeRange range) {
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        var bd = q.breakdown().map(Query.BreakdownFilter::breakdown);
        // with a breakdown, its values come once each, apart (rows with no person), and the rows carry
        // a code: a text column costs the driver about a microsecond a row, far more than the rest
        sql.add(bd.isPresent() ? "WITH s AS MATERIALIZED (SELECT ev.person_id AS p, " : "SELECT ev.person_id AS p, ");
        sql.add(d.epochMicros("ev.timestamp")).add(" AS ts, ");
        bits(sql, q.series(), ctx);
        sql.add(" AS st, ");
        bits(sql, q.exclusions().stream().map(Query.Exclusion::event).toList(), ctx);
        sql.add(" AS xs");
        if (bd.isPresent()) {
            sql.add(", CAST(");
            Breakdowns.value(sql, bd.get());
            sql.add(" AS VARCHAR) AS v");
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
        if (bd.isPresent()) {
            sql.add("), d AS (SELECT v, CAST(row_number() OVER () AS INTEGER) - 1 AS code FROM (SELECT DISTINCT v FROM s WHERE v IS NOT NULL))"
                    + " SELECT s.p, s.ts, s.st, s.xs, d.code, NULL AS v FROM s LEFT JOIN d ON d.v = s.v"
                    + " UNION ALL SELECT NULL, NULL, NULL, NULL, code, v FROM d");
        }
        return sql;
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

    private List<Outcome> walkPerson(Funnels q, UUID person, FunnelEvents.Of sorted, LongPredicate mayStart) {
        var bd = q.breakdown();
        if (bd.isEmpty()) return List.of(walk(q, person, sorted, null, mayStart));
        if (bd.get().breakdown().type() != Query.BreakdownType.EVENT || q.attribution() != Query.Attribution.ALL_EVENTS) {
            return List.of(walk(q, person, sorted, attributed(q, sorted), mayStart));
        }
        // all_events: a separate funnel per value, over the events carrying it
        Map<Integer, FunnelEvents.Of> byValue = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            byValue.computeIfAbsent(sorted.valueCode(i), v -> sorted.only(j -> sorted.valueCode(j) == v));
        }
        List<Outcome> out = new ArrayList<>();
        for (FunnelEvents.Of some : byValue.values()) out.add(walk(q, person, some, label(some.breakdown(0)), mayStart));
        return out;
    }

    private static String label(String v) {
        return v == null ? Shapes.NULL_BREAKDOWN : v;
    }

    /** first_touch: the first step-1 event's value; last_touch: the last step event's; step: the first event of that step. */
    private static String attributed(Funnels q, FunnelEvents.Of sorted) {
        if (q.breakdown().get().breakdown().type() == Query.BreakdownType.PERSON) {
            return label(sorted.breakdown(0));
        }
        int bit = switch (q.attribution()) {
            case STEP -> 1 << q.attributionStep();
            case LAST_TOUCH -> -1;
            default -> 1;
        };
        if (bit == -1) {
            for (int i = sorted.size() - 1; i >= 0; i--) if (sorted.steps(i) != 0) return label(sorted.breakdown(i));
            return Shapes.NULL_BREAKDOWN;
        }
        for (int i = 0; i < sorted.size(); i++) if ((sorted.steps(i) & bit) != 0) return label(sorted.breakdown(i));
        return Shapes.NULL_BREAKDOWN;
    }

    private Outcome walk(Funnels q, UUID person, FunnelEvents.Of sorted, String breakdown, LongPredicate mayStart) {
        int n = q.series().size();
        long window = q.windowSeconds() * 1_000_000L;
        if (q.order() == Query.FunnelOrder.UNORDERED) return unordered(q, person, sorted, breakdown, window, mayStart);
        Attempt[] slot = new Attempt[n];
        List<Attempt> all = new ArrayList<>();
        boolean strict = q.order() == Query.FunnelOrder.STRICT;
        // the attempts the current event started or advanced (at most one per step)
        Attempt[] touched = new Attempt[n];
        for (int i = 0; i < sorted.size(); i++) {
            long ts = sorted.ts(i);
            int steps = sorted.steps(i);
            int touches = 0;
            for (int k = n - 1; k >= 0; k--) {
                if ((steps & (1 << k)) == 0) continue;
                if (k == 0) {
                    if (!mayStart.test(ts)) continue;
                    Attempt a = slot[0];
                    if (a != null && a.reached == 0) {
                        // an attempt that never advanced can neither advance nor win once a later one
                        // starts (an exclusion that drops the later one drops it too): restart it in place,
                        // instead of keeping one object per pageview of a browsing person
                        a.times[0] = ts;
                    } else {
                        a = new Attempt(n, ts);
                        slot[0] = a;
                        all.add(a);
                    }
                    touched[touches++] = a;
                } else {
                    Attempt a = slot[k - 1];
                    if (a == null || a.reached >= k || ts - a.times[0] > window) continue;
                    a.times[k] = ts;
                    a.reached = k;
                    slot[k] = a;
                    touched[touches++] = a;
                }
            }
            int exclusions = sorted.exclusions(i);
            for (int x = 0; x < q.exclusions().size(); x++) {
                if ((exclusions & (1 << x)) == 0) continue;
                Query.Exclusion ex = q.exclusions().get(x);
                for (Attempt a : all) {
                    if (!a.dropped && a.reached >= ex.fromStep() && a.reached < ex.toStep() && !among(touched, touches, a)) a.dropped = true;
                }
            }
            if (strict) {
                for (int k = 0; k < n; k++) if (slot[k] != null && !among(touched, touches, slot[k])) slot[k] = null;
            }
            for (int k = 0; k < n; k++) if (slot[k] != null && slot[k].dropped) slot[k] = null;
        }
        Attempt best = null;
        for (Attempt a : all) if (!a.dropped && (best == null || a.reached >= best.reached)) best = a;
        return best == null ? new Outcome(person, -1, new long[0], breakdown) : new Outcome(person, best.reached, best.times, breakdown);
    }

    private static boolean among(Attempt[] touched, int count, Attempt a) {
        for (int i = 0; i < count; i++) if (touched[i] == a) return true;
        return false;
    }

    private Outcome unordered(Funnels q, UUID person, FunnelEvents.Of sorted, String breakdown, long window, LongPredicate mayStart) {
        int n = q.series().size();
        int bestCount = 0;
        long[] bestTimes = new long[0];
        for (int i = 0; i < sorted.size(); i++) {
            long anchor = sorted.ts(i);
            if (sorted.steps(i) == 0 || !mayStart.test(anchor)) continue;
            long[] first = new long[n];
            java.util.Arrays.fill(first, Long.MAX_VALUE);
            for (int j = i; j < sorted.size() && sorted.ts(j) - anchor <= window; j++) {
                for (int k = 0; k < n; k++) if ((sorted.steps(j) & (1 << k)) != 0) first[k] = Math.min(first[k], sorted.ts(j));
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
            double[] durations = new double[entered.size()];
            int count = 0;
            for (Outcome o : entered) {
                if (o.furthest() < k) continue;
                if (k > 0) durations[count] = (o.times()[k] - o.times()[k - 1]) / 1e6;
                count++;
            }
            boolean timed = k > 0 && count > 0;
            Double average = timed ? java.util.Arrays.stream(durations, 0, count).average().orElse(0) : null;
            Double median = timed ? median(durations, count) : null;
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

    /** The median of the first {@code count} values (which it sorts), interpolated as quantile_cont does. */
    static double median(double[] values, int count) {
        java.util.Arrays.sort(values, 0, count);
        double pos = (count - 1) * 0.5;
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return values[lo] + (values[hi] - values[lo]) * (pos - lo);
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
                if (!startsWithin(events, lo, hi)) continue;
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

    private static boolean startsWithin(FunnelEvents.Of events, long lo, long hi) {
        for (int i = 0; i < events.size(); i++) if ((events.steps(i) & 1) != 0 && events.ts(i) >= lo && events.ts(i) < hi) return true;
        return false;
    }

    private static long micros(LocalDateTime local, TimeRange range) {
        var i = local.atZone(range.zone()).toInstant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }
}
