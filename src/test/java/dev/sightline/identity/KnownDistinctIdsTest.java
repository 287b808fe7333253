package dev.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The filter that spares new distinct ids a store look-up, and how the processor relies on it. */
class KnownDistinctIdsTest {

    @Test
    void neverSaysNoToAnAddedIdAndRarelyYesToAnother() {
        KnownDistinctIds filter = new KnownDistinctIds(200_000);
        for (int i = 0; i < 200_000; i++) filter.add("user-" + i);
        for (int i = 0; i < 200_000; i++) assertThat(filter.mightContain("user-" + i)).isTrue();
        int wrong = 0;
        for (int i = 0; i < 100_000; i++) if (filter.mightContain("visitor-" + i)) wrong++;
        assertThat(wrong).as("false maybes at capacity").isLessThan(2_000);
        assertThat(filter.full()).isFalse();
        filter.add("one more");
        assertThat(filter.full()).isTrue();
    }

    @Test
    void newIdsAreNotLookedUpAndStoredOnesAre() {
        CountingStore store = new CountingStore();
        PersonProcessor first = new PersonProcessor(store);
        BatchOutcome created = first.process(List.of(event("alice", "{\"$set\": {\"plan\": \"pro\"}}"),
                event("visitor", "{\"$process_person_profile\": false}")));
        assertThat(store.askedMappings).as("a new id is not looked up").isEmpty();
        assertThat(store.askedMarks).isEmpty();
        store.write(created.changes());
        first.committed(created.changes());

        // a processor that starts afresh loads the filter from the store and must find both again
        PersonProcessor second = new PersonProcessor(store);
        BatchOutcome again = second.process(List.of(event("alice", "{}"), event("visitor", "{\"$process_person_profile\": false}"),
                event("bob", "{}")));
        assertThat(store.askedMappings).contains("alice").doesNotContain("bob");
        // alice is the same person, not a new one, and the visitor's mark is not written twice
        assertThat(((EventOutcome.Stamped) again.events().getFirst()).stamp().personId())
                .isEqualTo(((EventOutcome.Stamped) created.events().getFirst()).stamp().personId());
        assertThat(again.changes().personsUpserted()).extracting(Person::uuid)
                .containsExactly(((EventOutcome.Stamped) again.events().get(2)).stamp().personId());
        assertThat(again.changes().personlessMarks()).isEmpty();
    }

    private static IdentityEvent event(String distinctId, String json) {
        try {
            return new IdentityEvent(1, UUID.randomUUID(), "$pageview", distinctId, Instant.parse("2026-01-01T00:00:00Z"),
                    (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference store, remembering which ids were looked up. */
    private static final class CountingStore implements PersonStore {
        final InMemoryPersonStore inner = new InMemoryPersonStore();
        final List<String> askedMappings = new ArrayList<>();
        final List<String> askedMarks = new ArrayList<>();

        @Override
        public Map<String, DistinctIdMapping> mappings(long projectId, Collection<String> distinctIds) {
            askedMappings.addAll(distinctIds);
            return inner.mappings(projectId, distinctIds);
        }

        @Override
        public Map<UUID, Person> persons(long projectId, Collection<UUID> uuids) {
            return inner.persons(projectId, uuids);
        }

        @Override
        public List<DistinctIdMapping> mappingsOf(long projectId, UUID personUuid) {
            return inner.mappingsOf(projectId, personUuid);
        }

        @Override
        public Set<String> personlessMarked(long projectId, Collection<String> distinctIds) {
            askedMarks.addAll(distinctIds);
            return inner.personlessMarked(projectId, distinctIds);
        }

        @Override
        public void eachKnownDistinctId(long projectId, Consumer<String> each) {
            inner.eachKnownDistinctId(projectId, each);
        }

        @Override
        public List<GroupType> groupTypes(long projectId) {
            return inner.groupTypes(projectId);
        }

        @Override
        public Map<Group.Key, Group> groups(long projectId, Collection<Group.Key> keys) {
            return inner.groups(projectId, keys);
        }

        @Override
        public void write(PersonChanges changes) {
            inner.write(changes);
        }
    }
}
