package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.capture.Uuids;
import dev.sightline.identity.PropertyOrigin;
import dev.sightline.identity.SplitOutcome;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.enrich.RequestFacts;
import dev.sightline.query.PropertyFilter;
import dev.sightline.store.EventCursor;
import dev.sightline.store.MergeView;
import dev.sightline.store.PersonQuery;
import dev.sightline.store.PersonReads;
import dev.sightline.store.PersonView;
import dev.sightline.store.Project;
import dev.sightline.store.StoredEvent;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code /api/projects/:id/persons/}: list and search, one person, property edits (sent through the
 * pipeline as {@code $set} / {@code $unset} events, as PostHog does), deletion, merge history,
 * split, and the timeline of everything the person did.
 */
final class PersonsEndpoint {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Auth auth;
    private final PersonReads persons;
    private final Pipeline pipeline;
    private final EventsEndpoint events;
    private final ObjectMapper json;
    private final PageLinks links;
    private final Clock clock;
    private final Memberships memberships;

    PersonsEndpoint(Auth auth, PersonReads persons, Pipeline pipeline, EventsEndpoint events, PageLinks links, ObjectMapper json, Clock clock,
                    Memberships memberships) {
        this.memberships = memberships;
        this.auth = auth;
        this.links = links;
        this.persons = persons;
        this.pipeline = pipeline;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    void list(Context ctx) {
        Project project = auth.project(ctx);
        Optional<String> distinctId = Params.string(ctx, "distinct_id");
        if (distinctId.isPresent()) {
            List<Map<String, Object>> one = persons.byDistinctId(project.id(), distinctId.get()).map(this::view).stream().toList();
            ctx.json(page(one, null));
            return;
        }
        list(ctx, project, List.of(), "persons.csv");
    }

    /**
     * The persons list (page, search, filters, order, CSV), narrowed to {@code members}: also the
     * list of a cohort's persons. Cohort filters in {@code properties} become memberships too.
     */
    void list(Context ctx, Project project, List<PersonQuery.Membership> members, String csvName) {
        int limit = Params.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Optional<PersonQuery.Position> after = Params.string(ctx, "cursor").map(PersonsEndpoint::decodePosition);
        List<PropertyFilter> parsed = Params.string(ctx, "properties").map(raw -> {
            try {
                return PropertyFilter.parseList(json.readTree(raw));
            } catch (IOException e) {
                throw ApiError.invalid("properties", "properties must be a JSON array of property filters");
            }
        }).orElse(List.of());
        List<PropertyFilter> filters = new ArrayList<>();
        List<PersonQuery.Membership> cohorts = new ArrayList<>(members);
        for (PropertyFilter f : parsed) {
            if (f.scope() == PropertyFilter.Scope.COHORT) {
                cohorts.add(new PersonQuery.Membership(memberships.members(project.id(), f.cohortId()), f.operator() == PropertyFilter.Operator.NOT_IN));
            } else {
                filters.add(f);
            }
        }
        boolean ascending = Params.string(ctx, "order").map(o -> switch (o) {
            case "asc", "created_at" -> true;
            case "desc", "-created_at" -> false;
            default -> throw ApiError.invalid("order", "order is asc or desc (by the time the person was created)");
        }).orElse(false);
        Optional<String> search = Params.string(ctx, "search");
        if (Params.string(ctx, "format").filter(f -> f.equals("csv")).isPresent()) {
            PersonsCsv.write(ctx, persons, project.id(), new PersonQuery(search, filters, PersonsCsv.PAGE, Optional.empty(), ascending, cohorts), json,
                    csvName);
            return;
        }
        List<PersonView> rows = persons.list(project.id(), new PersonQuery(search, filters, limit + 1, after, ascending, cohorts));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            PersonView last = rows.getLast();
            next = links.next(ctx, encodePosition(new PersonQuery.Position(last.createdAt(), last.uuid())));
        }
        ctx.json(page(rows.stream().map(this::view).toList(), next));
    }

    /** A cohort's members as a relation for the persons list (the cohort package prints it). */
    interface Memberships {
        dev.sightline.query.Sql members(long projectId, long cohortId);
    }

    void get(Context ctx) {
        Project project = auth.project(ctx);
        ctx.json(view(person(ctx, project)));
    }

    void patch(Context ctx) {
        Project project = auth.project(ctx);
        PersonView person = person(ctx, project);
        JsonNode properties = body(ctx).get("properties");
        if (properties == null || !properties.isObject()) {
            throw ApiError.invalid("properties", "send {\"properties\": {...}} with the properties to set");
        }
        ObjectNode props = json.createObjectNode();
        props.set("$set", properties);
        send(project, person, "$set", props);
        ctx.json(view(person(ctx, project)));
    }

    void updateProperty(Context ctx) {
        Project project = auth.project(ctx);
        PersonView person = person(ctx, project);
        JsonNode body = body(ctx);
        JsonNode key = body.get("key");
        if (key == null || !key.isTextual() || key.asText().isEmpty()) {
            throw ApiError.invalid("key", "send {\"key\": \"...\", \"value\": ...}");
        }
        ObjectNode props = json.createObjectNode();
        props.putObject("$set").set(key.asText(), body.has("value") ? body.get("value") : json.nullNode());
        send(project, person, "$set", props);
        ctx.status(202).json(Map.of("status", "ok"));
    }

    void deleteProperty(Context ctx) {
        Project project = auth.project(ctx);
        PersonView person = person(ctx, project);
        JsonNode key = body(ctx).get("$unset");
        if (key == null || !key.isTextual() || key.asText().isEmpty()) {
            throw ApiError.invalid("$unset", "send {\"$unset\": \"property name\"}");
        }
        ObjectNode props = json.createObjectNode();
        props.putArray("$unset").add(key.asText());
        send(project, person, "$delete_person_property", props);
        ctx.status(202).json(Map.of("status", "ok"));
    }

    void delete(Context ctx) {
        Project project = auth.project(ctx);
        PersonView person = person(ctx, project);
        boolean withEvents = Params.bool(ctx, "delete_events");
        await(pipeline.deletePerson(project.id(), person.uuid(), withEvents));
        ctx.status(204);
    }

    /**
     * {@code DELETE persons/?distinct_id=x[&delete_events=true]}: the person of that distinct id,
     * or, for an id of no person, its own marks (and events).
     */
    void deleteByDistinctId(Context ctx) {
        Project project = auth.project(ctx);
        String id = Params.string(ctx, "distinct_id")
                .orElseThrow(() -> ApiError.invalid("distinct_id", "name the person to delete: persons/?distinct_id=..., or persons/:uuid/"));
        Pipeline.Deleted deleted = await(pipeline.delete(project.id(), List.of(), List.of(id), Params.bool(ctx, "delete_events")));
        if (!deleted.any()) throw ApiError.notFound("no person or events with distinct_id '" + id + "'");
        ctx.status(204);
    }

    /** At most this many ids, and as many distinct ids, in one bulk deletion (PostHog's limit). */
    static final int BULK_DELETE_LIMIT = 1000;

    /**
     * {@code POST persons/bulk_delete/} in PostHog's shape: {@code {"ids": [person uuids],
     * "distinct_ids": [...], "delete_events": false}}. Ids that name nobody are skipped.
     */
    void bulkDelete(Context ctx) {
        Project project = auth.project(ctx);
        JsonNode body = body(ctx);
        List<UUID> ids = new ArrayList<>();
        for (String raw : strings(body, "ids")) {
            ids.add(Uuids.parse(raw).orElseThrow(() -> ApiError.invalid("ids", "'" + raw + "' is not a person id (a UUID)")));
        }
        List<String> distinctIds = strings(body, "distinct_ids");
        if (ids.isEmpty() && distinctIds.isEmpty()) throw ApiError.invalid("ids", "send ids or distinct_ids to delete");
        if (body.path("keep_person").asBoolean(false)) {
            throw ApiError.invalid("keep_person", "keep_person is not supported: delete the person, with or without its events");
        }
        JsonNode events = body.path("delete_events");
        if (!events.isMissingNode() && !events.isNull() && !events.isBoolean()) throw ApiError.invalid("delete_events", "delete_events must be true or false");
        Pipeline.Deleted deleted = await(pipeline.delete(project.id(), ids, distinctIds, events.asBoolean(false)));
        ctx.status(202).json(Map.of("persons_deleted", deleted.persons()));
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode list = body.get(field);
        if (list == null || list.isNull()) return List.of();
        if (!list.isArray()) throw ApiError.invalid(field, field + " must be a list of strings");
        if (list.size() > BULK_DELETE_LIMIT) throw ApiError.invalid(field, "at most " + BULK_DELETE_LIMIT + " " + field + " at once");
        List<String> out = new ArrayList<>();
        for (JsonNode v : list) {
            if (!v.isTextual() || v.asText().isEmpty()) throw ApiError.invalid(field, field + " must be a list of non-empty strings");
            out.add(v.asText());
        }
        return out;
    }

    void merges(Context ctx) {
        Project project = auth.project(ctx);
        PersonView person = person(ctx, project);
        List<Map<String, Object>> out = new ArrayList<>();
        for (MergeView m : persons.merges(project.id(), person.uuid())) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("kind", m.kind());
            v.put("source_person_id", m.source().toString());
            v.put("target_person_id", m.target().toString());
            v.put("distinct_ids", m.distinctIds());
            v.put("event_uuid", m.eventUuid().map(UUID::toString).orElse(null));
            v.put("rule", m.rule());
            v.put("at", m.at().toString());
            out.add(v);
        }
        ctx.json(Map.of("results", out));
    }

    /**
     * Body {@code {"distinct_ids": ["a", ["b", "c"]]}} gives each entry (an id, or a list of ids kept
     * together) a person of its own; PostHog's {@code {"main_distinct_id": "x"}} keeps x and splits
     * every other id off on its own.
     */
    void split(Context ctx) {
        Project project = auth.project(ctx);
        PersonView person = person(ctx, project);
        JsonNode body = body(ctx);
        List<List<String>> groups = new ArrayList<>();
        if (body.has("distinct_ids")) {
            JsonNode ids = body.get("distinct_ids");
            if (!ids.isArray() || ids.isEmpty()) throw ApiError.invalid("distinct_ids", "distinct_ids must be a non-empty array");
            for (JsonNode entry : ids) {
                if (entry.isTextual()) {
                    groups.add(List.of(entry.asText()));
                } else if (entry.isArray() && !entry.isEmpty()) {
                    List<String> group = new ArrayList<>();
                    entry.forEach(id -> group.add(id.asText()));
                    groups.add(group);
                } else {
                    throw ApiError.invalid("distinct_ids", "each entry is a distinct id or a non-empty list of them");
                }
            }
        } else {
            String main = body.path("main_distinct_id").asText(person.distinctIds().isEmpty() ? "" : person.distinctIds().getFirst());
            for (String id : person.distinctIds()) {
                if (!id.equals(main)) groups.add(List.of(id));
            }
            if (groups.isEmpty()) throw ApiError.invalid("main_distinct_id", "the person has no other distinct id to split off");
        }
        SplitOutcome outcome = await(pipeline.split(project.id(), person.uuid(), groups));
        switch (outcome) {
            case SplitOutcome.Refused r -> throw ApiError.invalid("distinct_ids", r.reason());
            case SplitOutcome.Split s -> ctx.json(Map.of("success", true,
                    "persons", s.newPersons().stream().map(p -> p.uuid().toString()).toList()));
        }
    }

    /** Every event of all the person's distinct ids, newest (or oldest) first, with session groups for the page. */
    void timeline(Context ctx) {
        Project project = auth.project(ctx);
        PersonView person = person(ctx, project);
        boolean ascending = Params.string(ctx, "direction").map(d -> switch (d) {
            case "asc", "ascending" -> true;
            case "desc", "descending" -> false;
            default -> throw ApiError.invalid("direction", "direction is asc or desc");
        }).orElse(false);
        int limit = Params.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Optional<EventCursor> cursor = Params.string(ctx, "cursor").map(c -> EventCursor.decode(c)
                .orElseThrow(() -> ApiError.invalid("cursor", "the cursor is not one this server issued")));
        List<StoredEvent> rows = persons.timeline(project.id(), person.distinctIds(), ascending, limit + 1, cursor);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            StoredEvent last = rows.getLast();
            next = links.next(ctx, new EventCursor(last.timestamp(), last.uuid()).encode());
        }
        List<Map<String, Object>> results = rows.stream().map(events::view).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("next", next);
        body.put("results", results);
        body.put("sessions", sessions(results));
        ctx.json(body);
    }

    /** Consecutive events of one $session_id form a group; events without one stand alone. */
    private static List<Map<String, Object>> sessions(List<Map<String, Object>> results) {
        List<Map<String, Object>> groups = new ArrayList<>();
        Map<String, Object> current = null;
        String currentId = null;
        for (Map<String, Object> e : results) {
            JsonNode props = (JsonNode) e.get("properties");
            String sessionId = props.path("$session_id").isTextual() ? props.get("$session_id").asText() : null;
            if (current == null || sessionId == null || !sessionId.equals(currentId)) {
                current = new LinkedHashMap<>();
                current.put("session_id", sessionId);
                current.put("events", new ArrayList<String>());
                groups.add(current);
                currentId = sessionId;
            }
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) current.get("events");
            ids.add((String) e.get("uuid"));
        }
        return groups;
    }

    private void send(Project project, PersonView person, String event, ObjectNode properties) {
        if (person.distinctIds().isEmpty()) throw ApiError.invalid("person", "the person has no distinct id to send the change with");
        CapturedEvent change = new CapturedEvent(Uuids.v7(), event, person.distinctIds().getFirst(), clock.instant(), properties);
        await(pipeline.submit(project.id(), List.of(change), RequestFacts.of("127.0.0.1", null)));
    }

    private PersonView person(Context ctx, Project project) {
        String raw = ctx.pathParam("uuid");
        UUID uuid = Uuids.parse(raw).orElseThrow(() -> ApiError.notFound("no person with id '" + raw + "'"));
        return persons.get(project.id(), uuid).orElseThrow(() -> ApiError.notFound("no person with id '" + raw + "'"));
    }

    private JsonNode body(Context ctx) {
        JsonNode node = Params.json(ctx, json, "body");
        if (node == null || !node.isObject()) throw ApiError.invalid("body", "the body must be a JSON object");
        return node;
    }


    static String displayName(PersonView p, JsonNode props) {
        return displayName(props, p);
    }

    Map<String, Object> view(PersonView p) {
        Map<String, Object> v = new LinkedHashMap<>();
        JsonNode props = tree(p.properties());
        v.put("id", p.uuid().toString());
        v.put("uuid", p.uuid().toString());
        v.put("name", displayName(props, p));
        v.put("distinct_ids", p.distinctIds());
        v.put("properties", props);
        v.put("created_at", p.createdAt().toString());
        v.put("is_identified", p.identified());
        Map<String, String> sources = new LinkedHashMap<>();
        props.fieldNames().forEachRemaining(k -> PropertyOrigin.of(k).ifPresent(o -> sources.put(k, o.wire())));
        v.put("property_sources", sources);
        return v;
    }

    private static String displayName(JsonNode props, PersonView p) {
        for (String key : List.of("email", "name", "username")) {
            if (props.path(key).isTextual() && !props.get(key).asText().isBlank()) return props.get(key).asText();
        }
        return p.distinctIds().isEmpty() ? p.uuid().toString() : p.distinctIds().getFirst();
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private static Map<String, Object> page(List<Map<String, Object>> results, String next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("next", next);
        body.put("results", results);
        return body;
    }

    static String encodePosition(PersonQuery.Position p) {
        return new EventCursor(p.createdAt(), p.uuid()).encode();
    }

    private static PersonQuery.Position decodePosition(String token) {
        EventCursor c = EventCursor.decode(token).orElseThrow(() -> ApiError.invalid("cursor", "the cursor is not one this server issued"));
        return new PersonQuery.Position(c.timestamp(), c.uuid());
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiError(503, "server_error", "timeout", "the change is taking too long; retry later", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
