package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable JSON object of person or group properties.
 *
 * <p>Events carry properties as Jackson {@link ObjectNode}s, which are mutable; a person is shared by
 * many events and the cache, so it keeps its own copy that nobody outside this package can reach.
 */
public final class PropertyMap {
    private static final PropertyMap EMPTY = new PropertyMap(JsonNodeFactory.instance.objectNode());

    private final ObjectNode node; // never mutated once wrapped
    private volatile String json; // written on first use; two threads racing write the same text

    private PropertyMap(ObjectNode owned) {
        this.node = owned;
    }

    public static PropertyMap empty() {
        return EMPTY;
    }

    /** Copies {@code json} deeply, so later changes to it do not show here. */
    public static PropertyMap copyOf(ObjectNode json) {
        return json.isEmpty() ? EMPTY : new PropertyMap(json.deepCopy());
    }

    /** Wraps a node this package has just built and will not touch again. */
    static PropertyMap owning(ObjectNode built) {
        return new PropertyMap(built);
    }

    public Optional<JsonNode> get(String key) {
        JsonNode value = node.get(key);
        return value == null ? Optional.empty() : Optional.of(value.deepCopy());
    }

    public boolean has(String key) {
        return node.has(key);
    }

    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return Set.copyOf(keys);
    }

    public int size() {
        return node.size();
    }

    public boolean isEmpty() {
        return node.isEmpty();
    }

    /** A fresh, deep copy the caller may change. */
    public ObjectNode toObjectNode() {
        return node.deepCopy();
    }

    /** Read-only view for this package; callers must not mutate it. */
    ObjectNode view() {
        return node;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PropertyMap map && node.equals(map.node);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node);
    }

    /** The map as JSON text, written once: many event rows of a batch carry the same person. */
    public String json() {
        String text = json;
        if (text == null) {
            text = node.toString();
            json = text;
        }
        return text;
    }

    @Override
    public String toString() {
        return json();
    }
}
