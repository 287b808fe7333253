package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One event while person rules run on it: its properties as the rules change them, and the
 * warnings collected so far. The caller's properties are never changed: the first change works on
 * a copy of the top level ({@link #remove}, {@link #put}); nested objects are shared, so a rule that
 * changes one takes a copy of it first ({@link #objectProperty} then {@link #put}). Most events
 * need no change, or only a key dropped, and then cost no deep copy.
 */
final class PersonEvent {
    static final String SET = "$set";
    static final String SET_ONCE = "$set_once";
    static final String UNSET = "$unset";

    private final IdentityEvent source;
    /** The caller's properties until the first change, then this event's own top level. */
    private ObjectNode properties;
    private boolean own;
    private final List<IngestionWarning> warnings = new ArrayList<>();

    PersonEvent(IdentityEvent source) {
        this.source = source;
        this.properties = source.properties();
    }

    long projectId() {
        return source.projectId();
    }

    UUID uuid() {
        return source.uuid();
    }

    String name() {
        return source.event();
    }

    String distinctId() {
        return source.distinctId();
    }

    Instant timestamp() {
        return source.timestamp();
    }

    /** The event's properties as they will be stored. Read only: change them through {@link #remove} and {@link #put}. */
    ObjectNode properties() {
        return properties;
    }

    /**
     * {@code $set} or {@code $set_once} as an object; a malformed (non-object) value counts as empty.
     * Read only: it may be the caller's; to change it, change a copy and {@link #put} that.
     */
    ObjectNode objectProperty(String key) {
        JsonNode value = properties.get(key);
        return value instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }

    void remove(String key) {
        if (properties.has(key)) {
            ownTopLevel().remove(key);
        }
    }

    void put(String key, JsonNode value) {
        ownTopLevel().set(key, value);
    }

    /** Drops {@code $set}, {@code $set_once}, {@code $unset}: for events that must not touch a person. */
    void stripPersonUpdates() {
        remove(SET);
        remove(SET_ONCE);
        remove(UNSET);
    }

    private ObjectNode ownTopLevel() {
        if (!own) {
            properties = JsonNodeFactory.instance.objectNode().setAll(properties);
            own = true;
        }
        return properties;
    }

    void warn(String type, Map<String, String> details) {
        warnings.add(new IngestionWarning(type, details));
    }

    void warn(IngestionWarning warning) {
        warnings.add(warning);
    }

    List<IngestionWarning> warnings() {
        return warnings;
    }
}
