package dev.sightline.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The person properties an event row carries (persons on events): the person's properties as the
 * event left them, with the event's own {@code $set} on top, since an event always shows what it
 * set whatever the person holds.
 *
 * <p>It refers to both parts instead of copying them: the person's {@link PropertyMap} never
 * changes, and the event's {@code $set} is not changed once the event is stamped. So the JSON is
 * written only when the row is made, which the pipeline does on every core at once, rather than
 * copied on the one thread that must run the person rules in order.
 */
public final class PersonSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What personless events carry. */
    public static final PersonSnapshot EMPTY = new PersonSnapshot(PropertyMap.empty(), JsonNodeFactory.instance.objectNode());

    private final PropertyMap person;
    private final ObjectNode set;

    PersonSnapshot(PropertyMap person, ObjectNode set) {
        this.person = Objects.requireNonNull(person, "person");
        this.set = Objects.requireNonNull(set, "set");
    }

    /** A fresh node the caller may change, with the same keys in the same order as {@link #json}. */
    public ObjectNode toObjectNode() {
        ObjectNode node = person.toObjectNode();
        node.setAll(set.deepCopy());
        return node;
    }

    /**
     * The snapshot as JSON text: the person's keys in their order (a key the event set shows the
     * event's value), then the keys only the event set.
     */
    public String json() {
        if (set.isEmpty()) {
            return person.json();
        }
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            ObjectNode base = person.view();
            for (Iterator<Map.Entry<String, JsonNode>> it = base.fields(); it.hasNext(); ) {
                var field = it.next();
                JsonNode value = set.get(field.getKey());
                g.writeFieldName(field.getKey());
                g.writeTree(value != null ? value : field.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
                var field = it.next();
                if (base.has(field.getKey())) continue;
                g.writeFieldName(field.getKey());
                g.writeTree(field.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a person snapshot", e);
        }
        return out.toString();
    }

    /** Equal when they show the same properties, as the JSON objects they stand for are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PersonSnapshot snapshot && toObjectNode().equals(snapshot.toObjectNode());
    }

    @Override
    public int hashCode() {
        return toObjectNode().hashCode();
    }

    @Override
    public String toString() {
        return json();
    }
}
