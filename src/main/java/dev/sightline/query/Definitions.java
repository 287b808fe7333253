package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What the pickers offer: event names with their 30-day volume, property keys with their type,
 * and a property's most common values. Each answer is computed once per project and data version
 * (at most once a minute while data keeps arriving) and searched in memory, so typing in a picker
 * never scans the events. Keys and values come from the newest events and persons (a sample of
 * {@link #SAMPLE} rows), which is what a picker needs: what is being sent now.
 */
public final class Definitions {
    public static final int SAMPLE = 5_000;
    private static final int VALUE_SAMPLE = 50_000;
    private static final Duration FRESH = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    public record EventDefinition(String name, long volume30Day, Instant lastSeenAt) {}

    public record PropertyDefinition(String name, String propertyType, long seen) {}

    public record PropertyValue(String name, long count) {}

    public enum Scope { EVENT, PERSON }

    private record Cached<T>(T value, String version, Instant at) {}

    private final Dialect dialect;
    private final SqlExecutor db;
    private final QueryService.DataVersion version;
    private final Clock clock;
    private final Cache<String, Cached<?>> cache = Caffeine.newBuilder().maximumSize(2_000).build();

    public Definitions(Dialect dialect, SqlExecutor db, QueryService.DataVersion version, Clock clock) {
        this.dialect = dialect;
        this.db = db;
        this.version = version;
        this.clock = clock;
    }

    public List<EventDefinition> events(long projectId, Optional<String> search) {
        List<EventDefinition> all = cached("events:" + projectId, projectId, () -> {
            Instant since = clock.instant().minus(Duration.ofDays(30));
            Sql sql = new Sql(projectId, dialect).add("SELECT e.event, count(*) FILTER (WHERE e.timestamp >= ").add(dialect.instant(since))
                    .add("), max(e.timestamp) FROM ").from(Dialect.Relation.EVENT_ROWS, "e")
                    .add(" GROUP BY e.event ORDER BY 2 DESC, 1 LIMIT 5000");
            List<EventDefinition> out = new ArrayList<>();
            db.query(sql, rs -> out.add(new EventDefinition(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant())));
            return out;
        });
        return search.map(s -> all.stream().filter(d -> contains(d.name(), s)).toList()).orElse(all);
    }

    public List<PropertyDefinition> properties(long projectId, Scope scope, Optional<String> search) {
        List<PropertyDefinition> all = cached("properties:" + scope + ":" + projectId, projectId, () -> {
            Sql sql = scope == Scope.EVENT
                    ? new Sql(projectId, dialect).add("SELECT ").add(dialect.eventPropertiesJson("e")).add(" FROM ")
                            .from(Dialect.Relation.EVENT_ROWS, "e").add(" ORDER BY e.timestamp DESC LIMIT ").bind(SAMPLE)
                    : new Sql(projectId, dialect).add("SELECT p.properties FROM ").from(Dialect.Relation.PERSONS, "p")
                            .add(" ORDER BY p.created_at DESC LIMIT ").bind(SAMPLE);
            Map<String, Map<String, Long>> types = new TreeMap<>();
            db.query(sql, rs -> {
                String text = rs.getString(1);
                if (text == null) return;
                try {
                    JsonNode node = JSON.readTree(text);
                    node.properties().forEach(e -> types.computeIfAbsent(e.getKey(), k -> new HashMap<>())
                            .merge(type(e.getValue()), 1L, Long::sum));
                } catch (java.io.IOException ignored) {
                    // a row that is not JSON offers no keys
                }
            });
            List<PropertyDefinition> out = new ArrayList<>();
            types.forEach((key, byType) -> {
                byType.remove("Null");
                String type = byType.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("String");
                out.add(new PropertyDefinition(key, type, byType.values().stream().mapToLong(Long::longValue).sum()));
            });
            // custom keys first (what the team sends), then PostHog's own $ keys; most seen first within each
            out.sort(Comparator.comparing((PropertyDefinition d) -> d.name().startsWith("$"))
                    .thenComparing(Comparator.comparingLong(PropertyDefinition::seen).reversed())
                    .thenComparing(PropertyDefinition::name));
            return out;
        });
        return search.map(s -> all.stream().filter(d -> contains(d.name(), s)).toList()).orElse(all);
    }

    public List<PropertyValue> values(long projectId, Scope scope, String key, Optional<String> prefix) {
        List<PropertyValue> all = cached("values:" + scope + ":" + projectId + ":" + key, projectId, () -> {
            Sql inner = scope == Scope.EVENT
                    ? new Sql(projectId, dialect).add("SELECT ").add(dialect.eventProperty("e", key)).add(" AS v FROM ")
                            .from(Dialect.Relation.EVENT_ROWS, "e").add(" ORDER BY e.timestamp DESC LIMIT ").bind(VALUE_SAMPLE)
                    : new Sql(projectId, dialect).add("SELECT ").add(dialect.property("p.properties", key)).add(" AS v FROM ")
                            .from(Dialect.Relation.PERSONS, "p");
            Sql sql = new Sql(projectId, dialect).add("SELECT v, count(*) FROM (").add(inner)
                    .add(") s WHERE v IS NOT NULL GROUP BY v ORDER BY 2 DESC, 1 LIMIT 500");
            List<PropertyValue> out = new ArrayList<>();
            db.query(sql, rs -> out.add(new PropertyValue(rs.getString(1), rs.getLong(2))));
            return out;
        });
        return prefix.map(p -> all.stream().filter(v -> contains(v.name(), p)).toList()).orElse(all)
                .stream().limit(50).toList();
    }

    static String type(JsonNode v) {
        if (v.isNumber()) return "Numeric";
        if (v.isBoolean()) return "Boolean";
        if (v.isNull()) return "Null";
        if (v.isTextual() && looksLikeDateTime(v.asText())) return "DateTime";
        return "String";
    }

    private static boolean looksLikeDateTime(String s) {
        return s.length() >= 10 && s.length() <= 35 && s.matches("\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?");
    }

    private static boolean contains(String text, String search) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT));
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String key, long projectId, Supplier<T> compute) {
        String current = version.dataVersion(projectId);
        Instant now = clock.instant();
        Cached<?> hit = cache.getIfPresent(key);
        // the same data, or data that keeps changing but was read less than a minute ago
        if (hit != null && (hit.version().equals(current) || Duration.between(hit.at(), now).compareTo(FRESH) < 0)) {
            return (T) hit.value();
        }
        T value = compute.get();
        cache.put(key, new Cached<>(value, current, now));
        return value;
    }
}
