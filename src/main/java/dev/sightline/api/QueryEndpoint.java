package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.QueryService;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/projects/:id/query/}: PostHog's query endpoint; and {@code PATCH /api/projects/:id/}
 * with {@code test_account_filters}, the project setting that {@code filterTestAccounts} applies.
 */
final class QueryEndpoint {
    private final Auth auth;
    private final QueryService queries;
    private final ObjectMapper json;

    QueryEndpoint(Auth auth, QueryService queries, ObjectMapper json) {
        this.auth = auth;
        this.queries = queries;
        this.json = json;
    }

    void run(Context ctx) {
        Project project = auth.project(ctx);
        ctx.json(queries.run(project.id(), project.timezone(), Params.json(ctx, json, "query")));
    }

    void patchProject(Context ctx) {
        Project project = auth.project(ctx);
        JsonNode body = Params.json(ctx, json, "test_account_filters");
        if (body == null || !body.has("test_account_filters")) {
            throw ApiError.invalid("test_account_filters", "only test_account_filters can be changed here");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", project.id());
        out.put("name", project.name());
        out.put("timezone", project.timezone());
        out.put("test_account_filters", queries.setTestAccountFilters(project.id(), body.get("test_account_filters")));
        ctx.json(out);
    }
}
