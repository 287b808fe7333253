package dev.sightline.robust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import dev.sightline.testing.Lz64;

/**
 * What the robustness tests need to talk to a server over real HTTP: raw requests with any body,
 * content type and encoding; event and batch builders in posthog-node's shape; the encodings the
 * SDKs use (gzip, base64 form, lz64); and reading events back through the events API.
 */
final class Wire {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CAPTURE_PATHS = List.of(
            "/e", "/e/", "/i/v0/e", "/i/v0/e/", "/capture", "/capture/", "/track", "/track/",
            "/engage", "/engage/", "/batch", "/batch/");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;
    private final String personalKey;

    Wire(String baseUrl, String personalKey) {
        this.baseUrl = baseUrl;
        this.personalKey = personalKey;
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON (status " + status + "): " + abbreviate(body), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + abbreviate(body);
        }
    }

    /** One request; {@code contentType} and {@code contentEncoding} may be null to leave the header out. */
    Response send(String method, String pathAndQuery, String contentType, String contentEncoding, byte[] body)
            throws IOException, InterruptedException {
        return send(http, method, pathAndQuery, contentType, contentEncoding, body);
    }

    /** Like {@link #send} but on a connection of its own, closed afterwards. */
    Response sendAlone(String method, String pathAndQuery, String contentType, String contentEncoding, byte[] body)
            throws IOException, InterruptedException {
        try (HttpClient alone = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            return send(alone, method, pathAndQuery, contentType, contentEncoding, body);
        }
    }

    private Response send(HttpClient http, String method, String pathAndQuery, String contentType,
                          String contentEncoding, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(60));
        if (contentType != null) request.header("Content-Type", contentType);
        if (contentEncoding != null) request.header("Content-Encoding", contentEncoding);
        HttpRequest.BodyPublisher publisher = body == null || body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        request.method(method, publisher);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    Response post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send("POST", path, contentType, null, body);
    }

    Response postJson(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, "application/json", bytes(body));
    }

    /** posthog-node's request: gzip JSON batch envelope on {@code /batch/}. */
    Response postBatchGzip(JsonNode envelope) throws IOException, InterruptedException {
        return send("POST", "/batch/", "application/json", "gzip", gzip(bytes(envelope)));
    }

    Response get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    // ---- events API ------------------------------------------------------------------------------

    /** Every stored event uuid of {@code distinctId} with how often it is stored, paging through {@code next}. */
    Map<String, Integer> storedUuidCounts(String distinctId) throws IOException, InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        String next = baseUrl + "/api/projects/1/events/?distinct_id=" + urlEncode(distinctId) + "&limit=1000";
        int pages = 0;
        while (next != null && !next.isEmpty()) {
            if (++pages > 10_000) throw new AssertionError("events API pagination does not end: " + next);
            URI uri = next.startsWith("http") ? URI.create(next) : URI.create(baseUrl + next);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + personalKey).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("events API " + uri + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()));
            }
            JsonNode page = JSON.readTree(response.body());
            for (JsonNode event : page.path("results")) {
                counts.merge(event.path("uuid").asText(), 1, Integer::sum);
            }
            JsonNode nextNode = page.path("next");
            next = nextNode.isTextual() ? nextNode.asText() : null;
        }
        return counts;
    }

    // ---- payloads --------------------------------------------------------------------------------

    /** An event as posthog-node sends it. */
    static ObjectNode event(UUID uuid, String distinctId, String name) {
        ObjectNode event = JSON.createObjectNode();
        event.put("event", name);
        event.put("distinct_id", distinctId);
        ObjectNode props = event.putObject("properties");
        props.put("$lib", "posthog-node");
        props.put("$lib_version", "5.70.0");
        props.put("$geoip_disable", true);
        props.put("$is_server", true);
        props.put("$current_url", "https://example.com/pricing?utm_source=newsletter");
        props.put("plan", "team");
        event.put("timestamp", Instant.now().toString());
        event.put("uuid", uuid.toString());
        return event;
    }

    static ObjectNode batch(String token, List<? extends JsonNode> events) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("api_key", token);
        ArrayNode batch = envelope.putArray("batch");
        events.forEach(batch::add);
        envelope.put("sent_at", Instant.now().toString());
        return envelope;
    }

    static ObjectNode batch(String token, JsonNode... events) {
        return batch(token, List.of(events));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /** {@code data=<url-encoded value>} as a browser's form post carries it. */
    static byte[] form(String data, String compression) {
        String body = "data=" + urlEncode(data);
        if (compression != null) body += "&compression=" + compression;
        return utf8(body);
    }

    static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }

    /** lz-string's {@code compressToBase64}, which old posthog-js releases sent as {@code compression=lz64}. */
    static String lz64(String input) {
        return Lz64.compress(input);
    }

    static List<UUID> uuids(int n) {
        List<UUID> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(UUID.randomUUID());
        return list;
    }
}
