package dev.sightline.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The demo project's ready dashboard, "Product overview": sign-ups, the activation funnel, weekly
 * retention, top paths and lifecycle, over the demo product's own events.
 */
public final class ProductOverview {
    public static final String NAME = "Product overview";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Tile(String name, String description, String query) {}

    private static final List<Tile> TILES = List.of(
            new Tile("Sign-ups", "New accounts per day", """
                    {"kind":"TrendsQuery","series":[{"kind":"EventsNode","event":"user signed up","math":"total"}],
                     "interval":"day","dateRange":{"date_from":"-%DAYS%d"},"trendsFilter":{"display":"ActionsLineGraph"}}"""),
            new Tile("Activation funnel", "Sign-up to first insight to a teammate invited, within 14 days", """
                    {"kind":"FunnelsQuery","series":[{"kind":"EventsNode","event":"user signed up"},
                     {"kind":"EventsNode","event":"insight created"},{"kind":"EventsNode","event":"teammate invited"}],
                     "dateRange":{"date_from":"-%DAYS%d"},"funnelsFilter":{"funnelWindowInterval":14,"funnelWindowIntervalUnit":"day"}}"""),
            new Tile("Weekly retention", "Users who signed up and came back to view an insight", """
                    {"kind":"RetentionQuery","dateRange":{"date_from":"-%DAYS%d"},"retentionFilter":{"period":"Week","totalIntervals":%WEEKS%,
                     "retentionType":"retention_first_time","targetEntity":{"id":"user signed up","type":"events"},
                     "returningEntity":{"id":"insight viewed","type":"events"}}}"""),
            new Tile("Top paths", "Where visitors go from page to page", """
                    {"kind":"PathsQuery","dateRange":{"date_from":"-%PATH_DAYS%d"},"pathsFilter":{"includeEventTypes":["$pageview"],"stepLimit":5}}"""),
            new Tile("Lifecycle", "New, returning, resurrecting and dormant users viewing insights", """
                    {"kind":"LifecycleQuery","series":[{"kind":"EventsNode","event":"insight viewed"}],"interval":"week",
                     "dateRange":{"date_from":"-%DAYS%d"}}"""));

    private ProductOverview() {}

    /**
     * Makes the dashboard and its insights in the project, unless a dashboard of that name is there.
     * The insights look back over the {@code days} the demo traffic covers, so no chart starts with
     * weeks of nothing.
     */
    public static Dashboard create(InsightStore store, long projectId, long userId, Clock clock, int days) {
        Optional<Dashboard> existing = store.dashboards(projectId).stream().filter(d -> d.name().equals(NAME)).findFirst();
        if (existing.isPresent()) return existing.get();
        Dashboard dashboard = store.createDashboard(projectId, new InsightStore.DashboardFields(NAME,
                "How the demo product grows, activates and keeps its users", true, List.of("demo"), JSON.createObjectNode(), 0, false),
                userId, clock.instant());
        for (Tile t : TILES) {
            JsonNode query = parse(t.query().replace("%DAYS%", Integer.toString(days))
                    .replace("%PATH_DAYS%", Integer.toString(Math.min(days, 14)))
                    .replace("%WEEKS%", Integer.toString(Math.clamp(days / 7 + 1, 2, 8))));
            Insights.validate(query);
            SavedInsight insight = store.createInsight(projectId, Insights.shortId(),
                    new InsightStore.InsightFields(t.name(), t.description(), List.of("demo"), false, query, false), userId, clock.instant());
            Dashboard now = store.dashboard(projectId, dashboard.id()).orElseThrow();
            store.addTile(projectId, dashboard.id(), new InsightStore.TileFields(Optional.of(insight.id()), Optional.empty(),
                    Insights.nextLayout(now), Optional.empty()));
        }
        return store.dashboard(projectId, dashboard.id()).orElseThrow();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
