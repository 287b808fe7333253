package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.account.AccountStore;
import dev.sightline.account.User;
import dev.sightline.insight.Dashboard;
import dev.sightline.insight.InsightStore;
import dev.sightline.insight.Insights;
import dev.sightline.insight.SavedInsight;
import dev.sightline.insight.TileAnswers;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/projects/:id/insights/} and {@code /dashboards/} in PostHog's shapes: saved insights
 * (name, description, tags, favourite, query, the dashboards they sit on, last refresh and result)
 * and dashboards (tiles with layouts, text tiles, dashboard-wide filters, duplicate, delete).
 */
final class InsightsEndpoint {
    private final Auth auth;
    private final Insights insights;
    private final AccountStore users;
    private final ObjectMapper json;

    InsightsEndpoint(Auth auth, Insights insights, AccountStore users, ObjectMapper json) {
        this.auth = auth;
        this.insights = insights;
        this.users = users;
        this.json = json;
    }

    // ---- insights

    void list(Context ctx) {
        Project project = auth.project(ctx);
        InsightStore store = insights.store();
        Optional<String> shortId = Params.string(ctx, "short_id");
        if (shortId.isPresent()) {
            List<Map<String, Object>> one = store.insightByShortId(project.id(), shortId.get()).filter(i -> !i.deleted())
                    .map(i -> view(project, i, null)).stream().toList();
            ctx.json(page(one, one.size(), null));
            return;
        }
        int limit = Params.integer(ctx, "limit", 100, 1, 1000);
        int offset = Params.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Optional<String> search = Params.string(ctx, "search");
        boolean favorited = Params.bool(ctx, "favorited");
        long count = store.countInsights(project.id(), search, favorited);
        List<Map<String, Object>> results = store.insights(project.id(), search, favorited, limit, offset).stream()
                .map(i -> view(project, i, null)).toList();
        String next = offset + limit < count ? ctx.path() + "?limit=" + limit + "&offset=" + (offset + limit) : null;
        ctx.json(page(results, count, next));
    }

    void create(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        Project project = auth.project(ctx, caller);
        JsonNode body = body(ctx);
        JsonNode query = body.get("query");
        if (query == null || !query.isObject()) throw ApiError.invalid("query", "an insight needs a 'query' object (PostHog's query JSON)");
        InsightStore.InsightFields fields = fields(body, null);
        Optional<List<Long>> on = dashboards(project, body);
        SavedInsight created = insights.create(project.id(), fields, userId(caller));
        on.ifPresent(ids -> insights.placeOn(project.id(), created.id(), ids));
        ctx.status(201).json(view(project, created, null));
    }

    void get(Context ctx) {
        Project project = auth.project(ctx);
        SavedInsight insight = insight(ctx, project);
        Optional<Dashboard> on = Params.string(ctx, "from_dashboard").map(raw -> dashboard(project, parseId(raw, "from_dashboard")));
        String refresh = Params.string(ctx, "refresh").orElse("");
        boolean compute = !refresh.isEmpty() && !refresh.equals("false") || insight.result().isEmpty() || on.isPresent();
        Map<String, Object> result = null;
        boolean refreshing = false;
        boolean force = refresh.equals("true") || refresh.equals("force_blocking");
        if (on.isPresent() && !force) {
            // a dashboard tile: its kept answer at once, brought up to date behind it (TileAnswers)
            TileAnswers.Answer answer = insights.tileResult(project.id(), project.timezone(), insight, on.get());
            result = answer.result();
            refreshing = answer.refreshing();
            insight = insights.store().insight(project.id(), insight.id()).orElseThrow();
        } else if (compute) {
            result = insights.result(project.id(), project.timezone(), insight, on, force);
            insight = insights.store().insight(project.id(), insight.id()).orElseThrow();
        }
        Map<String, Object> v = view(project, insight, result);
        v.put("refreshing", refreshing);
        ctx.json(v);
    }

    void patch(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        Project project = auth.project(ctx, caller);
        SavedInsight current = insight(ctx, project);
        JsonNode body = body(ctx);
        InsightStore.InsightFields fields = fields(body, current);
        Optional<List<Long>> on = dashboards(project, body);
        SavedInsight updated = insights.update(project.id(), current, fields, userId(caller));
        on.ifPresent(ids -> insights.placeOn(project.id(), updated.id(), ids));
        ctx.json(view(project, updated, null));
    }

    void delete(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        Project project = auth.project(ctx, caller);
        SavedInsight current = insight(ctx, project);
        insights.update(project.id(), current, new InsightStore.InsightFields(current.name(), current.description(), current.tags(),
                current.favorited(), current.query(), true), userId(caller));
        insights.placeOn(project.id(), current.id(), List.of());
        ctx.status(204);
    }

    // ---- dashboards

    void dashboards(Context ctx) {
        Project project = auth.project(ctx);
        List<Map<String, Object>> results = insights.store().dashboards(project.id()).stream().map(d -> dashboardView(project, d, false)).toList();
        ctx.json(page(results, results.size(), null));
    }

    void createDashboard(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        Project project = auth.project(ctx, caller);
        JsonNode body = body(ctx);
        String name = body.path("name").asText("").strip();
        if (name.isEmpty()) throw ApiError.invalid("name", "a dashboard needs a name");
        Dashboard made;
        if (body.hasNonNull("use_dashboard")) {
            Dashboard source = dashboard(project, body.get("use_dashboard").asLong(-1));
            made = insights.duplicate(project.id(), source, name, userId(caller));
        } else {
            made = insights.store().createDashboard(project.id(), dashboardFields(body, null), userId(caller), Instant.now());
        }
        ctx.status(201).json(dashboardView(project, made, true));
    }

    void getDashboard(Context ctx) {
        Project project = auth.project(ctx);
        ctx.json(dashboardWithTiles(project, Params.pathLong(ctx, "dashboardId")));
    }

    /** {@code GET /api/projects/:id/dashboards/:id/}'s answer, the project already checked against the caller. */
    Map<String, Object> dashboardWithTiles(Project project, long dashboardId) {
        return dashboardView(project, dashboard(project, dashboardId), true);
    }

    /** Fields, and {@code tiles}: with an id, a tile's new layouts, color or text (or {@code deleted}); without one, a new text tile. */
    void patchDashboard(Context ctx) {
        Project project = auth.project(ctx);
        Dashboard d = dashboard(project, Params.pathLong(ctx, "dashboardId"));
        JsonNode body = body(ctx);
        InsightStore store = insights.store();
        d = store.updateDashboard(project.id(), d.id(), dashboardFields(body, d));
        JsonNode tiles = body.get("tiles");
        if (tiles != null) {
            if (!tiles.isArray()) throw ApiError.invalid("tiles", "tiles must be a list");
            for (JsonNode t : tiles) {
                if (!t.hasNonNull("id")) {
                    String text = t.path("text").path("body").asText("");
                    if (text.isBlank()) throw ApiError.invalid("tiles", "a new tile is a text tile: {\"text\": {\"body\": \"...\"}}");
                    Dashboard.Tile added = insights.addText(project.id(), d, text);
                    if (t.has("layouts")) store.updateTile(project.id(), d.id(), added.id(), new InsightStore.TileFields(Optional.empty(),
                            Optional.of(text), t.get("layouts"), Optional.empty()));
                    d = store.dashboard(project.id(), d.id()).orElseThrow();
                    continue;
                }
                long tileId = t.get("id").asLong();
                Dashboard.Tile existing = d.tiles().stream().filter(x -> x.id() == tileId).findFirst()
                        .orElseThrow(() -> ApiError.invalid("tiles", "the dashboard has no tile " + tileId));
                if (t.path("deleted").asBoolean(false)) {
                    store.removeTile(project.id(), d.id(), tileId);
                    continue;
                }
                JsonNode layouts = t.has("layouts") ? t.get("layouts") : existing.layouts();
                if (!layouts.isObject()) throw ApiError.invalid("tiles", "layouts must be an object such as {\"sm\": {\"x\":0,\"y\":0,\"w\":6,\"h\":5}}");
                Optional<String> text = t.has("text") ? Optional.of(t.path("text").path("body").asText("")) : existing.text();
                Optional<String> color = t.has("color") ? Optional.ofNullable(t.get("color").isNull() ? null : t.get("color").asText()) : existing.color();
                store.updateTile(project.id(), d.id(), tileId, new InsightStore.TileFields(existing.insightId(), text, layouts, color));
            }
            d = store.dashboard(project.id(), d.id()).orElseThrow();
        }
        ctx.json(dashboardView(project, d, true));
    }

    void deleteDashboard(Context ctx) {
        Project project = auth.project(ctx);
        Dashboard d = dashboard(project, Params.pathLong(ctx, "dashboardId"));
        insights.store().updateDashboard(project.id(), d.id(), new InsightStore.DashboardFields(d.name(), d.description(), d.pinned(), d.tags(),
                d.filters(), d.refreshIntervalSeconds(), true));
        ctx.status(204);
    }

    // ---- shapes

    private Map<String, Object> view(Project project, SavedInsight i, Map<String, Object> computed) {
        return view(i, computed, insights.store().dashboardsOf(project.id(), i.id()), this::user);
    }

    private Map<String, Object> view(SavedInsight i, Map<String, Object> computed, List<Long> on, java.util.function.LongFunction<Map<String, Object>> user) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", i.id());
        v.put("short_id", i.shortId());
        v.put("name", i.name());
        v.put("description", i.description());
        v.put("tags", i.tags());
        v.put("favorited", i.favorited());
        v.put("query", i.query());
        v.put("dashboards", on);
        v.put("created_at", i.createdAt().toString());
        v.put("created_by", user.apply(i.createdBy()));
        v.put("last_modified_at", i.lastModifiedAt().toString());
        v.put("last_modified_by", user.apply(i.lastModifiedBy()));
        v.put("deleted", i.deleted());
        v.put("saved", true);
        if (computed != null) {
            v.put("result", computed.get("results"));
            v.put("last_refresh", computed.get("last_refresh"));
            v.put("is_cached", computed.get("is_cached"));
            v.put("query_status", null);
            v.put("response", computed);
        } else {
            v.put("result", i.result().map(r -> r.get("results")).orElse(null));
            v.put("last_refresh", i.lastRefresh().map(Instant::toString).orElse(null));
            v.put("is_cached", i.result().isPresent());
            v.put("response", i.result().orElse(null));
        }
        return v;
    }

    private Map<String, Object> dashboardView(Project project, Dashboard d, boolean withTiles) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("name", d.name());
        v.put("description", d.description());
        v.put("pinned", d.pinned());
        v.put("tags", d.tags());
        v.put("filters", d.filters());
        v.put("refresh_interval", d.refreshIntervalSeconds() == 0 ? null : d.refreshIntervalSeconds());
        v.put("created_at", d.createdAt().toString());
        v.put("created_by", user(d.createdBy()));
        v.put("deleted", d.deleted());
        v.put("tile_count", d.tiles().size());
        if (withTiles) {
            // the tiles' insights in two reads, and each user once, however many tiles there are
            Map<Long, InsightStore.OnDashboard> on = insights.store().insightsOn(project.id(), d.id());
            Map<Long, Map<String, Object>> users = new java.util.HashMap<>();
            java.util.function.LongFunction<Map<String, Object>> user = id -> users.computeIfAbsent(id, k -> user(k));
            List<Map<String, Object>> tiles = new ArrayList<>();
            for (Dashboard.Tile t : d.tiles()) {
                Map<String, Object> tv = new LinkedHashMap<>();
                tv.put("id", t.id());
                tv.put("layouts", t.layouts());
                tv.put("color", t.color().orElse(null));
                tv.put("text", t.text().map(body -> Map.of("body", body)).orElse(null));
                tv.put("insight", t.insightId().map(on::get).filter(o -> !o.insight().deleted())
                        .map(o -> view(o.insight(), null, o.dashboards(), user)).orElse(null));
                if (t.insightId().isPresent() && tv.get("insight") == null) continue; // its insight was deleted
                tiles.add(tv);
            }
            v.put("tiles", tiles);
        }
        return v;
    }

    private Map<String, Object> user(long id) {
        if (id <= 0) return null;
        return users.user(id).map(u -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", u.id());
            m.put("uuid", u.uuid().toString());
            m.put("email", u.email());
            m.put("first_name", u.firstName());
            return m;
        }).orElse(null);
    }

    // ---- parsing

    private InsightStore.InsightFields fields(JsonNode body, SavedInsight current) {
        String name = body.has("name") ? textOrEmpty(body.get("name"), "name") : current == null ? "" : current.name();
        String description = body.has("description") ? textOrEmpty(body.get("description"), "description")
                : current == null ? "" : current.description();
        List<String> tags = body.has("tags") ? tags(body.get("tags")) : current == null ? List.of() : current.tags();
        boolean favorited = body.has("favorited") ? bool(body.get("favorited"), "favorited") : current != null && current.favorited();
        JsonNode query = body.has("query") ? body.get("query") : current == null ? null : current.query();
        if (query == null || !query.isObject()) throw ApiError.invalid("query", "query must be an object (PostHog's query JSON)");
        boolean deleted = body.has("deleted") ? bool(body.get("deleted"), "deleted") : current != null && current.deleted();
        return new InsightStore.InsightFields(name, description, tags, favorited, query, deleted);
    }

    private InsightStore.DashboardFields dashboardFields(JsonNode body, Dashboard current) {
        String name = body.has("name") ? textOrEmpty(body.get("name"), "name") : current == null ? "" : current.name();
        if (name.isBlank()) throw ApiError.invalid("name", "a dashboard needs a name");
        String description = body.has("description") ? textOrEmpty(body.get("description"), "description")
                : current == null ? "" : current.description();
        boolean pinned = body.has("pinned") ? bool(body.get("pinned"), "pinned") : current != null && current.pinned();
        List<String> tags = body.has("tags") ? tags(body.get("tags")) : current == null ? List.of() : current.tags();
        JsonNode filters = body.has("filters") ? body.get("filters") : current == null ? json.createObjectNode() : current.filters();
        if (!filters.isObject()) throw ApiError.invalid("filters", "filters must be an object: {\"date_from\", \"date_to\", \"properties\"}");
        if (filters.has("properties") && !filters.get("properties").isArray() && !filters.get("properties").isNull()) {
            throw ApiError.invalid("filters", "filters.properties must be a list of property filters");
        }
        int refresh = current == null ? 0 : current.refreshIntervalSeconds();
        if (body.has("refresh_interval")) {
            JsonNode r = body.get("refresh_interval");
            if (!r.isNull() && (!r.canConvertToInt() || r.asInt() < 0)) throw ApiError.invalid("refresh_interval", "refresh_interval is seconds, or null");
            refresh = r.isNull() ? 0 : r.asInt();
        }
        boolean deleted = body.has("deleted") ? bool(body.get("deleted"), "deleted") : current != null && current.deleted();
        return new InsightStore.DashboardFields(name.strip(), description, pinned, tags, filters, refresh, deleted);
    }

    private SavedInsight insight(Context ctx, Project project) {
        String raw = ctx.pathParam("insightId");
        Optional<SavedInsight> found;
        try {
            found = insights.store().insight(project.id(), Long.parseLong(raw));
        } catch (NumberFormatException e) {
            found = insights.store().insightByShortId(project.id(), raw);
        }
        return found.filter(i -> !i.deleted()).orElseThrow(() -> ApiError.notFound("no insight '" + raw + "'"));
    }

    private Dashboard dashboard(Project project, long id) {
        return insights.store().dashboard(project.id(), id).filter(d -> !d.deleted())
                .orElseThrow(() -> ApiError.notFound("no dashboard " + id));
    }

    /** The dashboards an insight should sit on, each checked to exist in the project before anything is saved. */
    private Optional<List<Long>> dashboards(Project project, JsonNode body) {
        if (!body.has("dashboards")) return Optional.empty();
        List<Long> ids = ids(body.get("dashboards"), "dashboards");
        for (long id : ids) {
            if (insights.store().dashboard(project.id(), id).filter(d -> !d.deleted()).isEmpty()) {
                throw ApiError.invalid("dashboards", "dashboard " + id + " does not exist in this project");
            }
        }
        return Optional.of(ids);
    }

    private static long parseId(String raw, String attr) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.invalid(attr, attr + " must be a dashboard id");
        }
    }

    private static List<Long> ids(JsonNode node, String attr) {
        if (!node.isArray()) throw ApiError.invalid(attr, attr + " must be a list of ids");
        List<Long> out = new ArrayList<>();
        node.forEach(n -> {
            if (!n.canConvertToLong()) throw ApiError.invalid(attr, attr + " must be a list of ids");
            out.add(n.asLong());
        });
        return out;
    }

    private static List<String> tags(JsonNode node) {
        if (!node.isArray()) throw ApiError.invalid("tags", "tags must be a list of strings");
        List<String> out = new ArrayList<>();
        node.forEach(t -> {
            if (!t.isTextual()) throw ApiError.invalid("tags", "tags must be a list of strings");
            if (!t.asText().isBlank()) out.add(t.asText().strip());
        });
        return out;
    }

    private static String textOrEmpty(JsonNode node, String attr) {
        if (node.isNull()) return "";
        if (!node.isTextual()) throw ApiError.invalid(attr, attr + " must be a string");
        return node.asText();
    }

    private static boolean bool(JsonNode node, String attr) {
        if (!node.isBoolean()) throw ApiError.invalid(attr, attr + " must be true or false");
        return node.asBoolean();
    }

    private static long userId(Auth.Caller caller) {
        return caller.user().map(User::id).orElse(0L);
    }

    private JsonNode body(Context ctx) {
        JsonNode node = Params.json(ctx, json, "body");
        if (node == null || !node.isObject()) throw ApiError.invalid("body", "the body must be a JSON object");
        return node;
    }

    private static Map<String, Object> page(List<Map<String, Object>> results, long count, String next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", count);
        body.put("next", next);
        body.put("previous", null);
        body.put("results", results);
        return body;
    }
}
