package dev.sightline.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Saved insights and dashboards of a project, as the embedded store keeps them. Every call names its project. */
public interface InsightStore {
    record InsightFields(String name, String description, List<String> tags, boolean favorited, JsonNode query, boolean deleted) {}

    record DashboardFields(String name, String description, boolean pinned, List<String> tags, JsonNode filters,
                           int refreshIntervalSeconds, boolean deleted) {}

    record TileFields(Optional<Long> insightId, Optional<String> text, JsonNode layouts, Optional<String> color) {}

    SavedInsight createInsight(long projectId, String shortId, InsightFields fields, long userId, Instant at);

    Optional<SavedInsight> insight(long projectId, long id);

    Optional<SavedInsight> insightByShortId(long projectId, String shortId);

    /** Not deleted, newest change first; {@code search} matches name or description. */
    List<SavedInsight> insights(long projectId, Optional<String> search, boolean favoritedOnly, int limit, int offset);

    long countInsights(long projectId, Optional<String> search, boolean favoritedOnly);

    SavedInsight updateInsight(long projectId, long id, InsightFields fields, long userId, Instant at);

    void saveResult(long projectId, long id, JsonNode result, Instant at);

    Dashboard createDashboard(long projectId, DashboardFields fields, long userId, Instant at);

    Optional<Dashboard> dashboard(long projectId, long id);

    List<Dashboard> dashboards(long projectId);

    Dashboard updateDashboard(long projectId, long id, DashboardFields fields);

    Dashboard.Tile addTile(long projectId, long dashboardId, TileFields tile);

    void updateTile(long projectId, long dashboardId, long tileId, TileFields tile);

    void removeTile(long projectId, long dashboardId, long tileId);

    /** The dashboards (not deleted) that hold the insight. */
    List<Long> dashboardsOf(long projectId, long insightId);

    /**
     * The insights on a dashboard's tiles, by id, each with the dashboards (not deleted) that hold
     * it: what a dashboard's page shows, read at once rather than a few reads per tile.
     */
    Map<Long, OnDashboard> insightsOn(long projectId, long dashboardId);

    record OnDashboard(SavedInsight insight, List<Long> dashboards) {}
}
