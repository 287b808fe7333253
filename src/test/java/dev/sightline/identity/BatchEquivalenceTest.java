package dev.sightline.identity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property of the processor: a random sequence of identify, alias, merge, $set and personless
 * events gives the same persons, mappings, merge history and event stamps whether it is processed
 * one event per batch or in batches of any size.
 */
class BatchEquivalenceTest {
    private static final List<String> IDS = List.of("a1", "a2", "a3", "a4", "u1", "u2", "u3", "null", "anonymous");
    private static final List<String> KEYS = List.of("plan", "email", "seen", "color");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
    void batchingDoesNotChangeTheOutcome(long seed) {
        List<IdentityEvent> events = randomEvents(new Random(seed), 300);

        InMemoryPersonStore oneByOne = new InMemoryPersonStore();
        List<EventOutcome> oneByOneOutcomes = run(oneByOne, events, new Random(seed), 1);
        InMemoryPersonStore batched = new InMemoryPersonStore();
        List<EventOutcome> batchedOutcomes = run(batched, events, new Random(seed), 40);

        assertThat(batched.persons(1)).isEqualTo(oneByOne.persons(1));
        assertThat(batched.mappings(1)).isEqualTo(oneByOne.mappings(1));
        assertThat(batched.merges()).isEqualTo(oneByOne.merges());
        for (String id : IDS) {
            assertThat(batched.personlessMark(1, id)).as(id).isEqualTo(oneByOne.personlessMark(1, id));
        }
        assertThat(batchedOutcomes).hasSameSizeAs(oneByOneOutcomes);
        for (int i = 0; i < events.size(); i++) {
            assertThat(batchedOutcomes.get(i)).as("event %d", i).isEqualTo(oneByOneOutcomes.get(i));
        }
        // the sequence must actually exercise merges, or this test proves little
        assertThat(oneByOne.merges()).isNotEmpty();
        assertThat(oneByOne.persons(1).size()).isGreaterThan(0);
    }

    private static List<EventOutcome> run(InMemoryPersonStore store, List<IdentityEvent> events, Random random,
                                          int maxBatch) {
        PersonProcessor processor = new PersonProcessor(store, 64);
        List<EventOutcome> outcomes = new ArrayList<>();
        int next = 0;
        while (next < events.size()) {
            int size = Math.min(events.size() - next, 1 + random.nextInt(maxBatch));
            BatchOutcome outcome = processor.process(events.subList(next, next + size));
            store.write(outcome.changes());
            processor.committed(outcome.changes());
            outcomes.addAll(outcome.events());
            next += size;
        }
        return outcomes;
    }

    private static List<IdentityEvent> randomEvents(Random random, int count) {
        List<IdentityEvent> events = new ArrayList<>();
        Instant clock = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            clock = clock.plus(Duration.ofSeconds(random.nextInt(90)));
            String distinctId = pick(random, IDS);
            ObjectNode properties = JsonNodeFactory.instance.objectNode();
            String name;
            switch (random.nextInt(7)) {
                case 0 -> {
                    name = "$identify";
                    properties.put("$anon_distinct_id", pick(random, IDS));
                }
                case 1 -> {
                    name = "$create_alias";
                    properties.put("alias", pick(random, IDS));
                }
                case 2 -> {
                    name = "$merge_dangerously";
                    properties.put("alias", pick(random, IDS));
                }
                case 3 -> {
                    name = "$pageview";
                    properties.put("$process_person_profile", false);
                }
                default -> name = "$pageview";
            }
            if (random.nextBoolean()) {
                properties.putObject("$set").put(pick(random, KEYS), random.nextInt(5));
            }
            if (random.nextInt(3) == 0) {
                properties.putObject("$set_once").put(pick(random, KEYS), "once-" + i);
            }
            if (random.nextInt(6) == 0) {
                properties.putArray("$unset").add(pick(random, KEYS));
            }
            events.add(new IdentityEvent(1, new UUID(0, i), name, distinctId, clock, properties));
        }
        return events;
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
