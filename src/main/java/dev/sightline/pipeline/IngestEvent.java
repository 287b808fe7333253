package dev.sightline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.enrich.RequestFacts;
import dev.sightline.identity.PersonSnapshot;
import dev.sightline.store.EventRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An event on its way through the pipeline. Mutable on purpose: the stages add to its properties
 * on the request's thread, then person processing stamps it on the writer thread.
 *
 * <p>Person processing leaves the stage's properties as they were and keeps its own outcome
 * apart ({@link #stampPerson}, {@link #replaceProperties}, a drop), so that a batch whose commit
 * failed can run its events through person processing again from the same start
 * ({@link #clearPersonOutcome}).
 */
public final class IngestEvent {
    private final long projectId;
    private final CapturedEvent captured;
    private final Instant capturedAt;
    private final RequestFacts request;
    private final ObjectNode properties;
    private Optional<String> stageDrop = Optional.empty();
    // person processing's outcome
    private ObjectNode stored;
    private Optional<UUID> personId;
    private PersonSnapshot personProperties;
    private Optional<String> personMode;
    private Optional<String> usageClass;
    private boolean personIdentified;
    private Optional<String> personDrop;
    private List<String> groups;

    IngestEvent(long projectId, CapturedEvent captured, Instant capturedAt, RequestFacts request) {
        this.projectId = projectId;
        this.captured = captured;
        this.capturedAt = capturedAt;
        this.request = request;
        this.properties = captured.properties();
        clearPersonOutcome();
    }

    public long projectId() { return projectId; }
    public UUID uuid() { return captured.uuid(); }
    public String event() { return captured.event(); }
    public String distinctId() { return captured.distinctId(); }
    public Instant timestamp() { return captured.timestamp(); }
    public Instant capturedAt() { return capturedAt; }
    public RequestFacts request() { return request; }

    /** The properties as the stages left them: what person processing reads. Stages change them in place. */
    public ObjectNode properties() { return properties; }

    /** The properties to store: person processing's version where it made one. */
    public ObjectNode storedProperties() { return stored; }

    public Optional<UUID> personId() { return personId; }
    /** The person properties row as JSON; written here, on whichever thread makes the row. */
    public String personProperties() { return personProperties.json(); }
    public Optional<String> personMode() { return personMode; }
    public Optional<String> usageClass() { return usageClass; }
    /** Whether the event's person was identified once the event was applied (false when personless). */
    public boolean personIdentified() { return personIdentified; }
    public List<String> groups() { return groups; }

    /** Why the event is accepted (the client got 200) but deliberately not stored, if it is. */
    public Optional<String> dropReason() {
        return stageDrop.isPresent() ? stageDrop : personDrop;
    }

    /** A stage decided not to store the event (e.g. a bot). */
    public void drop(String reason) {
        this.stageDrop = Optional.of(reason);
    }

    /** Person processing hands back the properties to store (auto person properties lifted, $set removed when personless). */
    void replaceProperties(ObjectNode properties) {
        this.stored = properties;
    }

    /** Group keys by group type index 0–4 ("" where none), from the event's {@code $groups}. */
    void stampGroups(List<String> groupKeys) {
        this.groups = List.copyOf(groupKeys);
    }

    void stampPerson(UUID personId, PersonSnapshot personProperties, String personMode, String usageClass, boolean personIdentified) {
        this.personId = Optional.of(personId);
        this.personProperties = personProperties;
        this.personMode = Optional.of(personMode);
        this.usageClass = Optional.of(usageClass);
        this.personIdentified = personIdentified;
    }

    /** Person processing's rules say the event is not stored, e.g. a personless $identify. */
    void dropByPersonRules(String reason) {
        this.personDrop = Optional.of(reason);
    }

    /** Back to what the stages left, before person processing runs (again). */
    void clearPersonOutcome() {
        stored = properties;
        personId = Optional.empty();
        personProperties = PersonSnapshot.EMPTY;
        personMode = Optional.empty();
        usageClass = Optional.empty();
        personIdentified = false;
        personDrop = Optional.empty();
        groups = EventRecord.NO_GROUPS;
    }
}
