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
 * One event while person rules run on it: its own copy of the properties (the rules lift and strip
 * keys) and the warnings collected so far.
 */
final class PersonEvent {
    static final String SET = "$set";
    static final String SET_ONCE = "$set_once";
    static final String UNSET = "$unset";

    private final IdentityEvent source;
    private final ObjectNode properties;
    private final List<IngestionWarning> warnings = new ArrayList<>();

    PersonEvent(IdentityEvent source) {
        this.source = source;
        this.properties = source.properties().deepCopy();
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

    /** The event's properties as they will be stored; rules may change them. */
    ObjectNode properties() {
        return properties;
    }

    /** {@code $set} or {@code $set_once} as an object; a malformed (non-object) value counts as empty. */
    ObjectNode objectProperty(String key) {
        JsonNode value = properties.get(key);
        return value instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }

    /** Drops {@code $set}, {@code $set_once}, {@code $unset}: for events that must not touch a person. */
    void stripPersonUpdates() {
        properties.remove(List.of(SET, SET_ONCE, UNSET));
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
