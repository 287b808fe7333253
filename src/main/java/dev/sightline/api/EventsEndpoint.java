package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.capture.EventTimestamps;
import dev.sightline.capture.Uuids;
import dev.sightline.query.PropertyFilter;
import dev.sightline.store.EventCursor;
import dev.sightline.store.EventQuery;
import dev.sightline.store.EventStore;
import dev.sightline.store.Project;
import dev.sightline.store.StoredEvent;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code /api/projects/:id/events/}: PostHog's events list and single-event shapes. */
final class EventsEndpoint {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Auth auth;
    private final EventStore events;
    private final ObjectMapper json;
    private final PageLinks links;

    EventsEndpoint(Auth auth, EventStore events, PageLinks links, ObjectMapper json) {
        this.auth = auth;
        this.links = links;
        this.events = events;
        this.json = json;
    }

    void list(Context ctx) {
        Project project = auth.project(ctx);
        int limit = Params.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Optional<EventCursor> cursor = Params.string(ctx, "cursor").map(c -> EventCursor.decode(c)
                .orElseThrow(() -> ApiError.invalid("cursor", "the cursor is not one this server issued")));
        List<PropertyFilter> filters = Params.string(ctx, "properties").map(this::filters).orElse(List.of());
        EventQuery query = new EventQuery(Params.string(ctx, "event"), Params.string(ctx, "distinct_id"),
                instantParam(ctx, "after"), instantParam(ctx, "before"), filters, limit + 1, cursor);
        List<StoredEvent> rows = events.list(project.id(), query);
        boolean more = rows.size() > limit;
        if (more) rows = rows.subList(0, limit);
        List<Map<String, Object>> results = new ArrayList<>(rows.size());
        for (StoredEvent e : rows) results.add(view(e));
        String next = null;
        if (more) {
            StoredEvent last = rows.getLast();
            next = links.next(ctx, new EventCursor(last.timestamp(), last.uuid()).encode());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("next", next);
        body.put("results", results);
        ctx.json(body);
    }

    void get(Context ctx) {
        Project project = auth.project(ctx);
        String raw = ctx.pathParam("uuid");
        UUID uuid = Uuids.parse(raw).orElseThrow(() -> ApiError.notFound("no event with id '" + raw + "'"));
        StoredEvent e = events.get(project.id(), uuid).orElseThrow(() -> ApiError.notFound("no event with id '" + raw + "'"));
        ctx.json(view(e));
    }

    Map<String, Object> view(StoredEvent e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.uuid().toString());
        v.put("uuid", e.uuid().toString());
        v.put("distinct_id", e.distinctId());
        v.put("event", e.event());
        v.put("timestamp", e.timestamp().toString());
        v.put("created_at", e.capturedAt().toString());
        v.put("properties", tree(e.properties()));
        v.put("person_id", e.personId().map(UUID::toString).orElse(null));
        v.put("person_properties", tree(e.personProperties()));
        v.put("elements", List.of());
        v.put("elements_chain", "");
        return v;
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private List<PropertyFilter> filters(String raw) {
        try {
            List<PropertyFilter> out = PropertyFilter.parseList(json.readTree(raw));
            // the live list reads events without resolving persons; insights filter events by cohort
            if (out.stream().anyMatch(f -> f.scope() == PropertyFilter.Scope.COHORT)) {
                throw ApiError.invalid("properties", "the events list cannot filter by cohort; use an insight (the query endpoint)");
            }
            return out;
        } catch (java.io.IOException e) {
            throw ApiError.invalid("properties", "properties must be a JSON array of property filters");
        }
    }

    private static Optional<Instant> instantParam(Context ctx, String name) {
        return Params.string(ctx, name).map(v -> EventTimestamps.parse(v)
                .orElseThrow(() -> ApiError.invalid(name, name + " must be an ISO-8601 date or time")));
    }
}
