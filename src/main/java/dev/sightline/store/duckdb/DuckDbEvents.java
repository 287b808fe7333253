package dev.sightline.store.duckdb;

import dev.sightline.query.PropertyFilter;
import dev.sightline.store.EnrichmentColumns;
import dev.sightline.store.EventQuery;
import dev.sightline.store.EventSink;
import dev.sightline.store.EventStore;
import dev.sightline.store.StoredEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/** Reading events from DuckDB (the writing side is {@link DuckDbIngest}). */
public final class DuckDbEvents implements EventStore {
    /** The columns {@link #row} reads, in its order. */
    static final String COLUMNS = "uuid, event, distinct_id, epoch_us(timestamp), epoch_us(created_at), properties, person_id, person_properties, "
            + String.join(", ", EnrichmentColumns.COLUMNS.values());

    private final Database db;

    public DuckDbEvents(Database db) {
        this.db = db;
    }

    /** Event uuids of the most recently captured events, newest first. */
    public List<EventSink.ProjectEventId> recentEventIds(int limit) {
        List<EventSink.ProjectEventId> out = new ArrayList<>();
        try (DuckDBConnection c = db.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT project_id, uuid FROM events ORDER BY created_at DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new EventSink.ProjectEventId(rs.getLong(1), (UUID) rs.getObject(2)));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public List<StoredEvent> list(long projectId, EventQuery q) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM events WHERE project_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(projectId);
        q.event().ifPresent(v -> { sql.append(" AND event = ?"); params.add(v); });
        q.distinctId().ifPresent(v -> { sql.append(" AND distinct_id = ?"); params.add(v); });
        q.after().ifPresent(v -> { sql.append(" AND timestamp > make_timestamp(?)"); params.add(micros(v)); });
        q.before().ifPresent(v -> { sql.append(" AND timestamp < make_timestamp(?)"); params.add(micros(v)); });
        q.cursor().ifPresent(c -> {
            sql.append(" AND (timestamp < make_timestamp(?) OR (timestamp = make_timestamp(?) AND uuid < ?))");
            params.add(micros(c.timestamp()));
            params.add(micros(c.timestamp()));
            params.add(c.uuid());
        });
        for (PropertyFilter f : q.properties()) {
            sql.append(" AND ").append(FilterSql.render(f, params));
        }
        sql.append(" ORDER BY timestamp DESC, uuid DESC LIMIT ?");
        params.add(q.limit());
        return query(sql.toString(), params);
    }

    @Override
    public Optional<StoredEvent> get(long projectId, UUID uuid) {
        List<StoredEvent> rows = query("SELECT " + COLUMNS + " FROM events WHERE project_id = ? AND uuid = ? LIMIT 1",
                List.of(projectId, uuid));
        return rows.stream().findFirst();
    }

    @Override
    public boolean hasEvents(long projectId) {
        return Statements.rows(db, "SELECT EXISTS (SELECT 1 FROM events WHERE project_id = ?)", rs -> rs.getBoolean(1), projectId).getFirst();
    }

    @Override
    public long count(long projectId) {
        return Statements.rows(db, "SELECT count(*) FROM events WHERE project_id = ?", rs -> rs.getLong(1), projectId).getFirst();
    }

    private List<StoredEvent> query(String sql, List<Object> params) {
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<StoredEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
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

    /**
     * One event from a result set selecting {@link #COLUMNS}. Its whole properties are put together
     * here rather than in SQL: for a page of events, planning that expression costs more than running it.
     */
    static StoredEvent row(ResultSet rs) throws SQLException {
        List<String> enrichment = new ArrayList<>(EnrichmentColumns.KEYS.size());
        for (int i = 0; i < EnrichmentColumns.KEYS.size(); i++) enrichment.add(rs.getString(9 + i));
        return new StoredEvent((UUID) rs.getObject(1), rs.getString(2), rs.getString(3), instant(rs.getLong(4)),
                instant(rs.getLong(5)), EnrichmentColumns.whole(rs.getString(6), enrichment), Optional.ofNullable((UUID) rs.getObject(7)),
                Optional.ofNullable(rs.getString(8)).orElse("{}"));
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
