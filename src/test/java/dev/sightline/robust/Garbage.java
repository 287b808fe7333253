package dev.sightline.robust;

import static dev.sightline.robust.Wire.JSON;
import static dev.sightline.robust.Wire.base64;
import static dev.sightline.robust.Wire.bytes;
import static dev.sightline.robust.Wire.gzip;
import static dev.sightline.robust.Wire.lz64;
import static dev.sightline.robust.Wire.urlEncode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded generator of capture requests that are mostly wrong: random bytes, JSON soup, valid
 * payloads with fields of the wrong shape, and encoded valid payloads that are bit-flipped,
 * truncated or spliced, sent with random content types, encodings, query strings and paths.
 * The same seed and index always give the same request.
 */
final class Garbage {

    record Request(String kind, String method, String pathAndQuery, String contentType, String contentEncoding,
                   byte[] body) {
        String describe() {
            return kind + " " + method + " " + pathAndQuery + " ct=" + contentType + " ce=" + contentEncoding
                    + " body[" + body.length + "]=" + preview(body);
        }
    }

    private static final String[] CONTENT_TYPES = {
            "application/json", "application/json; charset=utf-8", "text/plain", "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded", "application/octet-stream", "multipart/form-data; boundary=x",
            "application/xml", null};
    private static final String[] CONTENT_ENCODINGS = {null, null, null, "gzip", "deflate", "br", "identity", "x-junk"};
    private static final String[] QUERIES = {
            "", "", "", "?compression=gzip-js", "?compression=gzip", "?compression=base64", "?compression=lz64",
            "?compression=lz-string", "?compression=brotli", "?ver=1.200.0&_=1719000000000", "?beacon=1",
            "?sent_at=not-a-time", "?_=-5", "?compression=b64&beacon=1", "?ip=1"};
    private static final String[] FIELDS = {
            "event", "distinct_id", "$distinct_id", "properties", "uuid", "timestamp", "offset", "$set",
            "$set_once", "token", "api_key", "sent_at"};
    private static final String[] ENVELOPE_FIELDS = {"api_key", "token", "batch", "sent_at", "historical_migration"};

    private final String token;
    private final long seed;

    Garbage(String token, long seed) {
        this.token = token;
        this.seed = seed;
    }

    Request request(int index) {
        Random r = new Random(seed * 1_000_003L + index);
        return switch (r.nextInt(10)) {
            case 0 -> randomBytes(r);
            case 1 -> jsonSoup(r);
            case 2, 3 -> wrongShape(r);
            case 4, 5 -> bitFlips(r);
            case 6 -> truncation(r);
            case 7 -> splice(r);
            case 8 -> deepNesting(r);
            default -> randomEncodingOfRandomJson(r);
        };
    }

    // ---- kinds -----------------------------------------------------------------------------------

    private Request randomBytes(Random r) {
        byte[] body = new byte[r.nextInt(4096)];
        r.nextBytes(body);
        if (body.length >= 3 && r.nextBoolean()) {
            body[0] = 0x1f;
            body[1] = (byte) 0x8b;
            body[2] = 0x08;
        }
        return transport(r, "random_bytes", body);
    }

    private Request jsonSoup(Random r) {
        String[] tokens = {"{", "}", "[", "]", ",", ":", "\"event\"", "\"batch\"", "\"api_key\"", "\"" + token + "\"",
                "\"distinct_id\"", "\"properties\"", "1", "-0.5e99", "true", "null", "\"\\u0000\"", "\"\\ud800\"",
                "\"x\"", " ", "\"uuid\"", "NaN", "'", "\\"};
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(200);
        for (int i = 0; i < n; i++) sb.append(tokens[r.nextInt(tokens.length)]);
        return transport(r, "json_soup", sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Request wrongShape(Random r) {
        JsonNode template = validPayload(r);
        JsonNode target = template;
        if (template.has("batch") && r.nextInt(3) == 0) {
            ((ObjectNode) template).set(ENVELOPE_FIELDS[r.nextInt(ENVELOPE_FIELDS.length)], randomJson(r, 3));
        } else {
            ObjectNode event = anyEvent(target);
            String field = FIELDS[r.nextInt(FIELDS.length)];
            if (r.nextInt(4) == 0) {
                event.remove(field);
            } else {
                event.set(field, randomJson(r, 3));
            }
            if (r.nextInt(4) == 0 && event.get("properties") instanceof ObjectNode props) {
                props.set(FIELDS[r.nextInt(FIELDS.length)], randomJson(r, 3));
            }
        }
        return encodeRandomly(r, "wrong_shape", bytes(template));
    }

    private Request bitFlips(Random r) {
        Request valid = encodeInBody(r, "bit_flips", bytes(validPayload(r)));
        byte[] body = valid.body().clone();
        if (body.length > 0) {
            int flips = 1 + r.nextInt(8);
            for (int i = 0; i < flips; i++) {
                int at = r.nextInt(body.length);
                body[at] ^= (byte) (1 << r.nextInt(8));
            }
        }
        return with(valid, body);
    }

    private Request truncation(Random r) {
        Request valid = encodeInBody(r, "truncation", bytes(validPayload(r)));
        byte[] body = Arrays.copyOf(valid.body(), valid.body().length == 0 ? 0 : r.nextInt(valid.body().length));
        return with(valid, body);
    }

    private Request splice(Random r) {
        Request a = encodeInBody(r, "splice", bytes(validPayload(r)));
        Request b = encodeInBody(r, "splice", bytes(validPayload(r)));
        int cutA = r.nextInt(a.body().length + 1);
        int cutB = r.nextInt(b.body().length + 1);
        byte[] body = new byte[cutA + b.body().length - cutB];
        System.arraycopy(a.body(), 0, body, 0, cutA);
        System.arraycopy(b.body(), cutB, body, cutA, b.body().length - cutB);
        return with(a, body);
    }

    private Request deepNesting(Random r) {
        int depth = 100 + r.nextInt(5000);
        String inner = r.nextBoolean()
                ? "[".repeat(depth) + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        String body = r.nextBoolean() ? inner
                : "{\"api_key\":\"" + token + "\",\"batch\":[{\"event\":\"deep\",\"distinct_id\":\"garbage\","
                        + "\"properties\":{\"x\":" + inner + "}}]}";
        return encodeRandomly(r, "deep_nesting", body.getBytes(StandardCharsets.UTF_8));
    }

    private Request randomEncodingOfRandomJson(Random r) {
        return encodeRandomly(r, "random_json", bytes(randomJson(r, 4)));
    }

    // ---- building blocks -------------------------------------------------------------------------

    /** A payload that would be accepted: envelope, array or single event, for distinct ids "garbage-*". */
    private JsonNode validPayload(Random r) {
        int n = 1 + r.nextInt(3);
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(Wire.event(new UUID(r.nextLong(), r.nextLong()), "garbage-" + r.nextInt(50), "garbage " + r.nextInt(5)));
        }
        return switch (r.nextInt(3)) {
            case 0 -> Wire.batch(token, events);
            case 1 -> {
                ArrayNode array = JSON.createArrayNode();
                for (ObjectNode e : events) {
                    ((ObjectNode) e.get("properties")).put("token", token);
                    array.add(e);
                }
                yield array;
            }
            default -> {
                ObjectNode e = events.getFirst();
                e.put("api_key", token);
                yield e;
            }
        };
    }

    private static ObjectNode anyEvent(JsonNode payload) {
        if (payload.has("batch")) return (ObjectNode) payload.get("batch").get(0);
        if (payload.isArray()) return (ObjectNode) payload.get(0);
        return (ObjectNode) payload;
    }

    private static JsonNode randomJson(Random r, int depth) {
        int kind = depth <= 0 ? r.nextInt(6) : r.nextInt(8);
        return switch (kind) {
            case 0 -> JSON.getNodeFactory().nullNode();
            case 1 -> JSON.getNodeFactory().booleanNode(r.nextBoolean());
            case 2 -> JSON.getNodeFactory().numberNode(r.nextInt());
            case 3 -> JSON.getNodeFactory().numberNode(r.nextDouble() * 1e300);
            case 4 -> JSON.getNodeFactory().textNode(randomString(r));
            case 5 -> JSON.getNodeFactory().textNode("");
            case 6 -> {
                ArrayNode a = JSON.createArrayNode();
                for (int i = r.nextInt(4); i > 0; i--) a.add(randomJson(r, depth - 1));
                yield a;
            }
            default -> {
                ObjectNode o = JSON.createObjectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(r.nextBoolean() ? FIELDS[r.nextInt(FIELDS.length)] : randomString(r), randomJson(r, depth - 1));
                }
                yield o;
            }
        };
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(20); i > 0; i--) {
            int kind = r.nextInt(10);
            sb.appendCodePoint(kind < 6 ? 'a' + r.nextInt(26) : kind < 8 ? r.nextInt(0x80) : kind < 9
                    ? 0x80 + r.nextInt(0x700) : 0x1F600 + r.nextInt(0x50));
        }
        return sb.toString();
    }

    /** The JSON bytes in one of the encodings the SDKs use (or a mislabelled one). */
    private Request encodeRandomly(Random r, String kind, byte[] json) {
        return encodeRandomly(r, kind, json, 8);
    }

    /** For mutations, which change the body: only the encodings that carry the payload in the body. */
    private Request encodeInBody(Random r, String kind, byte[] json) {
        return encodeRandomly(r, kind, json, 7);
    }

    private Request encodeRandomly(Random r, String kind, byte[] json, int choices) {
        String path = path(r);
        return switch (r.nextInt(choices)) {
            case 0 -> new Request(kind, "POST", path, "application/json", null, json);
            case 1 -> new Request(kind, "POST", path, "application/json", "gzip", gzip(json));
            case 2 -> new Request(kind, "POST", path + "?compression=gzip-js", "text/plain", null, gzip(json));
            case 3 -> new Request(kind, "POST", path, "text/plain", null, gzip(json));
            case 4 -> new Request(kind, "POST", path + "?compression=base64", "application/x-www-form-urlencoded",
                    null, Wire.form(base64(json), null));
            case 5 -> new Request(kind, "POST", path, "application/x-www-form-urlencoded", null,
                    Wire.form(lz64(new String(json, StandardCharsets.UTF_8)), "lz64"));
            case 6 -> new Request(kind, "POST", path, "text/plain", null,
                    base64(json).getBytes(StandardCharsets.US_ASCII));
            default -> transport(r, kind, json);
        };
    }

    /** Random method, path, query, content type and encoding around {@code body}. */
    private Request transport(Random r, String kind, byte[] body) {
        String path = path(r) + QUERIES[r.nextInt(QUERIES.length)];
        if (r.nextInt(8) == 0) {
            String data = new String(body, StandardCharsets.ISO_8859_1);
            String sep = path.contains("?") ? "&" : "?";
            return new Request(kind, "GET", path + sep + "data=" + urlEncode(data), null, null, new byte[0]);
        }
        return new Request(kind, r.nextInt(10) == 0 ? "GET" : "POST", path,
                CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)], CONTENT_ENCODINGS[r.nextInt(CONTENT_ENCODINGS.length)], body);
    }

    private static String path(Random r) {
        return Wire.CAPTURE_PATHS.get(r.nextInt(Wire.CAPTURE_PATHS.size()));
    }

    /** The same request with a mutated body. */
    private static Request with(Request original, byte[] body) {
        return new Request(original.kind(), original.method(), original.pathAndQuery(), original.contentType(),
                original.contentEncoding(), body);
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 120), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
