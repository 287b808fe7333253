package dev.sightline.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One normalized event as capture hands it on: top-level {@code $set} / {@code $set_once} are
 * already merged into {@code properties.$set} / {@code properties.$set_once}. The processor never
 * changes {@code properties}; the event's stored properties come back in its {@link EventStamp}.
 */
public record IdentityEvent(long projectId, UUID uuid, String event, String distinctId, Instant timestamp,
                            ObjectNode properties) {

    public IdentityEvent {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(distinctId, "distinctId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(properties, "properties");
    }
}
