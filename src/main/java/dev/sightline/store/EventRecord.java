package dev.sightline.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One event as it is written: what capture accepted, enriched, and stamped with its person by the
 * pipeline. {@code properties} and {@code personProperties} are JSON object text; {@code groups}
 * holds the group keys of group types 0–4 by index ("" where the event has none). {@code enrichment}
 * holds the event's values of the {@link EnrichmentColumns} (by that class's rule), or is null when
 * {@code properties} holds every key and the store is to read them from it.
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
        Optional<String> sessionId,
        java.util.List<String> groups,
        Optional<String> usageClass,
        java.util.List<String> enrichment) {

    /** An event whose properties JSON holds all of its properties. */
    public EventRecord(long projectId, UUID uuid, String event, String distinctId, Instant timestamp, Instant capturedAt,
                       String properties, Optional<UUID> personId, String personProperties, Optional<String> personMode,
                       Optional<String> sessionId, java.util.List<String> groups, Optional<String> usageClass) {
        this(projectId, uuid, event, distinctId, timestamp, capturedAt, properties, personId, personProperties, personMode,
                sessionId, groups, usageClass, null);
    }

    public static final java.util.List<String> NO_GROUPS = java.util.List.of("", "", "", "", "");
}
