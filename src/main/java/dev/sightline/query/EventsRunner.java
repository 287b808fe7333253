package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.Dialect.Relation;
import dev.sightline.query.Query.Events;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * EventsQuery: a table of events (or of counts grouped by the other columns). Columns are a fixed
 * vocabulary, not HogQL: {@code *}, {@code event}, {@code timestamp}, {@code distinct_id},
 * {@code uuid}, {@code person_id}, {@code person}, {@code properties}, {@code session_id},
 * {@code properties.<key>}, {@code person.properties.<key>} and {@code count()}.
 */
final class EventsRunner implements Runner<Events> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A select column: its SQL (one or more expressions), whether it aggregates, and how a row becomes its value. */
    private record Column(String name, List<Dialect.Fragment> sql, boolean aggregate, boolean persons, String type, Reader reader) {}

    private interface Reader {
        Object read(ResultSet rs, int at, QueryContext ctx) throws SQLException;
    }

    @Override
    public Map<String, Object> run(Events q, QueryContext ctx) {
        Dialect d = ctx.dialect();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < q.select().size(); i++) columns.add(column(q.select().get(i), "select[" + i + "]", d));
        boolean aggregated = columns.stream().anyMatch(Column::aggregate);
        boolean persons = columns.stream().anyMatch(Column::persons);

        Sql sql = ctx.sql().add("SELECT ");
        List<Integer> offsets = new ArrayList<>();
        int at = 1;
        List<String> groupBy = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            offsets.add(at);
            for (Dialect.Fragment f : columns.get(c).sql()) {
                if (at > 1) sql.add(", ");
                sql.add(f);
                if (!columns.get(c).aggregate()) groupBy.add(String.valueOf(at));
                at++;
            }
        }
        boolean who = persons || columns.stream().anyMatch(c -> c.name().equals("*") || c.name().equals("person_id") || c.name().equals("person"))
                || q.personId().isPresent() || Filters.global(q.common(), ctx).needsWho();
        TimeRange range = q.common().dateRange().resolve(ctx.zone(), Interval.HOUR, ctx.now(), "1970-01-01T00:00:00Z", Optional::empty);
        Instant to = q.common().dateRange().dateTo().isPresent() ? range.to() : ctx.now().plusSeconds(86400);
        Query.Series any = new Query.Series(q.event(), Optional.empty(), Query.MathType.TOTAL, Optional.empty(), FilterNode.NONE);
        // newest first (the explorer's default): find the page by time and uuid alone, then read
        // only its rows in full (and join only its persons)
        boolean pageFirst = !aggregated && q.orderBy().isEmpty();
        if (pageFirst) {
            Relation rel = who ? Dialect.Relation.EVENTS : Dialect.Relation.EVENT_ROWS;
            List<UUID> ids = new ArrayList<>();
            long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
            page(q, ctx, rel, any, range.from(), to, ids, span);
            sql.add(" FROM (SELECT e1.*");
            if (persons) sql.add(", pp.properties AS person_properties, pp.created_at AS person_created_at");
            sql.add(" FROM (SELECT ev.* FROM ").from(rel, "ev").add(" WHERE ev.timestamp >= ").add(d.instant(micros(span[0])))
                    .add(" AND ev.timestamp <= ").add(d.instant(micros(span[1]))).add(" AND ev.uuid IN (");
            if (ids.isEmpty()) sql.add("NULL"); else sql.bindAll(ids);
            sql.add(")) e1");
            if (persons) sql.add(" LEFT JOIN ").from(Dialect.Relation.PERSONS, "pp").add(" ON pp.id = e1.person_id");
            sql.add(") ev ORDER BY ev.timestamp DESC, ev.uuid LIMIT ").bind(q.limit() + 1);
        } else {
            sql.add(" FROM ").from(Filters.relation(persons, who), "ev");
            Filters.where(sql, ctx, q.common(), any, range.from(), to);
            personId(sql, q);
            if (aggregated && !groupBy.isEmpty()) sql.add(" GROUP BY " + String.join(", ", groupBy));
            sql.add(" ORDER BY ");
            List<String> order = q.orderBy().isEmpty() ? List.of(aggregated ? "count() DESC" : "timestamp DESC") : q.orderBy();
            for (int i = 0; i < order.size(); i++) {
                if (i > 0) sql.add(", ");
                orderTerm(sql, order.get(i), "orderBy[" + i + "]", columns, offsets, aggregated, d);
            }
            if (!aggregated) sql.add(", ev.uuid");
            sql.add(" LIMIT ").bind(q.limit() + 1).add(" OFFSET ").bind(q.offset());
        }

        List<List<Object>> rows = new ArrayList<>();
        ctx.db().query(sql, rs -> {
            List<Object> row = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) row.add(columns.get(c).reader().read(rs, offsets.get(c), ctx));
            rows.add(row);
        });
        boolean more = rows.size() > q.limit();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("columns", q.select());
        out.put("types", columns.stream().map(Column::type).toList());
        out.put("results", more ? rows.subList(0, q.limit()) : rows);
        out.put("hasMore", more);
        out.put("limit", q.limit());
        out.put("offset", q.offset());
        return out;
    }

    /**
     * The uuids of the requested page, newest first, and the time span they cover (µs). Events are
     * stored roughly in time order, so the page is looked for in the last 2 days before {@code to},
     * then the last 16, then the whole range: the database skips the row groups outside the window.
     */
    private static void page(Events q, QueryContext ctx, Relation rel, Query.Series any, Instant from, Instant to, List<UUID> ids, long[] span) {
        int wanted = q.limit() + 1;
        for (int days : new int[] {2, 16, 0}) {
            Instant start = to.minus(java.time.Duration.ofDays(days));
            boolean whole = days == 0 || !start.isAfter(from);
            Sql sql = ctx.sql().add("SELECT ev.uuid, ").add(ctx.dialect().epochMicros("ev.timestamp")).add(" FROM ").from(rel, "ev");
            Filters.where(sql, ctx, q.common(), any, whole ? from : start, to);
            personId(sql, q);
            sql.add(" ORDER BY ev.timestamp DESC, ev.uuid LIMIT ").bind(wanted).add(" OFFSET ").bind(q.offset());
            ids.clear();
            span[0] = Long.MAX_VALUE;
            span[1] = Long.MIN_VALUE;
            ctx.db().query(sql, rs -> {
                ids.add((UUID) rs.getObject(1));
                span[0] = Math.min(span[0], rs.getLong(2));
                span[1] = Math.max(span[1], rs.getLong(2));
            });
            if (ids.size() == wanted || whole) return;
        }
    }


    private static Instant micros(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000);
    }

    private static void personId(Sql sql, Events q) {
        q.personId().ifPresent(p -> {
            UUID id;
            try {
                id = UUID.fromString(p);
            } catch (IllegalArgumentException e) {
                throw new InvalidQuery("personId", "personId must be a person's UUID");
            }
            sql.add(" AND ev.person_id = ").bind(id);
        });
    }

    private static void orderTerm(Sql sql, String term, String attr, List<Column> columns, List<Integer> offsets, boolean aggregated, Dialect d) {
        String t = term.trim();
        String direction = "ASC";
        String upper = t.toUpperCase(java.util.Locale.ROOT);
        if (upper.endsWith(" DESC")) {
            direction = "DESC";
            t = t.substring(0, t.length() - 5).trim();
        } else if (upper.endsWith(" ASC")) {
            t = t.substring(0, t.length() - 4).trim();
        }
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).name().equals(t) && columns.get(c).sql().size() == 1) {
                sql.add(offsets.get(c) + " " + direction);
                return;
            }
        }
        if (!aggregated) {
            Column c = column(t, attr, d);
            if (c.sql().size() == 1 && !c.aggregate()) {
                sql.add(c.sql().getFirst()).add(" " + direction);
                return;
            }
        }
        throw new InvalidQuery(attr, "cannot order by '" + term + "': order by a selected column, optionally with ASC or DESC");
    }

    private static String key(String raw) {
        String k = raw.trim();
        if (k.length() >= 2 && (k.startsWith("`") && k.endsWith("`") || k.startsWith("\"") && k.endsWith("\"") || k.startsWith("'") && k.endsWith("'"))) {
            k = k.substring(1, k.length() - 1);
        }
        return k;
    }

    private static Column column(String raw, String attr, Dialect d) {
        String name = raw.contains(" -- ") ? raw.substring(0, raw.indexOf(" -- ")).trim() : raw.trim();
        Reader text = (rs, at, ctx) -> rs.getString(at);
        Reader time = (rs, at, ctx) -> iso(rs.getLong(at), ctx);
        Reader json = (rs, at, ctx) -> tree(rs.getString(at));
        if (name.startsWith("person.properties.")) {
            return new Column(raw, List.of(d.property("ev.person_properties", key(name.substring(18)))), false, true, "String", text);
        }
        if (name.startsWith("properties.")) {
            return new Column(raw, List.of(d.eventProperty("ev", key(name.substring(11)))), false, false, "String", text);
        }
        return switch (name) {
            case "*" -> new Column(raw, List.of(Dialect.Fragment.of("CAST(ev.uuid AS VARCHAR)"), Dialect.Fragment.of("ev.event"),
                    Dialect.Fragment.of(d.eventPropertiesJson("ev")), Dialect.Fragment.of(d.epochMicros("ev.timestamp")), Dialect.Fragment.of("ev.distinct_id"),
                    Dialect.Fragment.of("CAST(ev.person_id AS VARCHAR)")), false, false, "Tuple", (rs, at, ctx) -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("uuid", rs.getString(at));
                        m.put("event", rs.getString(at + 1));
                        m.put("properties", tree(rs.getString(at + 2)));
                        m.put("timestamp", iso(rs.getLong(at + 3), ctx));
                        m.put("team_id", ctx.projectId());
                        m.put("distinct_id", rs.getString(at + 4));
                        m.put("elements_chain", "");
                        m.put("person_id", rs.getString(at + 5));
                        return m;
                    });
            case "event" -> new Column(raw, List.of(Dialect.Fragment.of("ev.event")), false, false, "String", text);
            case "distinct_id" -> new Column(raw, List.of(Dialect.Fragment.of("ev.distinct_id")), false, false, "String", text);
            case "uuid" -> new Column(raw, List.of(Dialect.Fragment.of("CAST(ev.uuid AS VARCHAR)")), false, false, "UUID", text);
            case "person_id" -> new Column(raw, List.of(Dialect.Fragment.of("CAST(ev.person_id AS VARCHAR)")), false, false, "UUID", text);
            case "session_id", "$session_id" -> new Column(raw, List.of(Dialect.Fragment.of("ev.session_id")), false, false, "String", text);
            case "timestamp" -> new Column(raw, List.of(Dialect.Fragment.of(d.epochMicros("ev.timestamp"))), false, false, "DateTime", time);
            case "properties" -> new Column(raw, List.of(Dialect.Fragment.of(d.eventPropertiesJson("ev"))), false, false, "String", json);
            case "person" -> new Column(raw, List.of(Dialect.Fragment.of("CAST(ev.person_id AS VARCHAR)"), Dialect.Fragment.of("ev.person_properties"),
                    Dialect.Fragment.of(d.epochMicros("ev.person_created_at")), Dialect.Fragment.of("ev.distinct_id")), false, true, "Tuple",
                    (rs, at, ctx) -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("uuid", rs.getString(at));
                        m.put("properties", rs.getString(at + 1) == null ? Map.of() : tree(rs.getString(at + 1)));
                        long created = rs.getLong(at + 2);
                        m.put("created_at", rs.wasNull() ? null : iso(created, ctx));
                        m.put("distinct_id", rs.getString(at + 3));
                        return m;
                    });
            case "count()", "count(*)", "count" -> new Column(raw, List.of(Dialect.Fragment.of("count(*)")), true, false, "UInt64",
                    (rs, at, ctx) -> rs.getLong(at));
            default -> throw new InvalidQuery(attr, "unsupported column '" + raw + "': use *, event, timestamp, distinct_id, uuid, person_id, person,"
                    + " properties, session_id, properties.<key>, person.properties.<key> or count()");
        };
    }

    private static String iso(long micros, QueryContext ctx) {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.EPOCH.plusNanos(micros * 1000).atZone(ctx.zone()).toOffsetDateTime());
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }
}
