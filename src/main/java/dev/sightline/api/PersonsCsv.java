package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import dev.sightline.store.PersonQuery;
import dev.sightline.store.PersonReads;
import dev.sightline.store.PersonView;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The persons list as CSV, every matching person, streamed page by page. Columns: the person's
 * id, display name ({@code person}), distinct ids, created time, then one column per property key found in the first page
 * (at most {@link #MAX_COLUMNS}), and {@code other_properties} holding, as JSON, any key not given
 * a column, so that no property is lost however many keys the persons have.
 */
final class PersonsCsv {
    static final int PAGE = 2_000;
    static final int MAX_COLUMNS = 200;
    private static final CsvMapper CSV = new CsvMapper();

    private PersonsCsv() {}

    static void write(Context ctx, PersonReads persons, long projectId, PersonQuery query, ObjectMapper json) {
        write(ctx, persons, projectId, query, json, "persons.csv");
    }

    /** @param filename a constant of the caller (or built from a cohort's id), never user text */
    static void write(Context ctx, PersonReads persons, long projectId, PersonQuery query, ObjectMapper json, String filename) {
        List<PersonView> page = persons.list(projectId, query);
        TreeSet<String> keys = new TreeSet<>();
        for (PersonView p : page) {
            tree(json, p.properties()).fieldNames().forEachRemaining(k -> {
                if (keys.size() < MAX_COLUMNS) keys.add(k);
            });
        }
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        ctx.header("Cache-Control", "no-store");
        try (OutputStream out = ctx.res().getOutputStream(); SequenceWriter rows = CSV.writer().writeValues(out)) {
            List<String> header = new ArrayList<>(List.of("id", "person", "distinct_ids", "created_at", "is_identified"));
            header.addAll(keys);
            header.add("other_properties");
            rows.write(header);
            while (true) {
                for (PersonView p : page) rows.write(row(p, keys, json));
                if (page.size() < query.limit()) break;
                PersonView last = page.getLast();
                page = persons.list(projectId, query.after(new PersonQuery.Position(last.createdAt(), last.uuid())));
                if (page.isEmpty()) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> row(PersonView p, TreeSet<String> keys, ObjectMapper json) {
        JsonNode props = tree(json, p.properties());
        List<String> row = new ArrayList<>(keys.size() + 6);
        row.add(p.uuid().toString());
        row.add(PersonsEndpoint.displayName(p, props));
        row.add(String.join(" ", p.distinctIds()));
        row.add(p.createdAt().toString());
        row.add(Boolean.toString(p.identified()));
        for (String k : keys) row.add(text(props.get(k)));
        var other = json.createObjectNode();
        props.properties().forEach(e -> {
            if (!keys.contains(e.getKey())) other.set(e.getKey(), e.getValue());
        });
        row.add(other.isEmpty() ? "" : other.toString());
        return row;
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull()) return "";
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static JsonNode tree(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
