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

    /**
     * Who is behind the data point: a statement whose one column is the persons' ids (distinct), or
     * the ids themselves where a runner decides membership in Java (the funnel walk, a retention
     * breakdown's labels).
     */
    sealed interface Ids {
        record Select(Sql sql) implements Ids {}

        record Listed(List<UUID> ids) implements Ids {}
    }

    @Override
    public Map<String, Object> run(Actors q, QueryContext ctx) {
        Ids ids = ids(q, ctx);
        return shape(q, ctx, ids);
    }

    /** Every actor of the data point, unpaged (for saving them as a static cohort). */
    List<UUID> all(Actors q, QueryContext ctx) {
        return switch (ids(q, ctx)) {
            case Ids.Listed l -> List.copyOf(new java.util.LinkedHashSet<>(l.ids()));
            case Ids.Select s -> {
                Sql sql = ctx.sql().add("SELECT DISTINCT a.id FROM (").add(s.sql()).add(") AS a(id)");
                List<UUID> out = new ArrayList<>();
                ctx.db().query(sql, rs -> out.add((UUID) rs.getObject(1)));
                yield out;
            }
        };
    }

    private static Ids ids(Actors q, QueryContext ctx) {
        return switch (q.source()) {
            case Query.Trends t -> new Ids.Select(new TrendsRunner().actors(t, ctx, q.series().orElse(0), q.day().orElseThrow(), q.breakdown()));
            case Query.Funnels f -> new Ids.Listed(new FunnelsRunner().actors(f, ctx, q.funnelStep().orElseThrow(), q.breakdown()));
            case Query.Retention r -> new RetentionRunner().actors(r, ctx, q.cohort().orElseThrow(), q.returnPeriod(), q.breakdown());
            case Query.Lifecycle l -> new Ids.Select(new LifecycleRunner().actors(l, ctx, q.day().orElseThrow(), q.status()));
            case Query.Stickiness s -> new Ids.Select(new StickinessRunner().actors(s, ctx, q.series().orElse(0), intervals(q.day().orElseThrow())));
            default -> throw new InvalidQuery("source.source.kind", "persons cannot be listed for this query kind");
        };
    }

    private static Map<String, Object> shape(Actors q, QueryContext ctx, Ids ids) {
        Page page = switch (ids) {
            case Ids.Select s -> page(s.sql(), q.offset(), q.limit(), ctx);
            case Ids.Listed l -> page(l.ids(), q.offset(), q.limit(), ctx);
        };
        List<List<Object>> rows = new ArrayList<>();
        int missing = 0;
        for (Map<String, Object> p : page.persons()) {
            // an actor without a person row (events stored before identity processing)
            if (p.get("created_at") == null) missing++;
            rows.add(List.of(p, p.get("id")));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", rows);
        out.put("columns", List.of("person", "id"));
        out.put("types", List.of("Tuple", "UUID"));
        out.put("hasMore", page.hasMore());
        out.put("limit", q.limit());
        out.put("offset", q.offset());
        out.put("missing_actors_count", missing);
        return out;
    }

    /** One page of actors in id order (as text), each with its profile. */
    private record Page(List<Map<String, Object>> persons, boolean hasMore) {}

    /** Ids chosen in the database: paged there too, with the profiles, in one statement. */
    private static Page page(Sql ids, int offset, int limit, QueryContext ctx) {
        Sql sql = ctx.sql();
        // one more than the page, to tell whether there are more
        sql.add("WITH ids AS (").add(ids).add("), page AS (SELECT DISTINCT a.id FROM ids AS a(id) ORDER BY CAST(a.id AS VARCHAR) LIMIT ")
                .bind(limit + 1).add(" OFFSET ").bind(offset).add(") ");
        List<Map<String, Object>> persons = profiles(sql, ctx);
        boolean more = persons.size() > limit;
        return new Page(more ? persons.subList(0, limit) : persons, more);
    }

    /** Ids listed by a runner: sorted and paged here, then their profiles in one statement. */
    private static Page page(List<UUID> all, int offset, int limit, QueryContext ctx) {
        List<UUID> ids = new ArrayList<>(new java.util.HashSet<>(all));
        ids.sort(java.util.Comparator.comparing(UUID::toString));
        int from = Math.min(offset, ids.size());
        int to = Math.min(ids.size(), from + limit);
        if (from == to) return new Page(List.of(), false);
        Sql sql = ctx.sql().add("WITH page AS (SELECT * FROM (VALUES ");
        for (int i = from; i < to; i++) sql.add(i == from ? "(" : ", (").bind(ids.get(i)).add(")");
        sql.add(") AS v(id)) ");
        return new Page(profiles(sql, ctx), to < ids.size());
    }

    /**
     * Completes {@code WITH ... page(id)} with each id's person row and distinct ids, in id order; an
     * id without a person row comes back with empty properties and no {@code created_at}.
     */
    private static List<Map<String, Object>> profiles(Sql sql, QueryContext ctx) {
        Dialect d = ctx.dialect();
        sql.add(", dids AS (SELECT di.person_id, list(di.distinct_id ORDER BY di.distinct_id) AS ids FROM ").from(Dialect.Relation.DISTINCT_IDS, "di")
                .add(" WHERE di.person_id IN (SELECT id FROM page) GROUP BY di.person_id)")
                .add(" SELECT page.id, p.properties, p.created_at IS NOT NULL, ").add(d.epochMicros("p.created_at"))
                .add(", coalesce(p.is_identified, false), dids.ids FROM page LEFT JOIN ").from(Dialect.Relation.PERSONS, "p")
                .add(" ON p.id = page.id LEFT JOIN dids ON dids.person_id = page.id ORDER BY CAST(page.id AS VARCHAR)");
        List<Map<String, Object>> out = new ArrayList<>();
        ctx.db().query(sql, rs -> {
            String id = rs.getObject(1).toString();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("uuid", id);
            List<String> distinctIds = new ArrayList<>();
            java.sql.Array a = rs.getArray(6);
            if (a != null) for (Object o : (Object[]) a.getArray()) distinctIds.add(String.valueOf(o));
            m.put("distinct_ids", distinctIds);
            Object properties = Map.of();
            String json = rs.getString(2);
            if (json != null) {
                try {
                    properties = JSON.readTree(json);
                } catch (java.io.IOException e) {
                    // a profile whose stored JSON cannot be read shows no properties rather than failing the list
                }
            }
            m.put("properties", properties);
            m.put("is_identified", rs.getBoolean(5));
            m.put("created_at", rs.getBoolean(3) ? java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    java.time.Instant.EPOCH.plusNanos(rs.getLong(4) * 1000).atZone(ctx.zone()).toOffsetDateTime()) : null);
            out.add(m);
        });
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
}
