package dev.sightline.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * An event's properties as capture hands them on: a tree that the pipeline's stages read and
 * change, or, when no stage reads them (plain capture), the JSON text as the client sent it, so
 * that it is stored without being parsed into a tree and written out again.
 */
public sealed interface EventProperties {
    /** The properties as a tree; text is parsed here, on the caller's thread. */
    ObjectNode tree();

    /** The properties as JSON object text, the form they are stored in. */
    String json();

    /** {@code $session_id} when it is a non-empty string. */
    Optional<String> sessionId();

    /** {@code $lib}, the sending SDK's name, when it is a string. */
    Optional<String> lib();

    record Tree(ObjectNode node) implements EventProperties {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public ObjectNode tree() {
            return node;
        }

        @Override
        public String json() {
            try {
                return JSON.writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("properties cannot be written as JSON", e);
            }
        }

        @Override
        public Optional<String> sessionId() {
            JsonNode id = node.get("$session_id");
            return id != null && id.isTextual() && !id.asText().isEmpty() ? Optional.of(id.asText()) : Optional.empty();
        }

        @Override
        public Optional<String> lib() {
            JsonNode lib = node.get("$lib");
            return lib != null && lib.isTextual() ? Optional.of(lib.textValue()) : Optional.empty();
        }
    }

    /**
     * Text that capture has already checked to be one JSON object; {@code sessionId}, {@code lib} and
     * the values of the {@link dev.sightline.store.EnrichmentColumns}, all text, were read from it then.
     */
    record Text(String json, Optional<String> sessionId, java.util.List<String> enrichment, Optional<String> lib) implements EventProperties {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public ObjectNode tree() {
            try {
                return (ObjectNode) JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("properties accepted by capture are not JSON", e);
            }
        }
    }
}
