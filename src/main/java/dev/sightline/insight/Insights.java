package dev.sightline.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.query.InvalidQuery;
import dev.sightline.query.QueryParser;
import dev.sightline.query.QueryService;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Saving insights and putting them on dashboards: a saved query must be one the engine answers;
 * an insight's result is computed through the query engine (its cache included) and kept with the
 * insight as "last refresh"; on a dashboard, the dashboard's filters change each tile's query.
 */
public final class Insights {
    private static final String SHORT_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InsightStore store;
    private final QueryService queries;
    private final Clock clock;
    private final TileAnswers tiles = new TileAnswers();

    public Insights(InsightStore store, QueryService queries, Clock clock) {
        this.store = store;
        this.queries = queries;
        this.clock = clock;
    }

    public InsightStore store() {
        return store;
    }

    public SavedInsight create(long projectId, InsightStore.InsightFields fields, long userId) {
        validate(fields.query());
        return keepCached(projectId, store.createInsight(projectId, shortId(), fields, userId, clock.instant()));
    }

    public SavedInsight update(long projectId, SavedInsight current, InsightStore.InsightFields fields, long userId) {
        if (!fields.query().equals(current.query())) validate(fields.query());
        SavedInsight updated = store.updateInsight(projectId, current.id(), fields, userId, clock.instant());
        return updated.result().isPresent() ? updated : keepCached(projectId, updated);
    }

    /**
     * Keeps with a just-saved insight the answer the engine computed for its query within the
     * minute: the builder ran the query before the user pressed save, so a dashboard it lands on
     * opens with its numbers instead of computing them again.
     */
    private SavedInsight keepCached(long projectId, SavedInsight insight) {
        return queries.cached(projectId, insight.query()).map(answer -> {
            store.saveResult(projectId, insight.id(), JSON.valueToTree(answer), clock.instant());
            return store.insight(projectId, insight.id()).orElse(insight);
        }).orElse(insight);
    }

    /**
     * The insight's result: on a dashboard with that dashboard's filters, else its own query.
     * {@code refresh} skips the engine's cache. The answer is kept for {@link #tileResult}: with the
     * insight (in the database) for its own query, in memory under dashboard filters.
     */
    public Map<String, Object> result(long projectId, String timezone, SavedInsight insight, Optional<Dashboard> on, boolean refresh) {
        Optional<JsonNode> filters = on.map(Dashboard::filters).filter(f -> changes(insight, f));
        JsonNode query = filters.map(f -> DashboardFilters.apply(insight.query(), f)).orElse(insight.query());
        ObjectNode body = JSON.createObjectNode();
        body.set("query", query);
        body.put("refresh", refresh);
        Map<String, Object> out = queries.run(projectId, timezone, body);
        if (filters.isEmpty()) store.saveResult(projectId, insight.id(), JSON.valueToTree(out), clock.instant());
        else tiles.keep(projectId, insight, filters.get(), out, clock.instant());
        return out;
    }

    /**
     * A dashboard tile's answer by the rule in {@link TileAnswers}: the kept one at once when there
     * is one (recomputed behind it when older than {@link TileAnswers#FRESH}), else computed now.
     */
    public TileAnswers.Answer tileResult(long projectId, String timezone, SavedInsight insight, Dashboard on) {
        Optional<TileAnswers.Kept> kept = !changes(insight, on.filters())
                ? insight.result().flatMap(r -> insight.lastRefresh().map(at -> new TileAnswers.Kept(r, at)))
                : tiles.kept(projectId, insight, on.filters());
        return tiles.answer(kept, clock.instant(), TileAnswers.key(projectId, insight, on.filters()),
                () -> result(projectId, timezone, insight, Optional.of(on), false));
    }

    /** Whether dashboard filters change the insight's query (an empty filter list does not). */
    private static boolean changes(SavedInsight insight, JsonNode dashboardFilters) {
        return !dashboardFilters.isEmpty() && !DashboardFilters.apply(insight.query(), dashboardFilters).equals(insight.query());
    }

    /** Puts the insight on exactly these dashboards: a tile is added where it is missing and removed where it is not wanted. */
    public void placeOn(long projectId, long insightId, List<Long> dashboardIds) {
        Set<Long> wanted = new LinkedHashSet<>(dashboardIds);
        for (long id : wanted) {
            Dashboard d = store.dashboard(projectId, id).filter(x -> !x.deleted())
                    .orElseThrow(() -> new InvalidQuery("dashboards", "dashboard " + id + " does not exist"));
            if (d.tiles().stream().noneMatch(t -> t.insightId().equals(Optional.of(insightId)))) {
                store.addTile(projectId, id, new InsightStore.TileFields(Optional.of(insightId), Optional.empty(), nextLayout(d), Optional.empty()));
            }
        }
        for (long id : store.dashboardsOf(projectId, insightId)) {
            if (wanted.contains(id)) continue;
            store.dashboard(projectId, id).ifPresent(d -> d.tiles().stream().filter(t -> t.insightId().equals(Optional.of(insightId)))
                    .forEach(t -> store.removeTile(projectId, id, t.id())));
        }
    }

    /** A copy of a dashboard with the same tiles (the same insights, text and layout). */
    public Dashboard duplicate(long projectId, Dashboard source, String name, long userId) {
        Dashboard copy = store.createDashboard(projectId, new InsightStore.DashboardFields(name, source.description(), false, source.tags(),
                source.filters(), source.refreshIntervalSeconds(), false), userId, clock.instant());
        for (Dashboard.Tile t : source.tiles()) {
            store.addTile(projectId, copy.id(), new InsightStore.TileFields(t.insightId(), t.text(), t.layouts(), t.color()));
        }
        return store.dashboard(projectId, copy.id()).orElseThrow();
    }

    public Dashboard.Tile addText(long projectId, Dashboard d, String text) {
        return store.addTile(projectId, d.id(), new InsightStore.TileFields(Optional.empty(), Optional.of(text), nextLayout(d), Optional.empty()));
    }

    /** Below the lowest tile, half the width: where a new tile goes until someone moves it. */
    static JsonNode nextLayout(Dashboard d) {
        int bottom = 0;
        int count = d.tiles().size();
        for (Dashboard.Tile t : d.tiles()) {
            JsonNode sm = t.layouts().path("sm");
            bottom = Math.max(bottom, sm.path("y").asInt(0) + sm.path("h").asInt(5));
        }
        ObjectNode layouts = JSON.createObjectNode();
        ObjectNode sm = layouts.putObject("sm");
        // two tiles a row: a tile goes beside the last one when that one sits alone on the left
        boolean beside = count % 2 == 1;
        sm.put("x", beside ? 6 : 0);
        sm.put("y", beside ? Math.max(0, bottom - 5) : bottom);
        sm.put("w", 6);
        sm.put("h", 5);
        return layouts;
    }

    static void validate(JsonNode query) {
        if (query == null || !query.isObject()) throw new InvalidQuery("query", "an insight needs a 'query' object");
        QueryParser.parse(query);
    }

    static String shortId() {
        StringBuilder b = new StringBuilder(8);
        for (int i = 0; i < 8; i++) b.append(SHORT_ID_ALPHABET.charAt(RANDOM.nextInt(SHORT_ID_ALPHABET.length())));
        return b.toString();
    }
}
