package dev.sightline.query;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON pieces PostHog's insight results share. */
final class Shapes {
    static final String NULL_BREAKDOWN = "$$_posthog_breakdown_null_$$";
    static final String OTHER_BREAKDOWN = "$$_posthog_breakdown_other_$$";

    private Shapes() {}

    /** Counts print as integers, everything else as doubles. */
    static Number number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Number) (long) d : (Number) d;
    }

    static List<Number> numbers(double[] data) {
        List<Number> out = new ArrayList<>(data.length);
        for (double d : data) out.add(number(d));
        return out;
    }

    static double sum(double[] data) {
        double s = 0;
        for (double d : data) s += d;
        return s;
    }

    static List<String> days(TimeRange range) {
        return range.buckets().stream().map(range::day).toList();
    }

    static List<String> labels(TimeRange range) {
        return range.buckets().stream().map(range::label).toList();
    }

    static Map<String, Object> action(Query.Series s, int order) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", s.event().orElse(null));
        a.put("type", "events");
        a.put("order", order);
        a.put("name", s.label());
        a.put("custom_name", s.customName().orElse(null));
        a.put("math", s.math().wire());
        a.put("math_property", s.mathProperty().orElse(null));
        if (s.mathGroupTypeIndex() >= 0) a.put("math_group_type_index", s.mathGroupTypeIndex());
        return a;
    }

    /** A time series in PostHog's trends shape. */
    static Map<String, Object> series(TimeRange range, double[] data, String label, Object action) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", numbers(data));
        m.put("days", days(range));
        m.put("labels", labels(range));
        m.put("count", sum(data));
        m.put("label", label);
        m.put("action", action);
        return m;
    }

    static LocalDateTime localFromMicros(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000), (int) Math.floorMod(micros, 1_000_000) * 1000,
                java.time.ZoneOffset.UTC);
    }
}
