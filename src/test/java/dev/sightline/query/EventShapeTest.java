package dev.sightline.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.identity.DistinctIdMapping;
import dev.sightline.identity.Person;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PropertyMap;
import dev.sightline.store.EventRecord;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbQueries;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Queries leave out the joins a project's events do not need ({@link Dialect.Shape}), and the
 * service keeps that answer while the data version holds. Each write that changes the answer must
 * be seen by the next query, cached or not: events without a person, a merge's override, its fold.
 */
class EventShapeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    static EventRecord event(String distinctId, UUID person) {
        return new EventRecord(1, UUID.randomUUID(), "$pageview", distinctId, T, T, "{}", Optional.ofNullable(person), "{}",
                Optional.empty(), Optional.empty(), EventRecord.NO_GROUPS, Optional.empty());
    }

    static PersonChanges owning(Person p, String distinctId, long version) {
        return new PersonChanges(List.of(p), List.of(), List.of(new DistinctIdMapping(1, distinctId, p.uuid(), version)),
                List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void eachWriteThatChangesTheShapeIsSeenByTheNextQuery() throws Exception {
        try (Database db = Database.open(Files.createTempDirectory("event-shape"))) {
            DuckDbIngest ingest = new DuckDbIngest(db);
            DuckDbQueries store = new DuckDbQueries(db);
            QueryService service = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(T.plusSeconds(3600), ZoneOffset.UTC));
            Person ada = new Person(UUID.randomUUID(), 1, PropertyMap.empty(), true, T, 0);
            Person bob = new Person(UUID.randomUUID(), 1, PropertyMap.empty(), true, T, 0);
            ingest.commit(List.of(event("ada", ada.uuid()), event("bob", bob.uuid())), owning(ada, "ada", 0));
            ingest.commit(List.of(), owning(bob, "bob", 0));
            assertThat(shape(db)).isEqualTo(new Dialect.Shape(false, false));
            assertThat(uniquePersons(service)).isEqualTo(2);

            // stored without a person: one of ada's ids, and one no person owns (counted by its own id)
            ingest.commit(List.of(event("ada", null), event("stranger", null)), PersonChanges.NONE);
            assertThat(shape(db)).isEqualTo(new Dialect.Shape(false, true));
            assertThat(uniquePersons(service)).isEqualTo(3);

            // bob's id moves to ada: an override until the fold writes it into the events
            ingest.commit(List.of(), owning(ada, "bob", 1));
            assertThat(shape(db)).isEqualTo(new Dialect.Shape(true, true));
            assertThat(uniquePersons(service)).isEqualTo(2);
            ingest.compactOverrides();
            assertThat(shape(db)).isEqualTo(new Dialect.Shape(false, true));
            assertThat(uniquePersons(service)).isEqualTo(2);
        }
    }

    static Dialect.Shape shape(Database db) {
        DuckDbQueries store = new DuckDbQueries(db);
        return QueryContext.shape(1, new DuckDbDialect(), store);
    }

    /** Through the cache, and refreshed (which still keeps the shape): both must follow the writes before them. */
    static int uniquePersons(QueryService service) throws Exception {
        int[] answers = new int[2];
        for (int i = 0; i < 2; i++) {
            JsonNode body = JSON.readTree("""
                    {"refresh": %s, "query": {"kind": "TrendsQuery", "series": [{"event": "$pageview", "math": "dau"}],
                     "trendsFilter": {"display": "BoldNumber"}, "dateRange": {"date_from": "-1d"}}}""".formatted(i == 1));
            JsonNode r = JSON.valueToTree(service.run(1, "UTC", body));
            answers[i] = r.get("results").get(0).get("aggregated_value").asInt();
        }
        assertThat(answers[1]).as("refreshed").isEqualTo(answers[0]);
        return answers[0];
    }
}
