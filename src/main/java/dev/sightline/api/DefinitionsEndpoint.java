package dev.sightline.api;

import dev.sightline.query.Definitions;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code event_definitions}, {@code property_definitions} and {@code property_values}: what the pickers offer. */
final class DefinitionsEndpoint {
    private final Auth auth;
    private final Definitions definitions;

    DefinitionsEndpoint(Auth auth, Definitions definitions) {
        this.auth = auth;
        this.definitions = definitions;
    }

    void events(Context ctx) {
        Project project = auth.project(ctx);
        List<Map<String, Object>> results = definitions.events(project.id(), Params.string(ctx, "search")).stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.name());
            m.put("name", d.name());
            m.put("volume_30_day", d.volume30Day());
            m.put("last_seen_at", d.lastSeenAt().toString());
            return m;
        }).toList();
        ctx.json(page(results));
    }

    void properties(Context ctx) {
        Project project = auth.project(ctx);
        List<Map<String, Object>> results = definitions.properties(project.id(), scope(ctx), Params.string(ctx, "search")).stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.name());
            m.put("name", d.name());
            m.put("property_type", d.propertyType());
            m.put("is_numerical", d.propertyType().equals("Numeric"));
            return m;
        }).toList();
        ctx.json(page(results));
    }

    void values(Context ctx) {
        Project project = auth.project(ctx);
        String key = Params.string(ctx, "key").orElseThrow(() -> ApiError.invalid("key", "name the property: ?key=..."));
        ctx.json(definitions.values(project.id(), scope(ctx), key, Params.string(ctx, "value")).stream()
                .map(v -> Map.of("name", v.name(), "count", v.count())).toList());
    }

    private static Definitions.Scope scope(Context ctx) {
        return switch (Params.string(ctx, "type").orElse("event")) {
            case "event" -> Definitions.Scope.EVENT;
            case "person" -> Definitions.Scope.PERSON;
            default -> throw ApiError.invalid("type", "type is event or person");
        };
    }

    private static Map<String, Object> page(List<Map<String, Object>> results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", results.size());
        body.put("next", null);
        body.put("results", results);
        return body;
    }
}
