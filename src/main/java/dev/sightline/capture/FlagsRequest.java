package dev.sightline.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The body of {@code POST /flags} and {@code /decide}, read the way capture reads an event: the
 * same encodings (gzip by header, hint or magic bytes, base64, form {@code data=}), the same
 * limits, and a {@link CaptureError} naming the problem. Fields as PostHog's flags service takes
 * them: {@code token} (or {@code $token}, {@code api_key}) and {@code distinct_id} (or
 * {@code $distinct_id}), a string or a number.
 *
 * @param distinctId empty when the request sent an empty string, which PostHog allows
 */
public record FlagsRequest(String token, String distinctId) {
    /** Flags requests are small: the single-event limit is ample. */
    public static final int BODY_LIMIT = CaptureDecoder.EVENT_BODY_LIMIT;

    private static final PayloadDecoder PAYLOAD = new PayloadDecoder(BODY_LIMIT);
    private static final EventParser JSON = new EventParser();

    public static FlagsRequest decode(CaptureRequest request) {
        if (request.body().length > BODY_LIMIT) {
            throw CaptureError.tooBig("request body is larger than " + BODY_LIMIT + " bytes");
        }
        JsonNode root = JSON.readTree(new String(PAYLOAD.decodeBytes(request), StandardCharsets.UTF_8));
        if (!(root instanceof ObjectNode body)) {
            throw CaptureError.invalid("invalid_payload", "the flags request must be a JSON object");
        }
        String token = EventParser.eventToken(body).orElse(null);
        EventParser.checkToken(token);
        JsonNode id = body.get("distinct_id");
        if (id == null || id.isNull()) id = body.get("$distinct_id");
        if (id == null || id.isNull()) {
            throw CaptureError.invalid("missing_distinct_id", "the flags request has no distinct_id", "distinct_id");
        }
        if (!id.isTextual() && !id.isNumber()) {
            throw CaptureError.invalid("invalid_distinct_id", "distinct_id must be a string or a number", "distinct_id");
        }
        String text = id.isTextual() ? id.asText() : id.toString();
        return new FlagsRequest(token, text.isEmpty() ? "" : EventParser.cleanDistinctId(text));
    }
}
