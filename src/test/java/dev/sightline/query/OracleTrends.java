package dev.sightline.query;

import dev.sightline.query.Dataset.Ev;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** Trends, stickiness and lifecycle answers computed the slow, obvious way. */
final class OracleTrends {
    static final String NULL = "$$_posthog_breakdown_null_$$";
    static final String OTHER = "$$_posthog_breakdown_other_$$";

    private OracleTrends() {}

    static LocalDateTime floor(String interval, LocalDateTime t) {
        return switch (interval) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "day" -> t.truncatedTo(ChronoUnit.DAYS);
            case "week" -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
            default -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
    }

    static LocalDateTime next(String interval, LocalDateTime t) {
        return switch (interval) {
            case "hour" -> t.plusHours(1);
            case "day" -> t.plusDays(1);
            case "week" -> t.plusWeeks(1);
            default -> t.plusMonths(1);
        };
    }

    static List<LocalDateTime> buckets(String interval, LocalDateTime from, LocalDateTime to) {
        List<LocalDateTime> out = new ArrayList<>();
        for (LocalDateTime b = floor(interval, from); !b.isAfter(floor(interval, to)); b = next(interval, b)) out.add(b);
        return out;
    }

    static boolean within(Oracle o, Ev e, LocalDateTime from, LocalDateTime to) {
        return !e.ts().isBefore(from.atZone(o.zone).toInstant()) && !e.ts().isAfter(to.atZone(o.zone).toInstant());
    }

    /** label → data per bucket, in rank order; a single "" label without breakdown. */
    static Map<String, double[]> trend(Oracle o, String event, Predicate<Ev> filter, String math, String property,
                                       String interval, LocalDateTime from, LocalDateTime to,
                                       Function<Ev, String> breakdown, int limit) {
        List<LocalDateTime> buckets = buckets(interval, from, to);
        int window = switch (math) {
            case "weekly_active" -> interval.equals("week") || interval.equals("month") ? 0 : 7;
            case "monthly_active" -> interval.equals("month") ? 0 : 30;
            default -> 0;
        };
        LocalDateTime readFrom = from.minusDays(window);
        List<Ev> picked = o.events().stream()
                .filter(e -> event == null || e.event().equals(event))
                .filter(e -> within(o, e, readFrom, to))
                .filter(filter).toList();
        Map<String, Integer> volume = new HashMap<>();
        for (Ev e : picked) Oracle.inc(volume, label(e, breakdown));
        List<String> ranked = new ArrayList<>(volume.keySet());
        ranked.sort((a, b) -> volume.get(a).equals(volume.get(b)) ? Oracle.compareUtf8(a, b) : volume.get(b) - volume.get(a));
        Map<String, String> finalLabel = new HashMap<>();
        for (int i = 0; i < ranked.size(); i++) finalLabel.put(ranked.get(i), i < limit ? ranked.get(i) : OTHER);

        Map<String, double[]> out = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (String r : ranked) if (!order.contains(finalLabel.get(r))) order.add(finalLabel.get(r));
        order.sort((a, b) -> a.equals(OTHER) ? 1 : b.equals(OTHER) ? -1 : 0);
        for (String label : order) {
            double[] data = new double[buckets.size()];
            List<Ev> mine = picked.stream().filter(e -> finalLabel.get(label(e, breakdown)).equals(label)).toList();
            for (int i = 0; i < buckets.size(); i++) {
                LocalDateTime b = buckets.get(i);
                LocalDateTime end = next(interval, b);
                List<Ev> in;
                if (window > 0) {
                    LocalDateTime lo = end.minusDays(window);
                    in = mine.stream().filter(e -> !o.local(e.ts()).isBefore(lo) && o.local(e.ts()).isBefore(end)).toList();
                } else {
                    in = mine.stream().filter(e -> floor(interval, o.local(e.ts())).equals(b)).toList();
                }
                data[i] = aggregate(o, in, math, property);
            }
            if (label.equals(NULL) && java.util.Arrays.stream(data).sum() == 0) continue;
            out.put(breakdown == null ? "" : label, data);
        }
        if (breakdown == null && out.isEmpty()) out.put("", new double[buckets.size()]);
        return out;
    }

    private static String label(Ev e, Function<Ev, String> breakdown) {
        if (breakdown == null) return "";
        String v = breakdown.apply(e);
        return v == null ? NULL : v;
    }

    static double aggregate(Oracle o, List<Ev> in, String math, String property) {
        List<Double> values = new ArrayList<>();
        if (property != null) {
            for (Ev e : in) {
                Double d = Oracle.number(Oracle.text(e.props(), property));
                if (d != null) values.add(d);
            }
        }
        Map<String, Integer> perActor = new HashMap<>();
        for (Ev e : in) Oracle.inc(perActor, o.actor(e));
        List<Double> counts = perActor.values().stream().map(Integer::doubleValue).toList();
        return switch (math) {
            case "total" -> in.size();
            case "dau", "weekly_active", "monthly_active" -> perActor.size();
            case "unique_session" -> {
                Set<String> s = new HashSet<>();
                for (Ev e : in) if (e.sessionId() != null) s.add(e.sessionId());
                yield s.size();
            }
            case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
            case "avg" -> values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            case "median" -> Oracle.quantile(values, 0.5);
            case "p75" -> Oracle.quantile(values, 0.75);
            case "p90" -> Oracle.quantile(values, 0.9);
            case "p95" -> Oracle.quantile(values, 0.95);
            case "p99" -> Oracle.quantile(values, 0.99);
            case "avg_count_per_actor" -> counts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            case "min_count_per_actor" -> counts.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            case "max_count_per_actor" -> counts.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            case "median_count_per_actor" -> Oracle.quantile(counts, 0.5);
            case "p90_count_per_actor" -> Oracle.quantile(counts, 0.9);
            default -> throw new IllegalArgumentException(math);
        };
    }
}
