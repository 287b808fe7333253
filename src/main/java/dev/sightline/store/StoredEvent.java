package dev.sightline.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** An event read back from the store. */
public record StoredEvent(
        UUID uuid,
        String event,
        String distinctId,
        Instant timestamp,
        Instant capturedAt,
        String properties,
        Optional<UUID> personId,
        String personProperties) {}
