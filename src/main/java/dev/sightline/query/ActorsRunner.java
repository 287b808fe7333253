package dev.sightline.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.Query.Actors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The persons behind one data point of an insight: each runner names them (a trend bucket, a
 * funnel step or drop-off, a retention cell, a lifecycle bucket and status, a stickiness column),
 * here they are paged in id order and shown with their current profile.
 */
final class ActorsRunner implements Runner<Actors> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Map<String, Object> run(Actors q, QueryContext ctx) {
        List<UUID> ids = new ArrayList<>(switch (q.source()) {
            case Query.Trends t -> new TrendsRunner().actors(t, ctx, q.series().orElse(0), q.day().orElseThrow(), q.breakdown());
            case Query.Funnels f -> new FunnelsRunner().actors(f, ctx, q.funnelStep().orElseThrow(), q.breakdown());
            case Query.Retention r -> new RetentionRunner().actors(r, ctx, q.cohort().orElseThrow(), q.returnPeriod(), q.breakdown());
            case Query.Lifecycle l -> new LifecycleRunner().actors(l, ctx, q.day().orElseThrow(), q.status());
            case Query.Stickiness s -> new StickinessRunner().actors(s, ctx, q.series().orElse(0), intervals(q.day().orElseThrow()));
            default -> throw new InvalidQuery("source.source.kind", "persons cannot be listed for this query kind");
        });
        ids.sort(java.util.Comparator.comparing(UUID::toString));
        int from = Math.min(q.offset(), ids.size());
        int to = Math.min(ids.size(), from + q.limit());
        List<UUID> page = ids.subList(from, to);
        Map<UUID, Map<String, Object>> persons = persons(page, ctx);
        List<List<Object>> rows = new ArrayList<>();
        int missing = 0;
        for (UUID id : page) {
            Map<String, Object> p = persons.get(id);
            if (p == null) {
                // an actor without a person row (events stored before identity processing)
                missing++;
                p = new LinkedHashMap<>();
                p.put("id", id.toString());
                p.put("uuid", id.toString());
                p.put("distinct_ids", List.of());
                p.put("properties", Map.of());
                p.put("is_identified", false);
                p.put("created_at", null);
            }
            rows.add(List.of(p, id.toString()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", rows);
        out.put("columns", List.of("person", "id"));
        out.put("types", List.of("Tuple", "UUID"));
        out.put("hasMore", to < ids.size());
        out.put("limit", q.limit());
        out.put("offset", q.offset());
        out.put("missing_actors_count", missing);
        return out;
    }

    private static int intervals(String day) {
        try {
            int k = Integer.parseInt(day.trim());
            if (k < 1) throw new NumberFormatException();
            return k;
        } catch (NumberFormatException e) {
            throw new InvalidQuery("source.day", "for stickiness, day is the number of intervals (1, 2, ...)");
        }
    }

    private static Map<UUID, Map<String, Object>> persons(List<UUID> ids, QueryContext ctx) {
        Map<UUID, Map<String, Object>> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        Sql sql = ctx.sql();
        sql.add("SELECT p.id, p.properties, ").add(ctx.dialect().epochMicros("p.created_at"))
                .add(", p.is_identified, (SELECT list(d.distinct_id ORDER BY d.distinct_id) FROM ")
                .from(Dialect.Relation.DISTINCT_IDS, "d").add(" WHERE d.person_id = p.id) FROM ")
                .from(Dialect.Relation.PERSONS, "p").add(" WHERE p.id IN (").bindAll(ids).add(")");
        ctx.db().query(sql, rs -> {
            UUID id = (UUID) rs.getObject(1);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id.toString());
            m.put("uuid", id.toString());
            List<String> distinctIds = new ArrayList<>();
            java.sql.Array a = rs.getArray(5);
            if (a != null) for (Object o : (Object[]) a.getArray()) distinctIds.add(String.valueOf(o));
            m.put("distinct_ids", distinctIds);
            try {
                m.put("properties", JSON.readTree(rs.getString(2)));
            } catch (java.io.IOException e) {
                m.put("properties", Map.of());
            }
            m.put("is_identified", rs.getBoolean(4));
            m.put("created_at", java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    java.time.Instant.EPOCH.plusNanos(rs.getLong(3) * 1000).atZone(ctx.zone()).toOffsetDateTime()));
            out.put(id, m);
        });
        return out;
    }
}
