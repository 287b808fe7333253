package dev.sightline.identity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the pipeline must drive the processor between batches and commits. */
class PersonProcessorTest {
    private final World world = new World();

    @Test
    void aNewBatchWaitsForTheLastChangesToBeCommittedOrAbandoned() {
        BatchOutcome first = world.processor.process(List.of(world.event("u", "e", "{}")));
        assertThatThrownBy(() -> world.processor.process(List.of(world.event("v", "e", "{}"))))
                .isInstanceOf(IllegalStateException.class);
        world.processor.abandoned();
        // the abandoned batch left no trace: the same event creates the person again
        BatchOutcome retry = world.processor.process(List.of(world.event("u", "e", "{}")));
        assertThat(retry.changes().personsUpserted()).hasSize(1);
        assertThatThrownBy(() -> world.processor.committed(first.changes())).isInstanceOf(IllegalStateException.class);
        world.store.write(retry.changes());
        world.processor.committed(retry.changes());
        assertThat(world.hasPerson("u")).isTrue();
    }

    @Test
    void aBatchThatChangesNothingNeedsNoCommit() {
        world.send("u", "e", "{'$set': {'a': 1}}");
        BatchOutcome unchanged = world.processor.process(List.of(world.event("u", "e", "{'$set': {'a': 1}}")));
        assertThat(unchanged.changes().isEmpty()).isTrue();
        assertThat(world.processor.process(List.of(world.event("u", "e", "{}"))).events()).hasSize(1);
    }

    @Test
    void theCallersEventPropertiesAreNeverChanged() {
        IdentityEvent event = world.event("u", "$pageview",
                "{'$browser': 'Firefox', '$process_person_profile': true, '$set': {'a': 1}}");
        String before = event.properties().toString();
        BatchOutcome outcome = world.processor.process(List.of(event));
        assertThat(event.properties().toString()).isEqualTo(before);
        EventStamp stamp = ((EventOutcome.Stamped) outcome.events().getFirst()).stamp();
        assertThat(stamp.eventProperties().get("$set_once").get("$initial_browser").textValue()).isEqualTo("Firefox");
        world.processor.committed(outcome.changes());

        // nested objects too, and when the rules strip keys of a personless event
        IdentityEvent personless = world.event("v", "$pageview",
                "{'$browser': 'Firefox', '$process_person_profile': false, '$set': {'a': 1}, '$set_once': {'b': 2}}");
        IdentityEvent known = world.event("u", "$pageview", "{'$os': 'Linux', '$set_once': {'c': 3}}");
        String personlessBefore = personless.properties().toString();
        String knownBefore = known.properties().toString();
        BatchOutcome second = world.processor.process(List.of(personless, known));
        assertThat(personless.properties().toString()).isEqualTo(personlessBefore);
        assertThat(known.properties().toString()).isEqualTo(knownBefore);
        EventStamp stripped = ((EventOutcome.Stamped) second.events().getFirst()).stamp();
        assertThat(stripped.eventProperties().has("$set")).isFalse();
        assertThat(stripped.eventProperties().has("$set_once")).isFalse();
        EventStamp lifted = ((EventOutcome.Stamped) second.events().get(1)).stamp();
        assertThat(lifted.eventProperties().get("$set_once").get("$initial_os").textValue()).isEqualTo("Linux");
        assertThat(lifted.eventProperties().get("$set_once").get("c").intValue()).isEqualTo(3);
    }

    @Test
    void changesListOverridesSeparately() {
        world.send("anon", "e");
        world.send("user", "e");
        BatchOutcome merge = world.processor.process(List.of(world.event("user", "$identify", "{'$anon_distinct_id': 'anon'}")));
        assertThat(merge.changes().overrides()).extracting(DistinctIdMapping::distinctId).containsExactly("anon");
        assertThat(merge.changes().personsDeleted()).extracting(Person::uuid)
                .containsExactly(World.uuidOf(World.PROJECT, "anon"));
        assertThat(merge.changes().merges()).hasSize(1);
    }
}
