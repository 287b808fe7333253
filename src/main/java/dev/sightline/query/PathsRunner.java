package dev.sightline.query;

import dev.sightline.query.Query.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Paths: per person, events in time order become items ($pageview → its $current_url without a
 * trailing slash, $screen → $screen_name, other events → their name), split into sessions at gaps
 * over 30 minutes, with repeats of the same item in a row collapsed and excluded items removed;
 * a path is cut to start at the first startPoint, end at the first endPoint after it, and at
 * most stepLimit items. Edges ({@code "1_/a" → "2_/b"}) count paths, busiest first.
 */
final class PathsRunner implements Runner<Paths> {
    static final long SESSION_GAP_MICROS = 30 * 60 * 1_000_000L;

    record Item(long ts, String name) {}

    @Override
    public Map<String, Object> run(Paths q, QueryContext ctx) {
        TimeRange range = ctx.range(q.common(), Interval.DAY);
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        sql.add("SELECT ev.person_id, ").add(d.epochMicros("ev.timestamp")).add(", ev.event, ")
                .add(d.property("ev.properties", "$current_url")).add(", ").add(d.property("ev.properties", "$screen_name"))
                .add(" FROM ").from(Filters.relation(Filters.global(q.common(), ctx).touchesPersons()), "ev");
        Query.Series any = new Query.Series(java.util.Optional.empty(), java.util.Optional.empty(), Query.MathType.TOTAL,
                java.util.Optional.empty(), FilterNode.NONE);
        Filters.where(sql, ctx, q.common(), any, range.from(), range.to());
        List<String> types = q.includeEventTypes();
        sql.add(" AND (FALSE");
        if (types.contains("$pageview")) sql.add(" OR ev.event = '$pageview'");
        if (types.contains("$screen")) sql.add(" OR ev.event = '$screen'");
        if (types.contains("custom_event")) sql.add(" OR ev.event NOT IN ('$pageview', '$screen')");
        sql.add(")");

        // grouped and sorted per person here: much faster than ORDER BY in the database
        Map<UUID, List<Item>> byPerson = new HashMap<>();
        ctx.db().query(sql, rs -> {
            String event = rs.getString(3);
            String name = switch (event) {
                case "$pageview" -> trimSlash(rs.getString(4));
                case "$screen" -> rs.getString(5);
                default -> event;
            };
            if (name != null) byPerson.computeIfAbsent((UUID) rs.getObject(1), k -> new ArrayList<>()).add(new Item(rs.getLong(2), name));
        });
        Map<String, long[]> edges = new HashMap<>();
        for (List<Item> items : byPerson.values()) {
            items.sort(Comparator.comparingLong(Item::ts));
            for (List<Item> path : paths(q, items)) {
                for (int i = 0; i + 1 < path.size(); i++) {
                    String key = (i + 1) + "_" + path.get(i).name() + "\u0000" + (i + 2) + "_" + path.get(i + 1).name();
                    long[] e = edges.computeIfAbsent(key, k -> new long[2]);
                    e[0]++;
                    e[1] += path.get(i + 1).ts() - path.get(i).ts();
                }
            }
        }

        List<Map<String, Object>> out = new ArrayList<>();
        edges.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey))
                .limit(q.edgeLimit())
                .forEach(e -> {
                    String[] st = e.getKey().split("\u0000", 2);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("source", st[0]);
                    m.put("target", st[1]);
                    m.put("value", e.getValue()[0]);
                    m.put("average_conversion_time", e.getValue()[1] / 1000.0 / e.getValue()[0]);
                    out.add(m);
                });
        return Map.of("results", out);
    }

    static String trimSlash(String url) {
        if (url == null) return null;
        return url.length() > 1 && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static List<List<Item>> paths(Paths q, List<Item> items) {
        List<List<Item>> sessions = new ArrayList<>();
        List<Item> session = new ArrayList<>();
        for (Item it : items) {
            if (!session.isEmpty() && it.ts() - session.getLast().ts() > SESSION_GAP_MICROS) {
                sessions.add(session);
                session = new ArrayList<>();
            }
            if (q.excludeEvents().contains(it.name())) continue;
            if (!session.isEmpty() && session.getLast().name().equals(it.name())) continue;
            session.add(it);
        }
        if (!session.isEmpty()) sessions.add(session);
        List<List<Item>> out = new ArrayList<>();
        for (List<Item> s : sessions) {
            int from = 0;
            if (q.startPoint().isPresent()) {
                from = indexOf(s, q.startPoint().get(), 0);
                if (from < 0) continue;
            }
            int to = s.size();
            if (q.endPoint().isPresent()) {
                int end = indexOf(s, q.endPoint().get(), from);
                if (end < 0) continue;
                to = end + 1;
            }
            List<Item> p = s.subList(from, to);
            if (p.size() > q.stepLimit()) {
                // with only an end point, keep the steps leading to it
                p = q.endPoint().isPresent() && q.startPoint().isEmpty() ? p.subList(p.size() - q.stepLimit(), p.size()) : p.subList(0, q.stepLimit());
            }
            out.add(p);
        }
        return out;
    }

    private static int indexOf(List<Item> s, String name, int from) {
        String wanted = trimSlash(name);
        for (int i = from; i < s.size(); i++) if (s.get(i).name().equals(wanted)) return i;
        return -1;
    }
}
