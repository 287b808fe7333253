package dev.sightline.store.duckdb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.PropertyFilter;
import dev.sightline.store.EventCursor;
import dev.sightline.store.MergeView;
import dev.sightline.store.PersonQuery;
import dev.sightline.store.PersonReads;
import dev.sightline.store.PersonView;
import dev.sightline.store.StoredEvent;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/** Persons, merge history and timelines read from DuckDB, each call on a connection of its own. */
public final class DuckDbPersonReads implements PersonReads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERSON_COLUMNS = "p.uuid, p.properties, p.is_identified, epoch_us(p.created_at), p.version";

    private final Database db;

    public DuckDbPersonReads(Database db) {
        this.db = db;
    }

    @Override
    public List<PersonView> list(long projectId, PersonQuery q) {
        StringBuilder sql = new StringBuilder("SELECT ").append(PERSON_COLUMNS).append(" FROM persons p WHERE p.project_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(projectId);
        q.search().ifPresent(term -> {
            String like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" AND (json_extract_string(p.properties, '/email') ILIKE ? ESCAPE '\\'")
                    .append(" OR json_extract_string(p.properties, '/name') ILIKE ? ESCAPE '\\'")
                    .append(" OR p.uuid::VARCHAR = lower(?)")
                    .append(" OR EXISTS (SELECT 1 FROM person_distinct_ids d WHERE d.project_id = p.project_id")
                    .append(" AND d.person_id = p.uuid AND d.distinct_id = ?))");
            params.add(like);
            params.add(like);
            params.add(term);
            params.add(term);
        });
        for (PropertyFilter f : q.properties()) {
            sql.append(" AND ").append(FilterSql.render(f, "p.properties", params));
        }
        q.after().ifPresent(pos -> {
            sql.append(" AND (p.created_at < make_timestamp(?) OR (p.created_at = make_timestamp(?) AND p.uuid < ?))");
            params.add(DuckDbEvents.micros(pos.createdAt()));
            params.add(DuckDbEvents.micros(pos.createdAt()));
            params.add(pos.uuid());
        });
        sql.append(" ORDER BY p.created_at DESC, p.uuid DESC LIMIT ?");
        params.add(q.limit());
        return withDistinctIds(projectId, persons(sql.toString(), params));
    }

    @Override
    public Optional<PersonView> get(long projectId, UUID uuid) {
        return withDistinctIds(projectId, persons("SELECT " + PERSON_COLUMNS + " FROM persons p WHERE p.project_id = ? AND p.uuid = ?",
                List.of(projectId, uuid))).stream().findFirst();
    }

    @Override
    public Optional<PersonView> byDistinctId(long projectId, String distinctId) {
        return withDistinctIds(projectId, persons("SELECT " + PERSON_COLUMNS + " FROM persons p JOIN person_distinct_ids d "
                + "ON d.project_id = p.project_id AND d.person_id = p.uuid WHERE p.project_id = ? AND d.distinct_id = ?",
                List.of(projectId, distinctId))).stream().findFirst();
    }

    @Override
    public List<MergeView> merges(long projectId, UUID uuid) {
        String sql = "SELECT kind, source_person_id, target_person_id, distinct_ids, event_uuid, rule, epoch_us(created_at) "
                + "FROM person_merges WHERE project_id = ? AND (source_person_id = ? OR target_person_id = ?) ORDER BY created_at, id";
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setObject(2, uuid);
            ps.setObject(3, uuid);
            List<MergeView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MergeView(rs.getString(1), (UUID) rs.getObject(2), (UUID) rs.getObject(3),
                            JSON.readValue(rs.getString(4), new TypeReference<List<String>>() {}),
                            Optional.ofNullable((UUID) rs.getObject(5)), rs.getString(6), DuckDbEvents.instant(rs.getLong(7))));
                }
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    // Windows tried around the starting point, widest last: events are stored in time order, so a
    // narrow window lets DuckDB skip most row groups by their timestamp statistics.
    private static final List<java.time.Duration> WINDOWS = List.of(java.time.Duration.ofHours(1), java.time.Duration.ofDays(1),
            java.time.Duration.ofDays(7), java.time.Duration.ofDays(30), java.time.Duration.ofDays(180));

    /**
     * A page of the timeline. Rather than scanning every event for the person's distinct ids, it
     * looks in a growing time window next to where the page starts (the cursor, or the project's
     * newest / oldest event) and stops at the first window that fills the page; the last try has
     * no window, so the answer is always complete.
     */
    @Override
    public List<StoredEvent> timeline(long projectId, List<String> distinctIds, boolean ascending, int limit, Optional<EventCursor> after) {
        if (distinctIds.isEmpty()) return List.of();
        try (DuckDBConnection c = db.connect()) {
            Optional<java.time.Instant> anchor = after.isPresent() ? Optional.of(after.get().timestamp()) : edge(c, projectId, ascending);
            if (anchor.isEmpty()) return List.of();
            for (java.time.Duration window : WINDOWS) {
                List<StoredEvent> page = timelinePage(c, projectId, distinctIds, ascending, limit, after, Optional.of(
                        ascending ? anchor.get().plus(window) : anchor.get().minus(window)));
                if (page.size() >= limit) return page;
            }
            return timelinePage(c, projectId, distinctIds, ascending, limit, after, Optional.empty());
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    private static Optional<java.time.Instant> edge(DuckDBConnection c, long projectId, boolean oldest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch_us(" + (oldest ? "min" : "max")
                + "(timestamp)) FROM events WHERE project_id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long micros = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(DuckDbEvents.instant(micros));
            }
        }
    }

    private List<StoredEvent> timelinePage(DuckDBConnection c, long projectId, List<String> distinctIds, boolean ascending, int limit,
                                           Optional<EventCursor> after, Optional<java.time.Instant> bound) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(projectId);
        StringBuilder sql = new StringBuilder("SELECT ").append(DuckDbEvents.COLUMNS)
                .append(" FROM events WHERE project_id = ? AND distinct_id IN (")
                .append(String.join(", ", Collections.nCopies(distinctIds.size(), "?"))).append(")");
        params.addAll(distinctIds);
        String cmp = ascending ? ">" : "<";
        after.ifPresent(cur -> {
            sql.append(" AND (timestamp ").append(cmp).append(" make_timestamp(?) OR (timestamp = make_timestamp(?) AND uuid ")
                    .append(cmp).append(" ?))");
            params.add(DuckDbEvents.micros(cur.timestamp()));
            params.add(DuckDbEvents.micros(cur.timestamp()));
            params.add(cur.uuid());
        });
        bound.ifPresent(b -> {
            sql.append(" AND timestamp ").append(ascending ? "<=" : ">=").append(" make_timestamp(?)");
            params.add(DuckDbEvents.micros(b));
        });
        String dir = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY timestamp ").append(dir).append(", uuid ").append(dir).append(" LIMIT ?");
        params.add(limit);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<StoredEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(DuckDbEvents.row(rs));
                }
            }
            return out;
        }
    }

    private record Row(UUID uuid, String properties, boolean identified, long createdMicros, long version) {}

    private List<Row> persons(String sql, List<Object> params) {
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row((UUID) rs.getObject(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("Invalid Input Error")) {
                throw new dev.sightline.query.InvalidQuery("properties", e.getMessage());
            }
            throw new StorageException(e.getMessage(), e);
        }
    }

    /** One query for the whole page's distinct ids, rather than one per person. */
    private List<PersonView> withDistinctIds(long projectId, List<Row> rows) {
        if (rows.isEmpty()) return List.of();
        Map<UUID, List<String>> ids = new HashMap<>();
        String sql = "SELECT person_id, distinct_id FROM person_distinct_ids WHERE project_id = ? AND person_id IN ("
                + String.join(", ", Collections.nCopies(rows.size(), "?")) + ") ORDER BY person_id, version, distinct_id";
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            for (int i = 0; i < rows.size(); i++) ps.setObject(i + 2, rows.get(i).uuid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.computeIfAbsent((UUID) rs.getObject(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
        List<PersonView> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new PersonView(r.uuid(), r.properties(), r.identified(), DuckDbEvents.instant(r.createdMicros()), r.version(),
                    List.copyOf(ids.getOrDefault(r.uuid(), List.of()))));
        }
        return out;
    }
}
