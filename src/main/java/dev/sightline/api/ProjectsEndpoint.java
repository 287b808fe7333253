package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.capture.Uuids;
import dev.sightline.enrich.RequestFacts;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.query.QueryService;
import dev.sightline.store.EventStore;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.store.Retention;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code /api/projects/}: the organization's projects in PostHog's shape, their settings (name,
 * timezone, test-account filters, IP storage), a test event sent through the real pipeline, and
 * the demo project made on request.
 */
final class ProjectsEndpoint {
    static final String TEST_EVENT = "sightline test event";

    private final Auth auth;
    private final MetaStore meta;
    private final EventStore events;
    private final Pipeline pipeline;
    private final QueryService queries;
    private final DemoProjects demo;
    private final Supplier<String> newToken;
    private final ObjectMapper json;
    private final Clock clock;

    private final dev.sightline.store.PersonReads persons;

    ProjectsEndpoint(Auth auth, MetaStore meta, EventStore events, dev.sightline.store.PersonReads persons, Pipeline pipeline,
                     QueryService queries, DemoProjects demo, Supplier<String> newToken, ObjectMapper json, Clock clock) {
        this.persons = persons;
        this.auth = auth;
        this.meta = meta;
        this.events = events;
        this.pipeline = pipeline;
        this.queries = queries;
        this.demo = demo;
        this.newToken = newToken;
        this.json = json;
        this.clock = clock;
    }

    void list(Context ctx) {
        ctx.json(list(auth.caller(ctx)));
    }

    /** {@code GET /api/projects/}'s answer for the caller. */
    Map<String, Object> list(Auth.Caller caller) {
        return list(views(caller).values());
    }

    /** The caller's projects' answers by id, in the list's order. */
    Map<Long, Map<String, Object>> views(Auth.Caller caller) {
        Map<Long, Map<String, Object>> views = new LinkedHashMap<>();
        meta.projects().stream().filter(p -> p.organizationId() == caller.organizationId()).forEach(p -> views.put(p.id(), view(p)));
        return views;
    }

    /** The list's answer around {@code results}. */
    static Map<String, Object> list(java.util.Collection<Map<String, Object>> results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", results.size());
        body.put("next", null);
        body.put("previous", null);
        body.put("results", List.copyOf(results));
        return body;
    }

    void get(Context ctx) {
        ctx.json(view(auth.project(ctx)));
    }

    void create(Context ctx) {
        Auth.Caller caller = auth.admin(ctx);
        JsonNode body = body(ctx);
        String name = body.path("name").asText("").strip();
        if (name.isEmpty()) throw ApiError.invalid("name", "a project needs a name");
        String timezone = body.hasNonNull("timezone") ? zone(body.get("timezone")) : "UTC";
        Project p = meta.createProject(caller.organizationId(), name, newToken.get(), timezone);
        ctx.status(201).json(view(p));
    }

    void patch(Context ctx) {
        Project project = auth.project(ctx);
        JsonNode body = body(ctx);
        String name = project.name();
        if (body.has("name")) {
            name = body.get("name").isTextual() ? body.get("name").asText().strip() : "";
            if (name.isEmpty()) throw ApiError.invalid("name", "name must be a non-empty string");
        }
        String timezone = body.has("timezone") ? zone(body.get("timezone")) : project.timezone();
        if (body.has("test_account_filters")) queries.setTestAccountFilters(project.id(), body.get("test_account_filters"));
        if (body.has("anonymize_ips")) {
            if (!body.get("anonymize_ips").isBoolean()) throw ApiError.invalid("anonymize_ips", "anonymize_ips must be true or false");
            meta.setAnonymizeIps(project.id(), body.get("anonymize_ips").asBoolean());
        }
        if (body.has("retention_days") || body.has("retention_delete_persons")) meta.setRetention(project.id(), retention(body, project));
        if (!name.equals(project.name()) || !timezone.equals(project.timezone())) project = meta.updateProject(project.id(), name, timezone);
        ctx.json(view(project));
    }

    /** One event through capture's own path (the pipeline), so the settings page can show it arriving. */
    void testEvent(Context ctx) {
        Project project = auth.project(ctx);
        UUID uuid = Uuids.v7();
        String distinctId = "sightline-test-" + uuid.toString().substring(0, 8);
        ObjectNode props = json.createObjectNode();
        props.put("$lib", "sightline-settings");
        props.put("$process_person_profile", false);
        props.put("sent_from", "project settings");
        CapturedEvent event = new CapturedEvent(uuid, TEST_EVENT, distinctId, clock.instant(), props);
        PersonsEndpoint.await(pipeline.submit(project.id(), List.of(event), RequestFacts.of(ctx.ip(), null)));
        ctx.status(202).json(Map.of("uuid", uuid.toString(), "event", TEST_EVENT, "distinct_id", distinctId));
    }

    void demoStatus(Context ctx) {
        ctx.json(demoView(demo.status(auth.caller(ctx).organizationId())));
    }

    void demoStart(Context ctx) {
        ctx.status(202).json(demoView(demo.start(auth.admin(ctx).organizationId())));
    }

    private Map<String, Object> demoView(DemoProjects.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", s.project().map(this::view).orElse(null));
        m.put("status", s.state());
        m.put("progress", s.progress());
        m.put("events", s.events());
        return m;
    }

    Map<String, Object> view(Project p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("api_token", p.token());
        m.put("timezone", p.timezone());
        m.put("organization", p.organizationId());
        m.put("created_at", p.createdAt().toString());
        m.put("test_account_filters", queries.testAccountFilters(p.id()));
        m.put("anonymize_ips", meta.anonymizeIps(p.id()));
        Optional<Retention> retention = meta.retention(p.id());
        m.put("retention_days", retention.map(Retention::days).orElse(null));
        m.put("retention_delete_persons", retention.map(Retention::deletePersons).orElse(false));
        m.put("has_events", events.hasEvents(p.id()));
        // the web app opens a project without identified persons (only anonymous traffic) on web analytics
        m.put("has_identified_persons", persons.hasIdentifiedPersons(p.id()));
        return m;
    }

    /**
     * {@code retention_days}: whole days from 1 to 36,500, or null to keep events for ever;
     * {@code retention_delete_persons}: whether persons left without events go too.
     */
    private Optional<Retention> retention(JsonNode body, Project project) {
        Optional<Retention> now = meta.retention(project.id());
        JsonNode days = body.has("retention_days") ? body.get("retention_days") : null;
        JsonNode persons = body.get("retention_delete_persons");
        if (persons != null && !persons.isBoolean()) {
            throw ApiError.invalid("retention_delete_persons", "retention_delete_persons must be true or false");
        }
        boolean deletePersons = persons != null ? persons.asBoolean() : now.map(Retention::deletePersons).orElse(false);
        if (days == null) {
            if (now.isEmpty()) throw ApiError.invalid("retention_days", "set retention_days before retention_delete_persons");
            return Optional.of(new Retention(now.get().days(), deletePersons));
        }
        if (days.isNull()) return Optional.empty();
        if (!days.isIntegralNumber() || !days.canConvertToInt() || days.intValue() < 1 || days.intValue() > Retention.MAX_DAYS) {
            throw ApiError.invalid("retention_days", "retention_days must be a whole number of days from 1 to " + Retention.MAX_DAYS + ", or null");
        }
        return Optional.of(new Retention(days.intValue(), deletePersons));
    }

    private static String zone(JsonNode value) {
        if (value == null || !value.isTextual()) throw ApiError.invalid("timezone", "timezone must be an IANA zone name such as Europe/Berlin");
        try {
            return ZoneId.of(value.asText()).getId();
        } catch (DateTimeException e) {
            throw ApiError.invalid("timezone", "'" + value.asText() + "' is not a known timezone");
        }
    }

    private JsonNode body(Context ctx) {
        JsonNode node = Params.json(ctx, json, "body");
        if (node == null || !node.isObject()) throw ApiError.invalid("body", "the body must be a JSON object");
        return node;
    }
}
