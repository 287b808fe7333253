package dev.sightline.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the event row stores about its person (persons-on-events), decided at ingestion time.
 *
 * @param personProperties the person's properties after this event, with the event's own
 *                         {@code $set} on top; empty for personless events.
 * @param groupColumns     {@code $group_N} column values by index 0-4; empty for personless events
 * @param eventProperties  the properties to store with the event: auto person properties lifted into
 *                         {@code $set}/{@code $set_once}, person updates stripped from personless and
 *                         {@code $groupidentify} events. A fresh node the caller owns.
 * @param personIdentified whether the person was identified once this event was applied (false for
 *                         personless events): metering counts the identified events of persons not
 *                         identified yet, which posthog-js' {@code identified_only} would send anonymously
 */
public record EventStamp(UUID personId, Instant personCreatedAt, PersonSnapshot personProperties, PersonMode mode,
                         Map<Integer, String> groupColumns, ObjectNode eventProperties, boolean personIdentified) {

    public EventStamp {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(personCreatedAt, "personCreatedAt");
        Objects.requireNonNull(personProperties, "personProperties");
        Objects.requireNonNull(mode, "mode");
        groupColumns = Map.copyOf(groupColumns);
        Objects.requireNonNull(eventProperties, "eventProperties");
    }
}
