package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.identity.Person;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PropertyMap;
import dev.sightline.store.EventRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The query cache keys on the data version: every kind of committed write must change it for its
 * project, and only for its project, and a failed commit must not.
 */
class DataVersionTest {
    final Instant t0 = Instant.parse("2026-06-01T12:00:00Z");

    EventRecord event(long projectId, String name) {
        return new EventRecord(projectId, UUID.randomUUID(), name, "visitor", t0, t0, "{}", Optional.empty(), "{}",
                Optional.empty(), Optional.empty(), EventRecord.NO_GROUPS, Optional.empty());
    }

    @Test
    void everyCommittedWriteOfAProjectChangesItsVersionAndNoOthers() throws Exception {
        Path dir = Files.createTempDirectory("data-version");
        try (Database db = Database.open(dir)) {
            DuckDbQueries queries = new DuckDbQueries(db);
            DuckDbIngest ingest = new DuckDbIngest(db);
            String first = queries.dataVersion(1);
            String other = queries.dataVersion(2);

            ingest.commit(List.of(event(1, "$pageview")), PersonChanges.NONE);
            String afterEvents = queries.dataVersion(1);
            assertThat(afterEvents).isNotEqualTo(first);
            assertThat(queries.dataVersion(2)).isEqualTo(other);

            // person changes alone, with no event (a split, or a person's properties set through the API)
            Person person = new Person(UUID.randomUUID(), 1, PropertyMap.empty(), true, t0, 0);
            ingest.commit(List.of(), new PersonChanges(List.of(person), List.of(), List.of(), List.of(), List.of(), List.of(), List.of()));
            String afterPersons = queries.dataVersion(1);
            assertThat(afterPersons).isNotEqualTo(afterEvents);

            ingest.deletePerson(1, person.uuid(), List.of(), false);
            String afterDelete = queries.dataVersion(1);
            assertThat(afterDelete).isNotEqualTo(afterPersons);

            queries.setTestAccountFilters(1, "[{\"key\": \"email\", \"value\": \"@x.io\", \"operator\": \"not_icontains\", \"type\": \"person\"}]");
            String afterSettings = queries.dataVersion(1);
            assertThat(afterSettings).isNotEqualTo(afterDelete);
            assertThat(queries.dataVersion(2)).isEqualTo(other);

            // a merge's override, then the fold that writes it into the events: queries may then leave out the join with overrides
            Person merged = new Person(UUID.randomUUID(), 1, PropertyMap.empty(), true, t0, 0);
            ingest.commit(List.of(), new PersonChanges(List.of(merged), List.of(),
                    List.of(new dev.sightline.identity.DistinctIdMapping(1, "visitor", merged.uuid(), 1)), List.of(), List.of(), List.of(), List.of()));
            String afterOverride = queries.dataVersion(1);
            assertThat(afterOverride).isNotEqualTo(afterSettings);
            assertThat(ingest.compactOverrides()).isEqualTo(1);
            String afterFold = queries.dataVersion(1);
            assertThat(afterFold).isNotEqualTo(afterOverride);
            assertThat(queries.dataVersion(2)).isEqualTo(other);
            assertThat(ingest.compactOverrides()).isZero();
            assertThat(queries.dataVersion(1)).isEqualTo(afterFold);

            // an event without a name breaks the table's NOT NULL: nothing is stored, nothing changes
            assertThatThrownBy(() -> ingest.commit(List.of(event(1, "$pageview"), event(1, null)), PersonChanges.NONE))
                    .isInstanceOf(StorageException.class);
            assertThat(queries.dataVersion(1)).isEqualTo(afterFold);
        }
    }
}
