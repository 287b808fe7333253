package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.QueryService;
import dev.sightline.store.Project;
import io.javalin.http.Context;

/** {@code POST /api/projects/:id/query/}: PostHog's query endpoint. */
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
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
            throw ApiError.invalid("query", "the body is not valid JSON");
        }
        ctx.json(queries.run(project.id(), project.timezone(), body));
    }
}
