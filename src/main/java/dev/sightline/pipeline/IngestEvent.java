package dev.sightline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.enrich.RequestFacts;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * An event on its way through the pipeline's stages. Mutable on purpose: each stage adds what it
 * knows (enrichment to the properties, identity the person stamp) before the event is written.
 */
public final class IngestEvent {
    private final long projectId;
    private final CapturedEvent captured;
    private final Instant capturedAt;
    private final RequestFacts request;
    private ObjectNode properties;
    private Optional<UUID> personId = Optional.empty();
    private String personProperties = "{}";
    private Optional<String> personMode = Optional.empty();
    private Optional<String> usageClass = Optional.empty();
    private Optional<String> dropReason = Optional.empty();
    private java.util.List<String> groups = dev.sightline.store.EventRecord.NO_GROUPS;

    IngestEvent(long projectId, CapturedEvent captured, Instant capturedAt, RequestFacts request) {
        this.projectId = projectId;
        this.captured = captured;
        this.capturedAt = capturedAt;
        this.request = request;
        this.properties = captured.properties();
    }

    public long projectId() { return projectId; }
    public UUID uuid() { return captured.uuid(); }
    public String event() { return captured.event(); }
    public String distinctId() { return captured.distinctId(); }
    public Instant timestamp() { return captured.timestamp(); }
    public Instant capturedAt() { return capturedAt; }
    public ObjectNode properties() { return properties; }

    /** Identity hands back the properties to store (auto person properties lifted, $set removed when personless). */
    public void replaceProperties(ObjectNode properties) {
        this.properties = properties;
    }
    public RequestFacts request() { return request; }
    public Optional<UUID> personId() { return personId; }
    public String personProperties() { return personProperties; }
    public Optional<String> personMode() { return personMode; }
    public Optional<String> usageClass() { return usageClass; }
    public Optional<String> dropReason() { return dropReason; }
    public java.util.List<String> groups() { return groups; }

    /** Group keys by group type index 0–4 ("" where none), from the event's {@code $groups}. */
    public void stampGroups(java.util.List<String> groupKeys) {
        this.groups = java.util.List.copyOf(groupKeys);
    }

    public void stampPerson(UUID personId, String personPropertiesJson, String personMode, String usageClass) {
        this.personId = Optional.of(personId);
        this.personProperties = personPropertiesJson;
        this.personMode = Optional.of(personMode);
        this.usageClass = Optional.of(usageClass);
    }

    /** The event is accepted (the client got 200) but deliberately not stored, e.g. a personless $identify. */
    public void drop(String reason) {
        this.dropReason = Optional.of(reason);
    }
}
