package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Set;

/**
 * Reads {@code $process_person_profile}: whether an event builds a person profile, stays personless,
 * or must be dropped. Only the boolean {@code false} turns profiles off; anything else that is not a
 * boolean is a client bug, warned about, and treated as the default (on).
 */
final class ProfileProcessing {
    static final String PROPERTY = "$process_person_profile";

    /** Events whose whole point is a person or group change; sent personless they mean nothing. */
    private static final Set<String> NEEDS_PERSON = Set.of("$identify", "$create_alias", "$merge_dangerously",
            "$groupidentify");

    enum Decision { PERSON, PERSONLESS, DROP }

    static final String DROP_REASON = "invalid_event_when_process_person_profile_is_false";

    private ProfileProcessing() {
    }

    static Decision decide(PersonEvent event) {
        JsonNode flag = event.properties().get(PROPERTY);
        boolean processPerson = true;
        if (flag != null && flag.isBoolean()) {
            processPerson = flag.booleanValue();
        } else if (flag != null) {
            event.warn("invalid_process_person_profile", Map.of(
                    "eventUuid", event.uuid().toString(),
                    "event", event.name(),
                    "distinctId", event.distinctId(),
                    "$process_person_profile", flag.toString()));
        }
        if (processPerson) {
            // the flag is an instruction to ingestion, not something to keep on the event
            event.remove(PROPERTY);
            return Decision.PERSON;
        }
        if (NEEDS_PERSON.contains(event.name())) {
            event.warn(DROP_REASON, Map.of(
                    "eventUuid", event.uuid().toString(),
                    "event", event.name(),
                    "distinctId", event.distinctId()));
            return Decision.DROP;
        }
        event.stripPersonUpdates();
        return Decision.PERSONLESS;
    }
}
