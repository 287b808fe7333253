package dev.sightline.store.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.insight.Dashboard;
import dev.sightline.insight.InsightStore;
import dev.sightline.insight.SavedInsight;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Saved insights and dashboards in the embedded store; every statement binds its project. */
public final class DuckDbInsights implements InsightStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSIGHT_COLUMNS = "SELECT id, short_id, name, description, tags, favorited, query, created_by, created_at, "
            + "last_modified_by, last_modified_at, last_refresh, result, deleted FROM insights";
    private static final String DASHBOARD_COLUMNS = "SELECT id, name, description, pinned, tags, filters, refresh_interval, created_by, "
            + "created_at, deleted FROM dashboards";

    private final Database db;

    public DuckDbInsights(Database db) {
        this.db = db;
    }

    @Override
    public synchronized SavedInsight createInsight(long projectId, String shortId, InsightFields f, long userId, Instant at) {
        long id = nextId(projectId, "insights");
        Statements.update(db, "INSERT INTO insights VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)", projectId, id, shortId, f.name(),
                f.description(), json(f.tags()), f.favorited(), f.query().toString(), userId, Timestamp.from(at), userId, Timestamp.from(at),
                f.deleted());
        return insight(projectId, id).orElseThrow();
    }

    @Override
    public Optional<SavedInsight> insight(long projectId, long id) {
        return insights(INSIGHT_COLUMNS + " WHERE project_id = ? AND id = ?", projectId, id).stream().findFirst();
    }

    @Override
    public Optional<SavedInsight> insightByShortId(long projectId, String shortId) {
        return insights(INSIGHT_COLUMNS + " WHERE project_id = ? AND short_id = ?", projectId, shortId).stream().findFirst();
    }

    @Override
    public List<SavedInsight> insights(long projectId, Optional<String> search, boolean favoritedOnly, int limit, int offset) {
        List<Object> params = new ArrayList<>(List.of(projectId));
        String where = where(search, favoritedOnly, params);
        params.add(limit);
        params.add(offset);
        return insights(INSIGHT_COLUMNS + where + " ORDER BY last_modified_at DESC, id DESC LIMIT ? OFFSET ?", params.toArray());
    }

    @Override
    public long countInsights(long projectId, Optional<String> search, boolean favoritedOnly) {
        List<Object> params = new ArrayList<>(List.of(projectId));
        String where = where(search, favoritedOnly, params);
        return Statements.rows(db, "SELECT count(*) FROM insights" + where, rs -> rs.getLong(1), params.toArray()).getFirst();
    }

    private static String where(Optional<String> search, boolean favoritedOnly, List<Object> params) {
        StringBuilder w = new StringBuilder(" WHERE project_id = ? AND NOT deleted");
        if (favoritedOnly) w.append(" AND favorited");
        search.ifPresent(s -> {
            String like = "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            w.append(" AND (name ILIKE ? ESCAPE '\\' OR description ILIKE ? ESCAPE '\\')");
            params.add(like);
            params.add(like);
        });
        return w.toString();
    }

    @Override
    public synchronized SavedInsight updateInsight(long projectId, long id, InsightFields f, long userId, Instant at) {
        // a kept result answers the query it was computed for: a new query forgets it
        Statements.update(db, "UPDATE insights SET result = CASE WHEN query = ? THEN result END, "
                        + "last_refresh = CASE WHEN query = ? THEN last_refresh END, name = ?, description = ?, tags = ?, favorited = ?, query = ?, "
                        + "last_modified_by = ?, last_modified_at = ?, deleted = ? WHERE project_id = ? AND id = ?",
                f.query().toString(), f.query().toString(), f.name(), f.description(), json(f.tags()), f.favorited(),
                f.query().toString(), userId, Timestamp.from(at), f.deleted(), projectId, id);
        return insight(projectId, id).orElseThrow();
    }

    @Override
    public void saveResult(long projectId, long id, JsonNode result, Instant at) {
        Statements.update(db, "UPDATE insights SET result = ?, last_refresh = ? WHERE project_id = ? AND id = ?", result.toString(),
                Timestamp.from(at), projectId, id);
    }

    @Override
    public synchronized Dashboard createDashboard(long projectId, DashboardFields f, long userId, Instant at) {
        long id = nextId(projectId, "dashboards");
        Statements.update(db, "INSERT INTO dashboards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", projectId, id, f.name(), f.description(),
                f.pinned(), json(f.tags()), f.filters().toString(), f.refreshIntervalSeconds(), userId, Timestamp.from(at), f.deleted());
        return dashboard(projectId, id).orElseThrow();
    }

    @Override
    public Optional<Dashboard> dashboard(long projectId, long id) {
        return dashboards(DASHBOARD_COLUMNS + " WHERE project_id = ? AND id = ?", projectId, id).stream().findFirst();
    }

    @Override
    public List<Dashboard> dashboards(long projectId) {
        return dashboards(DASHBOARD_COLUMNS + " WHERE project_id = ? AND NOT deleted ORDER BY pinned DESC, name, id", projectId);
    }

    @Override
    public synchronized Dashboard updateDashboard(long projectId, long id, DashboardFields f) {
        Statements.update(db, "UPDATE dashboards SET name = ?, description = ?, pinned = ?, tags = ?, filters = ?, refresh_interval = ?, deleted = ? "
                        + "WHERE project_id = ? AND id = ?", f.name(), f.description(), f.pinned(), json(f.tags()), f.filters().toString(),
                f.refreshIntervalSeconds(), f.deleted(), projectId, id);
        return dashboard(projectId, id).orElseThrow();
    }

    @Override
    public synchronized Dashboard.Tile addTile(long projectId, long dashboardId, TileFields t) {
        long id = nextId(projectId, "dashboard_tiles");
        Statements.update(db, "INSERT INTO dashboard_tiles VALUES (?, ?, ?, ?, ?, ?, ?)", projectId, id, dashboardId, t.insightId().orElse(null),
                t.text().orElse(null), t.layouts().toString(), t.color().orElse(null));
        return new Dashboard.Tile(id, t.insightId(), t.text(), t.layouts(), t.color());
    }

    @Override
    public synchronized void updateTile(long projectId, long dashboardId, long tileId, TileFields t) {
        Statements.update(db, "UPDATE dashboard_tiles SET text_body = ?, layouts = ?, color = ? WHERE project_id = ? AND dashboard_id = ? AND id = ?",
                t.text().orElse(null), t.layouts().toString(), t.color().orElse(null), projectId, dashboardId, tileId);
    }

    @Override
    public synchronized void removeTile(long projectId, long dashboardId, long tileId) {
        Statements.update(db, "DELETE FROM dashboard_tiles WHERE project_id = ? AND dashboard_id = ? AND id = ?", projectId, dashboardId, tileId);
    }

    @Override
    public List<Long> dashboardsOf(long projectId, long insightId) {
        return Statements.rows(db, "SELECT DISTINCT t.dashboard_id FROM dashboard_tiles t JOIN dashboards d ON d.project_id = t.project_id "
                + "AND d.id = t.dashboard_id WHERE t.project_id = ? AND t.insight_id = ? AND NOT d.deleted ORDER BY 1", rs -> rs.getLong(1), projectId, insightId);
    }

    @Override
    public Map<Long, OnDashboard> insightsOn(long projectId, long dashboardId) {
        String on = " WHERE project_id = ? AND id IN (SELECT insight_id FROM dashboard_tiles WHERE project_id = ? AND dashboard_id = ?)";
        Map<Long, List<Long>> holders = new java.util.HashMap<>();
        Statements.rows(db, "SELECT DISTINCT t.insight_id, t.dashboard_id FROM dashboard_tiles t JOIN dashboards d ON d.project_id = t.project_id "
                + "AND d.id = t.dashboard_id WHERE t.project_id = ? AND NOT d.deleted AND t.insight_id IN (SELECT insight_id FROM dashboard_tiles "
                + "WHERE project_id = ? AND dashboard_id = ?) ORDER BY 1, 2", rs -> holders.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(rs.getLong(2)), projectId, projectId, dashboardId);
        Map<Long, OnDashboard> out = new java.util.LinkedHashMap<>();
        for (SavedInsight i : insights(INSIGHT_COLUMNS + on, projectId, projectId, dashboardId)) {
            out.put(i.id(), new OnDashboard(i, List.copyOf(holders.getOrDefault(i.id(), List.of()))));
        }
        return out;
    }

    private long nextId(long projectId, String table) {
        // ids count per table across projects, so that an id names one row whatever the project
        return Statements.nextId(db, table);
    }

    private List<SavedInsight> insights(String sql, Object... params) {
        return Statements.rows(db, sql, rs -> new SavedInsight(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), tags(rs.getString(5)),
                rs.getBoolean(6), tree(rs.getString(7)), rs.getLong(8), rs.getTimestamp(9).toInstant(), rs.getLong(10),
                rs.getTimestamp(11).toInstant(), Optional.ofNullable(rs.getTimestamp(12)).map(Timestamp::toInstant),
                Optional.ofNullable(rs.getString(13)).map(DuckDbInsights::tree), rs.getBoolean(14)), params);
    }

    private List<Dashboard> dashboards(String sql, Object... params) {
        List<Dashboard> bare = Statements.rows(db, sql, rs -> new Dashboard(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                tags(rs.getString(5)), tree(rs.getString(6)), rs.getInt(7), rs.getLong(8), rs.getTimestamp(9).toInstant(), rs.getBoolean(10),
                List.of()), params);
        List<Dashboard> out = new ArrayList<>(bare.size());
        for (Dashboard d : bare) {
            long projectId = (long) params[0];
            List<Dashboard.Tile> tiles = Statements.rows(db, "SELECT id, insight_id, text_body, layouts, color FROM dashboard_tiles "
                    + "WHERE project_id = ? AND dashboard_id = ? ORDER BY id", DuckDbInsights::tile, projectId, d.id());
            out.add(new Dashboard(d.id(), d.name(), d.description(), d.pinned(), d.tags(), d.filters(), d.refreshIntervalSeconds(), d.createdBy(),
                    d.createdAt(), d.deleted(), tiles));
        }
        return out;
    }

    private static Dashboard.Tile tile(ResultSet rs) throws SQLException {
        long insight = rs.getLong(2);
        Optional<Long> insightId = rs.wasNull() ? Optional.empty() : Optional.of(insight);
        return new Dashboard.Tile(rs.getLong(1), insightId, Optional.ofNullable(rs.getString(3)), tree(rs.getString(4)),
                Optional.ofNullable(rs.getString(5)));
    }

    private static String json(List<String> tags) {
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tags(String text) {
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
