package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.identity.BatchOutcome;
import dev.sightline.identity.EventOutcome;
import dev.sightline.identity.Group;
import dev.sightline.identity.IdentityEvent;
import dev.sightline.identity.PersonProcessor;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The person store on a real DuckDB file, read back by processors that start with nothing in
 * memory, as after a restart: groups, distinct ids and personless marks written by one batch are
 * found by the next, whatever path each write took.
 */
class DuckDbPersonStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void whatOneBatchWritesTheNextFindsInTheFile() throws Exception {
        try (Database db = Database.open(dir)) {
            DuckDbIngest ingest = new DuckDbIngest(db);
            BatchOutcome first = commit(ingest, new PersonProcessor(ingest.persons()), List.of(
                    event("$groupidentify", "user", "{\"$group_type\": \"company\", \"$group_key\": \"acme\", \"$group_set\": {\"size\": 1}}"),
                    event("$groupidentify", "user", "{\"$group_type\": \"company\", \"$group_key\": \"initech\", \"$group_set\": {\"size\": 5}}"),
                    event("$pageview", "visitor", "{\"$process_person_profile\": false}"),
                    event("$pageview", "user", "{\"$set\": {\"plan\": \"pro\"}}")));
            UUID user = personOf(first, 3);

            // a processor with an empty cache, as after a restart
            BatchOutcome second = commit(ingest, new PersonProcessor(ingest.persons()), List.of(
                    event("$groupidentify", "user", "{\"$group_type\": \"company\", \"$group_key\": \"acme\", \"$group_set\": {\"size\": 2}}"),
                    event("$groupidentify", "user", "{\"$group_type\": \"company\", \"$group_key\": \"globex\", \"$group_set\": {\"size\": 9}}"),
                    event("$pageview", "visitor", "{\"$process_person_profile\": false}"),
                    event("$pageview", "user", "{}")));
            assertThat(second.changes().groupsUpserted()).extracting(Group::key, Group::version)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("acme", 1L), org.assertj.core.groups.Tuple.tuple("globex", 0L));
            assertThat(second.changes().personlessMarks()).as("the visitor's mark is stored already").isEmpty();
            assertThat(personOf(second, 3)).as("the same person, found in the file").isEqualTo(user);
            assertThat(second.changes().personsUpserted()).isEmpty();

            // the visitor logs in: its personless mark becomes merged (a row of its own: the marks are append-only)
            commit(ingest, new PersonProcessor(ingest.persons()), List.of(
                    event("$identify", "user", "{\"$anon_distinct_id\": \"visitor\"}")));
            try (var c = db.connect(); Statement s = c.createStatement()) {
                assertThat(rows(s, "SELECT distinct_id || ':' || bool_or(is_merged) FROM personless_distinct_ids GROUP BY distinct_id ORDER BY 1"))
                        .containsExactly("visitor:true");
                assertThat(rows(s, "SELECT distinct_id || ':' || is_merged FROM personless_distinct_ids ORDER BY 1"))
                        .containsExactly("visitor:false", "visitor:true");
                assertThat(rows(s, "SELECT group_key || ':' || (properties ->> 'size') || ':' || version FROM groups ORDER BY 1"))
                        .containsExactly("acme:2:1", "globex:9:0", "initech:5:0");
                assertThat(rows(s, "SELECT distinct_id FROM person_distinct_ids ORDER BY 1")).containsExactly("user", "visitor");
            }
        }
    }

    private static BatchOutcome commit(DuckDbIngest ingest, PersonProcessor processor, List<IdentityEvent> events) {
        BatchOutcome outcome = processor.process(events);
        ingest.commit(List.of(), outcome.changes());
        processor.committed(outcome.changes());
        return outcome;
    }

    private static UUID personOf(BatchOutcome outcome, int index) {
        return ((EventOutcome.Stamped) outcome.events().get(index)).stamp().personId();
    }

    private static IdentityEvent event(String name, String distinctId, String json) throws Exception {
        return new IdentityEvent(1, UUID.randomUUID(), name, distinctId, AT, (ObjectNode) JSON.readTree(json));
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
