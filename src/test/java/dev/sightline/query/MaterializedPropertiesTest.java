package dev.sightline.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.identity.PersonChanges;
import dev.sightline.store.EventRecord;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbQueries;
import dev.sightline.store.duckdb.MaterializedProperties;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A materialized property is read from its column, and every answer stays what reading the JSON
 * gives: for events stored before the key was materialized and for events committed after, with
 * keys that are hostile as SQL, and through breakdowns, sums, session and path questions.
 */
class MaterializedPropertiesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> KEYS = List.of("amount_text", "amount", "$current_url", "$session_id", Dataset.WEIRD_KEYS.get(0), Dataset.WEIRD_KEYS.get(4));

    @Test
    void answersAreTheSameFromTheColumnsAsFromTheJson() throws Exception {
        try (Database db = Database.open(Files.createTempDirectory("materialized"))) {
            Dataset data = Dataset.generate(Fixture.A, Fixture.B, 7);
            data.write(db);
            for (String key : KEYS.subList(0, 3)) assertThat(MaterializedProperties.materialize(db, key).added()).isTrue();
            assertThat(MaterializedProperties.materialize(db, "amount").added()).as("again").isFalse();
            // enrichment's text properties have their columns from the start
            assertThat(MaterializedProperties.materialize(db, "$browser")).isEqualTo(new MaterializedProperties.Outcome("$browser", "ep_browser", false, 0));

            // events committed after: the writer fills the columns too
            DuckDbIngest ingest = new DuckDbIngest(db);
            for (String key : KEYS.subList(3, KEYS.size())) MaterializedProperties.materialize(db, key);
            ingest = new DuckDbIngest(db);
            List<EventRecord> later = new ArrayList<>();
            String[] props = {"{\"$browser\": \"Chrome\", \"amount\": 12.5}", "{\"amount\": \"7\", \"$current_url\": \"https://x.io/a?b=1\"}",
                    "{\"amount\": {\"nested\": [1, 2]}, \"it's \\\"quoted\\\"\": true}", "{\"DROP TABLE events; --\": null, \"$browser\": \"\"}", "{}"};
            for (int i = 0; i < 50; i++) {
                later.add(new EventRecord(Fixture.A, UUID.randomUUID(), i % 2 == 0 ? "$pageview" : "purchase", "late-" + i % 7,
                        Dataset.NOW.minusSeconds(3600L * i), Dataset.NOW, props[i % props.length], Optional.empty(), "{}",
                        Optional.empty(), Optional.of("late-session-" + i % 3), EventRecord.NO_GROUPS, Optional.empty()));
            }
            ingest.commit(later, PersonChanges.NONE);

            Map<String, String> columns = MaterializedProperties.load(db);
            assertThat(columns.keySet()).containsExactlyElementsOf(KEYS);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                for (var column : columns.values()) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE " + column + " IS NOT NULL), count(*) FILTER (WHERE "
                            + column + " IS DISTINCT FROM json_extract_string(properties, (SELECT '/' || replace(replace(key, '~', '~0'), '/', '~1') "
                            + "FROM materialized_properties WHERE column_name = '" + column + "'))) FROM events")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("%s filled", column).isPositive();
                        assertThat(rs.getLong(2)).as("%s differs from the JSON", column).isZero();
                    }
                }
            }

            DuckDbQueries store = new DuckDbQueries(db);
            QueryService fromJson = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(Dataset.NOW, ZoneOffset.UTC));
            QueryService fromColumns = new QueryService(new DuckDbDialect(columns), store, store, store, Clock.fixed(Dataset.NOW, ZoneOffset.UTC));
            String range = "\"dateRange\": {\"date_from\": \"2025-03-01\", \"date_to\": \"2025-03-31\"}";
            List<String> queries = List.of(
                    "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"purchase\", \"math\": \"sum\", \"math_property\": \"amount\"}], " + range + "}",
                    "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], \"breakdownFilter\": {\"breakdown\": \"$browser\"}, " + range + "}",
                    "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], \"breakdownFilter\": {\"breakdown\": " + Fixture.q(KEYS.get(4)) + "}, " + range + "}",
                    "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"unique_session\"}], " + range + "}",
                    "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], \"breakdownFilter\": {\"breakdown\": \"$entry_current_url\", \"breakdown_type\": \"session\"}, " + range + "}",
                    "{\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"$pageview\"}, {\"event\": \"purchase\"}], \"breakdownFilter\": {\"breakdown\": \"$browser\"}, " + range + "}",
                    "{\"kind\": \"PathsQuery\", " + range + "}",
                    "{\"kind\": \"EventsQuery\", \"select\": [\"properties.$browser\", \"count()\"], \"orderBy\": [\"count() DESC\"], \"after\": \"2025-03-01\"}");
            queries = new ArrayList<>(queries);
            // every operator on materialized keys, in a filter
            String[][] filters = {
                    {"$browser", "exact", "[\"Chrome\", \"Safari\"]"}, {"$browser", "is_not", "\"Chrome\""}, {"$browser", "icontains", "\"fire\""},
                    {"$browser", "not_icontains", "\"fire\""}, {"$browser", "regex", "\"^(Chr|Saf)\""}, {"$browser", "not_regex", "\"^Chr\""},
                    {"$browser", "is_set", "null"}, {"$browser", "is_not_set", "null"}, {"amount", "gt", "20"}, {"amount", "gte", "20"},
                    {"amount", "lt", "20"}, {"amount", "lte", "20.5"}, {"amount", "between", "[10, 40]"}, {"amount", "not_between", "[10, 40]"},
                    {"amount", "exact", "\"7\""}, {KEYS.get(4), "is_set", "null"}, {KEYS.get(4), "exact", Fixture.q(Dataset.WEIRD_VALUES.get(5))},
                    {"$current_url", "is_date_before", "\"2030-01-01\""}, {"amount_text", "icontains", "\"1\""}, {"amount_text", "is_not_set", "null"}};
            for (String[] f : filters) {
                queries.add("{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": null}], \"properties\": [{\"key\": " + Fixture.q(f[0])
                        + ", \"operator\": \"" + f[1] + "\", \"value\": " + f[2] + ", \"type\": \"event\"}], " + range + "}");
            }
            int answered = 0;
            for (long project : List.of(Fixture.A, Fixture.B)) {
                for (String q : queries) {
                    JsonNode json = run(fromJson, project, q);
                    JsonNode col = run(fromColumns, project, q);
                    assertThat(col).as("project %d: %s", project, q).isEqualTo(json);
                    if (json.toString().matches(".*\"count\":[1-9].*")) answered++;
                }
            }
            // the comparisons mean something: most questions find events
            assertThat(answered).isGreaterThan(queries.size());
            // and the column is what the query read
            List<String> printed = new ArrayList<>();
            SqlExecutor spy = (sql, reader) -> {
                printed.add(sql.text());
                store.query(sql, reader);
            };
            new QueryService(new DuckDbDialect(columns), spy, store, store, Clock.fixed(Dataset.NOW, ZoneOffset.UTC))
                    .run(Fixture.A, "UTC", JSON.readTree("{\"query\": " + queries.get(1) + "}"));
            assertThat(printed.getLast()).contains("ev.ep_browser").doesNotContain("json_extract_string");
            new QueryService(new DuckDbDialect(columns), spy, store, store, Clock.fixed(Dataset.NOW, ZoneOffset.UTC))
                    .run(Fixture.A, "UTC", JSON.readTree("{\"query\": " + queries.stream().filter(q -> q.contains("is_date_before")).findFirst().orElseThrow() + "}"));
            assertThat(printed.getLast()).contains(columns.get("$current_url") + " AS TIMESTAMP").doesNotContain("json_extract_string");
        }
    }

    static JsonNode run(QueryService service, long project, String query) throws Exception {
        JsonNode r = JSON.valueToTree(service.run(project, "UTC", JSON.readTree("{\"refresh\": true, \"query\": " + query + "}")));
        return r.get("results");
    }
}
