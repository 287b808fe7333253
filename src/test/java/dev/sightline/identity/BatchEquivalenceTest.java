package dev.sightline.identity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property of the processor: a random sequence of identify, alias, merge, $set and personless
 * events gives the same persons, mappings, merge history and event stamps whether it is processed
 * one event per batch or in batches of any size. {@link #manySequencesGiveTheSamePersonsHoweverBatched}
 * checks it over hundreds of short, varied sequences by what a user sees (which ids are one person,
 * and that person's properties), and names the seeds that differ.
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

    private static final int SEQUENCES = 1000;

    @Test
    void manySequencesGiveTheSamePersonsHoweverBatched() {
        List<Long> failingSeeds = new ArrayList<>();
        StringBuilder firstDifference = new StringBuilder();
        for (long seed = 1; seed <= SEQUENCES; seed++) {
            Random random = new Random(seed);
            List<IdentityEvent> events = RandomHistory.of(random);
            Map<Set<String>, String> oneByOne = persons(events, ignored -> 1);
            Map<Set<String>, String> cut = persons(events, remaining -> 1 + random.nextInt(remaining));
            Map<Set<String>, String> whole = persons(events, remaining -> remaining);
            if (!cut.equals(oneByOne) || !whole.equals(oneByOne)) {
                failingSeeds.add(seed);
                if (firstDifference.isEmpty()) {
                    firstDifference.append("seed ").append(seed).append(", ").append(events.size()).append(" events")
                            .append("\n  one by one:     ").append(oneByOne)
                            .append("\n  random batches: ").append(cut)
                            .append("\n  one batch:      ").append(whole);
                }
            }
        }
        assertThat(failingSeeds).as("seeds whose persons depend on batching (replay one with RandomHistory.of(new Random(seed)));"
                + " the first:%n%s", firstDifference).isEmpty();
    }

    /** The persons as a user sees them: each person's distinct ids → its properties and identified flag. */
    private static Map<Set<String>, String> persons(List<IdentityEvent> events,
                                                    IntUnaryOperator nextBatchSize) {
        InMemoryPersonStore store = new InMemoryPersonStore();
        PersonProcessor processor = new PersonProcessor(store, 4 + events.size() % 29);
        for (int next = 0; next < events.size(); ) {
            int size = nextBatchSize.applyAsInt(events.size() - next);
            BatchOutcome outcome = processor.process(events.subList(next, next + size));
            store.write(outcome.changes());
            processor.committed(outcome.changes());
            next += size;
        }
        Map<Set<String>, String> persons = new TreeMap<>(Comparator.comparing(Set::toString));
        for (long project : List.of(1L, 2L)) {
            persons.putAll(persons(store, project));
        }
        return persons;
    }

    private static Map<Set<String>, String> persons(InMemoryPersonStore store, long project) {
        Map<UUID, Set<String>> idsByPerson = store.mappings(project).stream().collect(Collectors.groupingBy(
                DistinctIdMapping::personUuid, Collectors.mapping(DistinctIdMapping::distinctId,
                        Collectors.toCollection(TreeSet::new))));
        Map<Set<String>, String> persons = new TreeMap<>(Comparator.comparing(Set::toString));
        for (Person person : store.persons(project)) {
            Set<String> ids = new TreeSet<>();
            idsByPerson.getOrDefault(person.uuid(), Set.of()).forEach(id -> ids.add(project + ":" + id));
            persons.put(ids, (person.identified() ? "identified " : "anonymous ") + sorted(person.properties()));
        }
        return persons;
    }

    private static String sorted(PropertyMap properties) {
        Map<String, String> byKey = new TreeMap<>();
        properties.keys().forEach(key -> byKey.put(key, properties.get(key).orElseThrow().toString()));
        return byKey.toString();
    }

    /**
     * Short random histories over a few ids: identify, alias, merge_dangerously, personless and
     * plain events, each maybe with $set, $set_once and $unset; time mostly moves forward.
     */
    static final class RandomHistory {
        private static final List<String> ILLEGAL = List.of("null", "anonymous", "undefined");

        static List<IdentityEvent> of(Random random) {
            List<String> ids = new ArrayList<>();
            int people = 1 + random.nextInt(5);
            for (int i = 0; i < people; i++) {
                ids.add("anon-" + i);
                ids.add("user-" + i);
            }
            ids.add("1");
            if (random.nextInt(4) == 0) {
                ids.add(pick(random, ILLEGAL));
            }
            List<String> keys = List.of("plan", "email", "seats", "color", "$browser").subList(0, 2 + random.nextInt(4));
            int count = 2 + random.nextInt(random.nextBoolean() ? 20 : 80);
            List<IdentityEvent> events = new ArrayList<>();
            Instant clock = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < count; i++) {
                clock = clock.plus(Duration.ofSeconds(random.nextInt(10) == 0 ? -120 : random.nextInt(200)));
                ObjectNode properties = JsonNodeFactory.instance.objectNode();
                String name = switch (random.nextInt(9)) {
                    case 0, 1 -> {
                        properties.put("$anon_distinct_id", pick(random, ids));
                        yield "$identify";
                    }
                    case 2 -> {
                        properties.put("alias", pick(random, ids));
                        yield "$create_alias";
                    }
                    case 3 -> {
                        properties.put("alias", pick(random, ids));
                        yield "$merge_dangerously";
                    }
                    case 4 -> {
                        properties.put("$process_person_profile", false);
                        yield "$pageview";
                    }
                    case 5 -> "$set";
                    default -> "$pageview";
                };
                if (random.nextInt(3) == 0) {
                    properties.putObject("$set").put(pick(random, keys), random.nextInt(3));
                }
                if (random.nextInt(3) == 0) {
                    properties.putObject("$set_once").put(pick(random, keys), "once-" + i);
                }
                if (random.nextInt(4) == 0) {
                    properties.putArray("$unset").add(pick(random, keys));
                }
                if (random.nextInt(5) == 0) {
                    properties.put("$browser", random.nextBoolean() ? "Firefox" : "Chrome");
                }
                if (random.nextInt(12) == 0) {
                    // a value that is not a plain string: JavaScript's String() decides the id
                    String key = properties.has("alias") ? "alias" : "$anon_distinct_id";
                    switch (random.nextInt(3)) {
                        case 0 -> properties.put(key, 1);
                        case 1 -> properties.putNull(key);
                        default -> properties.putObject(key);
                    }
                }
                long project = random.nextInt(5) == 0 ? 2 : 1;
                events.add(new IdentityEvent(project, new UUID(0, i + 1), name, pick(random, ids), clock, properties));
            }
            return events;
        }
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
