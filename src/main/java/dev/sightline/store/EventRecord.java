package dev.sightline.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One event as it is written: what capture accepted, enriched, and stamped with its person by the
 * pipeline. {@code properties} and {@code personProperties} are JSON object text.
 */
public record EventRecord(
        long projectId,
        UUID uuid,
        String event,
        String distinctId,
        Instant timestamp,
        Instant capturedAt,
        String properties,
        Optional<UUID> personId,
        String personProperties,
        Optional<String> personMode,
        Optional<String> sessionId) {}
