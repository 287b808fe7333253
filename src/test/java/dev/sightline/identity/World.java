package dev.sightline.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project with a person store and a processor, driven by events written as short JSON, so the
 * scenarios read like the spec. Each {@link #send} is its own committed batch.
 */
final class World {
    static final long PROJECT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    final InMemoryPersonStore store = new InMemoryPersonStore();
    final PersonProcessor processor = new PersonProcessor(store);
    private Instant clock = Instant.parse("2026-03-01T10:00:00Z");
    private long eventCounter;
    private EventOutcome last;

    /** Properties in JSON with single quotes for readability: {@code "{'$set': {'a': 1}}"}. */
    static ObjectNode props(String json) {
        try {
            return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    IdentityEvent event(String distinctId, String name, String json) {
        return new IdentityEvent(PROJECT, new UUID(0, ++eventCounter), name, distinctId, clock, props(json));
    }

    EventOutcome send(String distinctId, String name, String json) {
        return send(distinctId, name, props(json));
    }

    EventOutcome send(String distinctId, String name, ObjectNode properties) {
        IdentityEvent event = new IdentityEvent(PROJECT, new UUID(0, ++eventCounter), name, distinctId, clock, properties);
        return sendBatch(List.of(event)).getFirst();
    }

    EventOutcome send(String distinctId, String name) {
        return send(distinctId, name, "{}");
    }

    List<EventOutcome> sendBatch(List<IdentityEvent> events) {
        BatchOutcome outcome = processor.process(events);
        store.write(outcome.changes());
        processor.committed(outcome.changes());
        last = outcome.events().getLast();
        return outcome.events();
    }

    SplitOutcome split(String personOf, List<List<String>> groups) {
        SplitOutcome outcome = processor.split(PROJECT, person(personOf).uuid(), groups, clock);
        if (outcome instanceof SplitOutcome.Split split) {
            store.write(split.changes());
            processor.committed(split.changes());
        }
        return outcome;
    }

    World later(Duration duration) {
        clock = clock.plus(duration);
        return this;
    }

    Instant now() {
        return clock;
    }

    Person person(String distinctId) {
        return store.personOf(PROJECT, distinctId)
                .orElseThrow(() -> new AssertionError("no person for " + distinctId));
    }

    boolean hasPerson(String distinctId) {
        return store.personOf(PROJECT, distinctId).isPresent();
    }

    boolean samePerson(String a, String b) {
        return person(a).uuid().equals(person(b).uuid());
    }

    DistinctIdMapping mapping(String distinctId) {
        return store.mappingOf(PROJECT, distinctId).orElseThrow(() -> new AssertionError("no mapping " + distinctId));
    }

    /** The person property as compact JSON text, or "absent". */
    String prop(String distinctId, String key) {
        return person(distinctId).properties().get(key).map(Object::toString).orElse("absent");
    }

    EventStamp stamp() {
        assertThat(last).isInstanceOf(EventOutcome.Stamped.class);
        return ((EventOutcome.Stamped) last).stamp();
    }

    EventOutcome last() {
        return last;
    }

    List<String> warnings() {
        List<String> types = new ArrayList<>();
        last.warnings().forEach(w -> types.add(w.type()));
        return types;
    }

    static UUID uuidOf(long project, String distinctId) {
        return PersonUuids.forDistinctId(project, distinctId);
    }
}
