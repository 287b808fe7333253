package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What ingestion promises for an event an SDK put on the wire: it is stored under its own uuid,
 * name and distinct id, with every property it carried, unchanged, except where PostHog's
 * ingestion changes them (posthog-semantics.md §2): top-level {@code $set} and {@code $set_once}
 * (posthog-js) end up in {@code properties}, the top-level value winning; and
 * {@code $process_person_profile: true}, an instruction to ingestion, is not kept.
 */
final class SentEvents {
    /** The server may correct client clocks by the request's sent_at; on one machine that is tiny. */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(30);

    private SentEvents() {}

    static Map<String, JsonNode> byUuid(JsonNode events) {
        Map<String, JsonNode> byUuid = new LinkedHashMap<>();
        events.forEach(e -> byUuid.put(e.get("uuid").asText(), e));
        return byUuid;
    }

    /** The distinct id an event was sent for: top level (server SDKs) or in properties (posthog-js). */
    static String distinctId(JsonNode sent) {
        JsonNode top = sent.get("distinct_id");
        return top != null && !top.isNull() ? top.asText() : sent.path("properties").path("distinct_id").asText();
    }

    static void assertStoredAsSent(JsonNode sent, JsonNode stored) {
        String what = sent.get("event").asText() + " " + sent.get("uuid").asText();
        assertThat(stored.get("uuid").asText()).as(what + ": uuid").isEqualTo(sent.get("uuid").asText());
        assertThat(stored.get("event").asText()).as(what + ": event").isEqualTo(sent.get("event").asText());
        assertThat(stored.get("distinct_id").asText()).as(what + ": distinct_id").isEqualTo(distinctId(sent));
        assertThat(differences(expectedProperties(sent), stored.get("properties"), "properties"))
                .as(what + ": properties sent but not stored as sent").isEmpty();
        if (sent.at("/properties/$process_person_profile").asBoolean(false)) {
            assertThat(stored.get("properties").has("$process_person_profile"))
                    .as(what + ": $process_person_profile=true is dropped at ingestion").isFalse();
        }
        Instant sentAt = Instant.parse(sent.get("timestamp").asText());
        Instant storedAt = Instant.parse(stored.get("timestamp").asText());
        assertThat(Duration.between(sentAt, storedAt).abs()).as(what + ": timestamp " + storedAt + " for " + sentAt)
                .isLessThanOrEqualTo(CLOCK_TOLERANCE);
    }

    private static JsonNode expectedProperties(JsonNode sent) {
        ObjectNode properties = ((ObjectNode) sent.get("properties")).deepCopy();
        if (properties.path("$process_person_profile").asBoolean(false)) properties.remove("$process_person_profile");
        for (String field : List.of("$set", "$set_once")) {
            JsonNode topLevel = sent.get(field);
            if (topLevel == null || !topLevel.isObject()) continue;
            ObjectNode merged = properties.has(field) && properties.get(field).isObject()
                    ? (ObjectNode) properties.get(field).deepCopy() : properties.objectNode();
            merged.setAll((ObjectNode) topLevel);
            properties.set(field, merged);
        }
        return properties;
    }

    /**
     * Where {@code actual} does not hold {@code expected}: every field of an expected object must be
     * present with an equal value (numbers compared by value); arrays must match element by element.
     */
    static List<String> differences(JsonNode expected, JsonNode actual, String path) {
        List<String> out = new ArrayList<>();
        collect(expected, actual, path, out);
        return out;
    }

    private static void collect(JsonNode expected, JsonNode actual, String path, List<String> out) {
        if (actual == null || actual.isMissingNode()) {
            out.add(path + ": missing, sent " + expected);
        } else if (expected.isObject()) {
            if (!actual.isObject()) {
                out.add(path + ": sent " + expected + ", stored " + actual);
                return;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                collect(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey(), out);
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                out.add(path + ": sent " + expected + ", stored " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) collect(expected.get(i), actual.get(i), path + "[" + i + "]", out);
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": sent " + expected + ", stored " + actual);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": sent " + expected + ", stored " + actual);
        }
    }
}
