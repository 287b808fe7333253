package dev.sightline.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the three body shapes PostHog accepts (an array of events, a batch envelope, one event)
 * and applies its field rules: where the token and distinct_id may live, stringification and the
 * 200-character cap of distinct ids, required event names, optional uuids, clock-skew correction.
 */
final class EventParser {
    static final int MAX_NESTING = 200;
    private static final int MAX_DISTINCT_ID = 200;

    private final ObjectMapper json;

    EventParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                .build();
        this.json = new ObjectMapper(factory).setNodeFactory(FINITE_NUMBERS);
    }

    /**
     * A number beyond a double ({@code 1e400}) is refused, as PostHog's capture refuses it ("number
     * out of range"); read as a double it would be stored as the text "Infinity". One too small for a
     * double ({@code 1e-400}) reads as 0, there as here.
     */
    private static final JsonNodeFactory FINITE_NUMBERS = new JsonNodeFactory() {
        @Override
        public NumericNode numberNode(double v) {
            if (Double.isInfinite(v)) throw outOfRange();
            return super.numberNode(v);
        }

        @Override
        public ValueNode numberNode(java.math.BigInteger v) {
            if (v != null && Double.isInfinite(v.doubleValue())) throw outOfRange();
            return super.numberNode(v);
        }

        private static CaptureError outOfRange() {
            return CaptureError.invalid("invalid_json", "payload is not valid JSON: a number is out of range");
        }
    };

    /** Whether the streaming parser's current number token is one {@link #FINITE_NUMBERS} refuses. */
    static boolean outOfRange(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        return switch (p.currentToken()) {
            // only an exponent or hundreds of digits can pass Double.MAX_VALUE: most numbers are not parsed here
            case VALUE_NUMBER_FLOAT -> (p.getTextLength() > 300 || hasExponent(p)) && Double.isInfinite(p.getDoubleValue());
            case VALUE_NUMBER_INT -> p.getTextLength() > 300 && Double.isInfinite(p.getBigIntegerValue().doubleValue());
            default -> false;
        };
    }

    private static boolean hasExponent(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        char[] text = p.getTextCharacters();
        for (int i = p.getTextOffset(), end = i + p.getTextLength(); i < end; i++) {
            if ((text[i] | 0x20) == 'e') return true;
        }
        return false;
    }

    /** The factory behind the trees, so a streaming pass applies the same limits. */
    JsonFactory factory() {
        return json.getFactory();
    }

    /** @param payloadBytes the UTF-8 size of {@code text}, which says whether events need measuring */
    CaptureBatch parse(String text, int payloadBytes, Optional<Instant> querySentAt, Instant now) {
        JsonNode root = readTree(text);
        List<JsonNode> rawEvents = new ArrayList<>();
        String envelopeToken = null;
        Optional<Instant> sentAt = querySentAt;
        boolean historical = false;

        if (root.isArray()) {
            root.forEach(rawEvents::add);
        } else if (root.isObject() && root.has("batch")) {
            JsonNode batch = root.get("batch");
            if (!batch.isArray()) {
                throw CaptureError.invalid("invalid_batch", "'batch' must be an array of events");
            }
            batch.forEach(rawEvents::add);
            ObjectNode envelope = (ObjectNode) root;
            envelopeToken = text(envelope, "api_key").or(() -> text(envelope, "token")).orElse(null);
            JsonNode sent = root.get("sent_at");
            if (sent != null && sent.isTextual()) {
                sentAt = EventTimestamps.parse(sent.asText()).or(() -> querySentAt);
            }
            historical = root.path("historical_migration").asBoolean(false);
        } else if (root.isObject()) {
            rawEvents.add(root);
        } else {
            throw CaptureError.invalid("invalid_payload", "payload must be an event object, an array of events or a batch");
        }
        if (rawEvents.isEmpty()) {
            throw CaptureError.invalid("empty_batch", "the request holds no events");
        }

        boolean[] tooLarge = new boolean[rawEvents.size()];
        int tooLargeCount = 0;
        if (EventLimits.mayHoldOversized(payloadBytes)) {
            for (int i = 0; i < tooLarge.length; i++) {
                tooLarge[i] = EventLimits.tooLarge(json, rawEvents.get(i));
                if (tooLarge[i]) tooLargeCount++;
            }
            if (tooLargeCount == tooLarge.length) throw EventLimits.allTooLarge(tooLargeCount);
        }

        String token = envelopeToken;
        List<CapturedEvent> events = new ArrayList<>(rawEvents.size());
        Warnings warnings = new Warnings();
        for (int i = 0; i < rawEvents.size(); i++) {
            JsonNode raw = rawEvents.get(i);
            if (tooLarge[i]) continue; // left out whole: none of its fields is looked at
            if (!raw.isObject()) {
                throw CaptureError.invalid("invalid_event", "event " + i + " is not a JSON object");
            }
            if (envelopeToken == null) {
                Optional<String> eventToken = eventToken((ObjectNode) raw);
                if (eventToken.isPresent()) {
                    if (token != null && !token.equals(eventToken.get())) {
                        throw CaptureError.auth("multiple_tokens", "the events of one request carry different tokens");
                    }
                    token = eventToken.get();
                }
            }
            events.add(event((ObjectNode) raw, i, sentAt, now, warnings));
        }
        checkToken(token);
        return new CaptureBatch(token, events, historical, tooLargeCount, warnings.counts());
    }

    JsonNode readTree(String text) {
        try {
            JsonNode root = json.readTree(LoneSurrogates.repairEscapes(text));
            if (root == null || root.isMissingNode()) {
                throw CaptureError.invalid("invalid_json", "payload is empty");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw CaptureError.invalid("json_too_deep", "JSON nesting deeper than " + MAX_NESTING + " levels");
        } catch (JsonProcessingException e) {
            throw CaptureError.invalid("invalid_json", "payload is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static Optional<String> eventToken(ObjectNode raw) {
        return text(raw, "token").or(() -> text(raw, "$token")).or(() -> text(raw, "api_key"))
                .or(() -> raw.path("properties").isObject() ? text((ObjectNode) raw.get("properties"), "token") : Optional.empty());
    }

    CapturedEvent event(ObjectNode raw, int i, Optional<Instant> sentAt, Instant now, Warnings warnings) {
        JsonNode name = raw.get("event");
        if (name == null || name.isNull() || (name.isTextual() && name.asText().isEmpty())) {
            throw CaptureError.invalid("missing_event_name", "event " + i + " has no event name");
        }
        if (!name.isTextual()) {
            throw CaptureError.invalid("invalid_event_name", "event " + i + ": 'event' must be a string", "event");
        }
        EventLimits.checkName(name.asText(), i);

        ObjectNode properties;
        JsonNode props = raw.get("properties");
        if (props == null || props.isNull()) {
            properties = JsonNodeFactory.instance.objectNode();
        } else if (props.isObject()) {
            properties = (ObjectNode) props;
        } else {
            throw CaptureError.invalid("invalid_properties", "event " + i + ": 'properties' must be an object");
        }

        String distinctId = distinctId(raw, properties)
                .orElseThrow(() -> CaptureError.invalid("missing_distinct_id", "event " + i + " submitted without a distinct_id"));

        UUID uuid = uuid(raw.get("uuid"), i);
        Optional<String> timestamp = raw.path("timestamp").isTextual()
                ? Optional.of(raw.get("timestamp").asText()) : Optional.empty();
        Optional<Long> offset = raw.path("offset").isNumber()
                ? Optional.of(raw.get("offset").asLong()) : Optional.empty();
        boolean ignoreSentAt = properties.path("$ignore_sent_at").asBoolean(false);
        Instant ts = EventTimestamps.resolve(timestamp, offset, ignoreSentAt ? Optional.empty() : sentAt, now, warnings);

        foldPersonUpdates(raw, properties, "$set", i);
        foldPersonUpdates(raw, properties, "$set_once", i);
        sentAt.ifPresent(s -> properties.put("$sent_at", s.toString()));
        return new CapturedEvent(uuid, name.asText(), distinctId, ts, properties);
    }

    /** Top-level $set / $set_once go into the properties' copies; on a shared key the top level wins. */
    private static void foldPersonUpdates(ObjectNode raw, ObjectNode properties, String key, int i) {
        JsonNode top = raw.get(key);
        if (top == null || top.isNull()) return;
        if (!top.isObject()) {
            throw CaptureError.invalid("invalid_" + key.substring(1), "event " + i + ": '" + key + "' must be an object");
        }
        JsonNode inner = properties.get(key);
        if (inner instanceof ObjectNode innerObject) {
            innerObject.setAll((ObjectNode) top);
        } else {
            properties.set(key, top);
        }
    }

    private static Optional<String> distinctId(ObjectNode raw, ObjectNode properties) {
        JsonNode id = raw.get("distinct_id");
        if (id == null || id.isNull()) id = raw.get("$distinct_id");
        if (id == null || id.isNull()) id = properties.get("distinct_id");
        if (id == null || id.isNull()) return Optional.empty();
        String text = id.isTextual() ? id.asText() : id.toString();
        if (text.isEmpty()) return Optional.empty();
        return Optional.of(cleanDistinctId(text));
    }

    /** NUL characters replaced, capped at 200 code points: a non-empty distinct id as it is stored. */
    static String cleanDistinctId(String text) {
        if (text.indexOf('\u0000') >= 0) text = text.replace('\u0000', '\uFFFD');
        if (text.length() > MAX_DISTINCT_ID && text.codePointCount(0, text.length()) > MAX_DISTINCT_ID) {
            text = text.substring(0, text.offsetByCodePoints(0, MAX_DISTINCT_ID));
        }
        return text;
    }

    /** The ingestion warnings of one request's events, counted by type. */
    static final class Warnings implements java.util.function.Consumer<String> {
        private java.util.Map<String, Integer> counts = java.util.Map.of();

        @Override
        public void accept(String type) {
            if (counts.isEmpty()) counts = new java.util.TreeMap<>();
            counts.merge(type, 1, Integer::sum);
        }

        java.util.Map<String, Integer> counts() {
            return counts;
        }
    }

    /** Top-level token of the request, checked the same way whichever parser read it. */
    static void checkToken(String token) {
        if (token == null) {
            throw CaptureError.auth("missing_token", "no project token (api_key or token) in the request");
        }
        if (token.isBlank()) {
            throw CaptureError.auth("invalid_token", "the project token is empty");
        }
        if (token.startsWith("phx_")) {
            throw CaptureError.auth("personal_api_key_used_as_token",
                    "a personal API key (phx_...) cannot be used to capture: use the project token (phc_...)");
        }
    }

    private static UUID uuid(JsonNode node, int i) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return Uuids.v7();
        }
        if (!node.isTextual()) {
            throw CaptureError.invalid("invalid_uuid", "event " + i + ": 'uuid' must be a string");
        }
        return Uuids.parse(node.asText())
                .orElseThrow(() -> CaptureError.invalid("invalid_uuid", "event " + i + ": 'uuid' is not a valid UUID"));
    }

    private static Optional<String> text(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

}
