package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.Dataset.Ev;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Independent answers: plain Java over the raw events of {@link Dataset}, written from the
 * definitions (posthog-queries.md and the documented choices), sharing no code with the engine's SQL.
 */
final class Oracle {
    final Dataset data;
    final long project;
    final ZoneId zone;

    Oracle(Dataset data, long project, ZoneId zone) {
        this.data = data;
        this.project = project;
        this.zone = zone;
    }

    /** The actor an event counts for: override, stamped person, owner of the distinct id, else the distinct id itself. */
    String actor(Ev e) {
        UUID o = data.overrides.get(project).get(e.distinctId());
        if (o != null) return o.toString();
        if (e.stamped() != null) return e.stamped().toString();
        UUID p = data.distinctIds.get(project).get(e.distinctId());
        if (p != null) return p.toString();
        return "distinct:" + e.distinctId();
    }

    JsonNode personProps(Ev e) {
        String a = actor(e);
        if (a.startsWith("distinct:")) return null;
        Dataset.Person p = data.persons.get(project).get(UUID.fromString(a));
        return p == null ? null : p.props();
    }

    Instant createdAt(String actor) {
        if (actor.startsWith("distinct:")) return null;
        Dataset.Person p = data.persons.get(project).get(UUID.fromString(actor));
        return p == null ? null : p.createdAt();
    }

    List<Ev> events() {
        return data.events.stream().filter(e -> e.project() == project).toList();
    }

    LocalDateTime local(Instant t) {
        return LocalDateTime.ofInstant(t, zone);
    }

    /** The JSON text of a property as the store reads it: strings as-is, other scalars as JSON, null as absent. */
    static String text(JsonNode props, String key) {
        if (props == null) return null;
        JsonNode v = props.get(key);
        if (v == null || v.isNull()) return null;
        return v.isTextual() ? v.asText() : v.toString();
    }

    static Double number(String text) {
        if (text == null) return null;
        try {
            double d = Double.parseDouble(text.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One filter, as documented for each operator. */
    Predicate<Ev> filter(String key, String operator, Object value, boolean person) {
        return e -> {
            String t = text(person ? personProps(e) : e.props(), key);
            return switch (operator) {
                case "exact" -> t != null && values(value).contains(t);
                case "is_not" -> t == null || !values(value).contains(t);
                case "icontains" -> t != null && t.toLowerCase().contains(((String) value).toLowerCase());
                case "not_icontains" -> t == null || !t.toLowerCase().contains(((String) value).toLowerCase());
                case "regex" -> t != null && Pattern.compile((String) value).matcher(t).find();
                case "not_regex" -> t == null || !Pattern.compile((String) value).matcher(t).find();
                case "gt" -> number(t) != null && number(t) > ((Number) value).doubleValue();
                case "gte" -> number(t) != null && number(t) >= ((Number) value).doubleValue();
                case "lt" -> number(t) != null && number(t) < ((Number) value).doubleValue();
                case "lte" -> number(t) != null && number(t) <= ((Number) value).doubleValue();
                case "is_set" -> t != null;
                case "is_not_set" -> t == null;
                case "between" -> {
                    double[] mm = (double[]) value;
                    yield number(t) != null && number(t) >= mm[0] && number(t) <= mm[1];
                }
                case "not_between" -> {
                    double[] mm = (double[]) value;
                    yield number(t) != null && (number(t) < mm[0] || number(t) > mm[1]);
                }
                case "is_date_before", "is_date_after" -> {
                    LocalDateTime d = date(t);
                    LocalDateTime v = date((String) value);
                    yield d != null && (operator.equals("is_date_before") ? d.isBefore(v) : d.isAfter(v));
                }
                default -> throw new IllegalArgumentException(operator);
            };
        };
    }

    private static LocalDateTime date(String t) {
        if (t == null) return null;
        try {
            if (t.length() == 10) return java.time.LocalDate.parse(t).atStartOfDay();
            return LocalDateTime.parse(t.replace(' ', 'T'));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> values(Object v) {
        if (v instanceof List<?> l) return (List<String>) l;
        return List.of(String.valueOf(v));
    }

    /** DuckDB orders text by its UTF-8 bytes. */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Linear interpolation between closest ranks, as quantile_cont. */
    static double quantile(List<Double> values, double p) {
        if (values.isEmpty()) return 0;
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        double pos = (s.size() - 1) * p;
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s.get(lo) + (s.get(hi) - s.get(lo)) * (pos - lo);
    }

    static <K> void inc(Map<K, Integer> m, K k) {
        m.merge(k, 1, Integer::sum);
    }
}
