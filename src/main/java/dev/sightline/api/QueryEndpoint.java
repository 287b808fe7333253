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
}
