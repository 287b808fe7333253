package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The person property changes one event asks for, applied in PostHog's order: {@code $set_once}
 * (only keys the person lacks), then {@code $set} (overrides a same-event {@code $set_once}), then
 * {@code $unset} (only keys the person had before the event, so "set and unset" ends unset).
 */
record PropertyUpdate(ObjectNode setOnce, ObjectNode set, List<String> unset) {

    // These are processed out of order with other events, so they may not change persons at all.
    private static final Set<String> NEVER_UPDATE_PERSONS = Set.of("$exception", "$$heatmap");

    static final PropertyUpdate NONE = new PropertyUpdate(JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), List.of());

    static PropertyUpdate of(PersonEvent event) {
        if (NEVER_UPDATE_PERSONS.contains(event.name())) {
            return NONE;
        }
        ObjectNode set = event.objectProperty(PersonEvent.SET).deepCopy();
        if (event.name().equals("survey shown") && !set.has("$survey_last_seen_date")) {
            // a platform rule: showing a survey records when the person last saw one
            set.set("$survey_last_seen_date", TextNode.valueOf(event.timestamp().toString()));
        }
        return new PropertyUpdate(event.objectProperty(PersonEvent.SET_ONCE), set,
                unsetKeys(event.properties().get(PersonEvent.UNSET)));
    }

    /** Only a {@code $set}: how {@code $group_set} updates a group. */
    static PropertyUpdate setting(JsonNode set) {
        return set instanceof ObjectNode object
                ? new PropertyUpdate(NONE.setOnce(), object, List.of())
                : NONE;
    }

    /** Properties of a person created by this event. */
    PropertyMap forNewPerson(UUID creatorEvent) {
        ObjectNode properties = setOnce.deepCopy();
        properties.setAll(set.deepCopy());
        properties.put("$creator_event_uuid", creatorEvent.toString());
        return PropertyMap.owning(properties);
    }

    /** The person's properties after this event, or empty when nothing changes. */
    Optional<PropertyMap> applyTo(PropertyMap current) {
        ObjectNode before = current.view();
        ObjectNode after = null;
        for (Map.Entry<String, JsonNode> entry : setOnce.properties()) {
            if (!before.has(entry.getKey()) && (after == null || !after.has(entry.getKey()))) {
                after = after == null ? before.deepCopy() : after;
                after.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> entry : set.properties()) {
            JsonNode existing = (after == null ? before : after).get(entry.getKey());
            if (differs(existing, entry.getValue())) {
                after = after == null ? before.deepCopy() : after;
                after.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        for (String key : unset) {
            if (before.has(key)) {
                after = after == null ? before.deepCopy() : after;
                after.remove(key);
            }
        }
        return after == null ? Optional.empty() : Optional.of(PropertyMap.owning(after));
    }

    /** PostHog compares with JavaScript's {@code !==}: objects and arrays always count as changed. */
    private static boolean differs(JsonNode existing, JsonNode incoming) {
        if (existing == null || incoming.isContainerNode() || existing.isContainerNode()) {
            return true;
        }
        if (existing.isNumber() && incoming.isNumber()) {
            return existing.decimalValue().compareTo(incoming.decimalValue()) != 0;
        }
        return !existing.equals(incoming);
    }

    private static List<String> unsetKeys(JsonNode value) {
        List<String> keys = new ArrayList<>();
        if (value == null) {
            return keys;
        }
        if (value.isArray()) {
            value.forEach(element -> {
                if (element.isTextual()) {
                    keys.add(element.textValue());
                }
            });
        } else if (value.isObject()) {
            value.fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }
}
