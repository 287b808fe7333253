package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sightline.account.User;
import dev.sightline.cohort.Cohort;
import dev.sightline.cohort.Cohorts;
import dev.sightline.cohort.Criterion;
import dev.sightline.query.QueryService;
import dev.sightline.store.PersonQuery;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/projects/:id/cohorts/} in PostHog's shapes: list, create (JSON, a multipart form
 * with a {@code csv} file, or a static cohort from an insight's {@code query} of persons),
 * retrieve, update (also a CSV to add), delete, the members list (with CSV export), adding persons
 * to a static cohort, and Sightline's own live size estimate for the editor.
 */
final class CohortsEndpoint {
    private final Auth auth;
    private final Cohorts cohorts;
    private final QueryService queries;
    private final PersonsEndpoint persons;
    private final ObjectMapper json;

    CohortsEndpoint(Auth auth, Cohorts cohorts, QueryService queries, PersonsEndpoint persons, ObjectMapper json) {
        this.auth = auth;
        this.cohorts = cohorts;
        this.queries = queries;
        this.persons = persons;
        this.json = json;
    }

    void list(Context ctx) {
        Project project = auth.project(ctx);
        List<Map<String, Object>> out = cohorts.list(project.id()).stream().map(this::view).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", out.size());
        body.put("next", null);
        body.put("previous", null);
        body.put("results", out);
        ctx.json(body);
    }

    void get(Context ctx) {
        Project project = auth.project(ctx);
        ctx.json(view(cohort(ctx, project)));
    }

    void create(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        Project project = auth.project(ctx, caller);
        Optional<Long> by = caller.user().map(User::id);
        if (ctx.isMultipartFormData()) {
            UploadedFile csv = ctx.uploadedFile("csv");
            boolean isStatic = csv != null || Boolean.parseBoolean(Optional.ofNullable(ctx.formParam("is_static")).orElse("false"));
            Cohort c = cohorts.create(project.id(), new Cohorts.Draft(ctx.formParam("name"), ctx.formParam("description"),
                    formJson(ctx, "filters"), formJson(ctx, "groups"), isStatic, by));
            Map<String, Object> v = view(c);
            if (csv != null) {
                Cohorts.CsvReport report = upload(project, c.id(), csv);
                v = view(cohorts.get(project.id(), c.id()).orElseThrow());
                v.put("csv_report", report(report));
            }
            ctx.status(201).json(v);
            return;
        }
        JsonNode body = body(ctx);
        boolean isStatic = bool(body, "is_static");
        JsonNode query = body.get("query");
        if (query != null && !query.isNull()) {
            if (!isStatic) throw ApiError.invalid("is_static", "a cohort made from an insight's persons is static: send is_static: true");
            // the persons are read before the cohort exists, so a bad query leaves nothing behind
            List<UUID> ids = queries.actorIds(project.id(), project.timezone(), query);
            Cohort c = cohorts.create(project.id(), draft(body, true, by));
            ctx.status(201).json(view(cohorts.addPersons(project.id(), c.id(), ids)));
            return;
        }
        ctx.status(201).json(view(cohorts.create(project.id(), draft(body, isStatic, by))));
    }

    void patch(Context ctx) {
        Project project = auth.project(ctx);
        Cohort current = cohort(ctx, project);
        if (ctx.isMultipartFormData()) {
            Cohorts.Patch p = new Cohorts.Patch(Optional.ofNullable(ctx.formParam("name")), Optional.ofNullable(ctx.formParam("description")),
                    Optional.empty(), Optional.empty(), Optional.empty());
            cohorts.update(project.id(), current.id(), p);
            UploadedFile csv = ctx.uploadedFile("csv");
            Map<String, Object> v;
            if (csv != null) {
                Cohorts.CsvReport report = upload(project, current.id(), csv);
                v = view(cohorts.get(project.id(), current.id()).orElseThrow());
                v.put("csv_report", report(report));
            } else {
                v = view(cohorts.get(project.id(), current.id()).orElseThrow());
            }
            ctx.json(v);
            return;
        }
        JsonNode body = body(ctx);
        if (body.has("is_static") && bool(body, "is_static") != current.isStatic()) {
            throw ApiError.invalid("is_static", "a cohort cannot change between static and dynamic; duplicate it instead");
        }
        Cohorts.Patch p = new Cohorts.Patch(text(body, "name"), text(body, "description"), node(body, "filters"), node(body, "groups"),
                body.has("deleted") ? Optional.of(bool(body, "deleted")) : Optional.empty());
        ctx.json(view(cohorts.update(project.id(), current.id(), p)));
    }

    void delete(Context ctx) {
        Project project = auth.project(ctx);
        cohorts.delete(project.id(), cohort(ctx, project).id());
        ctx.status(204);
    }

    /** Recomputes the stored membership now (the list's count and status). */
    void calculate(Context ctx) {
        Project project = auth.project(ctx);
        ctx.json(view(cohorts.calculate(project.id(), cohort(ctx, project).id())));
    }

    /** {@code {"filters": ...}} or {@code {"groups": ...}} of a cohort not saved yet → {@code {"count": n}}. */
    void estimate(Context ctx) {
        Project project = auth.project(ctx);
        JsonNode body = body(ctx);
        ctx.json(Map.of("count", cohorts.estimate(project.id(), body.get("filters"), body.get("groups"))));
    }

    /** The cohort's members now, as the persons list shows persons (paged, searchable, CSV with format=csv). */
    void persons(Context ctx) {
        Project project = auth.project(ctx);
        Cohort c = cohort(ctx, project);
        persons.list(ctx, project, List.of(new PersonQuery.Membership(cohorts.members(project.id(), c.id()), false)), "cohort-" + c.id() + ".csv");
    }

    /** {@code {"person_ids": [uuid, ...]}}: adds those persons to a static cohort. */
    void addPersons(Context ctx) {
        Project project = auth.project(ctx);
        Cohort c = cohort(ctx, project);
        JsonNode list = body(ctx).get("person_ids");
        if (list == null || !list.isArray() || list.isEmpty()) throw ApiError.invalid("person_ids", "send person_ids: a non-empty list of person ids");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String raw = list.get(i).asText();
            try {
                ids.add(UUID.fromString(raw));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("person_ids[" + i + "]", "'" + raw + "' is not a person id (a UUID)");
            }
        }
        ctx.json(view(cohorts.addPersons(project.id(), c.id(), ids)));
    }

    private Cohorts.CsvReport upload(Project project, long id, UploadedFile csv) {
        try (InputStream in = csv.content()) {
            return cohorts.addCsv(project.id(), id, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> report(Cohorts.CsvReport r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("column", r.column());
        v.put("rows", r.rows());
        v.put("matched", r.matched());
        v.put("unmatched_count", r.unmatchedCount());
        v.put("unmatched", r.unmatched().stream().map(u -> Map.of("row", u.row(), "value", u.value(), "reason", u.reason())).toList());
        return v;
    }

    private Cohort cohort(Context ctx, Project project) {
        long id = Params.pathLong(ctx, "cohortId");
        return cohorts.get(project.id(), id).orElseThrow(() -> ApiError.notFound("no cohort " + id + " in this project"));
    }

    private static Cohorts.Draft draft(JsonNode body, boolean isStatic, Optional<Long> by) {
        JsonNode name = body.get("name");
        if (name != null && !name.isNull() && !name.isTextual()) throw ApiError.invalid("name", "name must be a string");
        return new Cohorts.Draft(name == null || name.isNull() ? "" : name.asText(), text(body, "description").orElse(""),
                body.path("filters").isMissingNode() ? NullNode.getInstance() : body.get("filters"),
                body.path("groups").isMissingNode() ? NullNode.getInstance() : body.get("groups"), isStatic, by);
    }

    private JsonNode formJson(Context ctx, String field) {
        String raw = ctx.formParam(field);
        if (raw == null || raw.isBlank()) return NullNode.getInstance();
        try {
            return json.readTree(raw);
        } catch (IOException e) {
            throw ApiError.invalid(field, field + " must be JSON");
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw ApiError.invalid(field, field + " must be a string");
        return Optional.of(v.asText());
    }

    private static Optional<JsonNode> node(JsonNode body, String field) {
        return body.has(field) ? Optional.of(body.get(field)) : Optional.empty();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return false;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) return Boolean.parseBoolean(v.asText());
        throw ApiError.invalid(field, field + " must be true or false");
    }

    private JsonNode body(Context ctx) {
        JsonNode node = Params.json(ctx, json, "body");
        if (node == null || !node.isObject()) throw ApiError.invalid("body", "the body must be a JSON object");
        return node;
    }

    /** PostHog's cohort serializer fields, plus {@code last_error} (why the last calculation failed). */
    Map<String, Object> view(Cohort c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", c.id());
        v.put("name", c.name());
        v.put("description", c.description());
        v.put("groups", c.groups().isNull() ? List.of() : c.groups());
        v.put("deleted", c.deleted());
        v.put("filters", c.filters().isNull() ? null : c.filters());
        v.put("query", null);
        v.put("is_calculating", c.isCalculating());
        v.put("created_by", c.createdBy().map(id -> Map.of("id", id)).orElse(null));
        v.put("created_at", c.createdAt().toString());
        v.put("last_calculation", c.lastCalculation().map(Object::toString).orElse(null));
        v.put("errors_calculating", c.errorsCalculating());
        v.put("last_error", c.lastError().orElse(null));
        v.put("count", c.count().orElse(null));
        v.put("is_static", c.isStatic());
        v.put("cohort_type", type(c));
        v.put("version", c.version());
        return v;
    }

    /** PostHog's cohort_type: static, person_property (only person criteria) or behavioral. */
    private static String type(Cohort c) {
        if (c.isStatic()) return "static";
        try {
            return dev.sightline.cohort.CohortParser.parse(c.filters(), c.groups()).map(CohortsEndpoint::onlyPersons).orElse(true)
                    ? "person_property" : "behavioral";
        } catch (RuntimeException e) {
            return "behavioral";
        }
    }

    private static boolean onlyPersons(Criterion c) {
        return switch (c) {
            case Criterion.Group g -> g.members().stream().allMatch(CohortsEndpoint::onlyPersons);
            case Criterion.PersonProperty p -> true;
            default -> false;
        };
    }
}
