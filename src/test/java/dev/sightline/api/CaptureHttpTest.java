package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Capture over real HTTP into a real DuckDB file, read back through the events API. */
class CaptureHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    String event(UUID uuid, String distinctId) {
        return "{\"event\":\"http test\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + uuid
                + "\",\"properties\":{\"path\":\"x\"},\"api_key\":\"" + server.token() + "\"}";
    }

    JsonNode stored(UUID uuid) {
        HttpResponse<String> r = server.get("/api/projects/" + server.projectId() + "/events/" + uuid + "/");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/e", "/e/", "/i/v0/e", "/i/v0/e/", "/capture", "/capture/", "/track", "/track/", "/engage", "/engage/", "/batch", "/batch/"})
    void everyCapturePathStoresAndAnswersStatus1(String path) throws Exception {
        UUID uuid = UUID.randomUUID();
        HttpResponse<String> r = server.post(path, "application/json", event(uuid, "paths").getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("status").asInt()).isEqualTo(1);
        assertThat(stored(uuid).get("event").asText()).isEqualTo("http test");
    }

    @Test
    void getWithDataParameterAndBeaconAnswers204() {
        UUID uuid = UUID.randomUUID();
        String data = Base64.getEncoder().encodeToString(event(uuid, "get").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = server.get("/e/?beacon=1&data=" + URLEncoder.encode(data, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(stored(uuid).get("distinct_id").asText()).isEqualTo("get");
    }

    @Test
    void corsPreflightMirrorsOriginAndHeaders() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/e/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-custom").build());
        assertThat(r.statusCode()).isBetween(200, 204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type,x-custom");
    }

    @Test
    void aRetryWithTheSameUuidIsStoredOnceEvenAfterARestart() {
        UUID uuid = UUID.randomUUID();
        String distinctId = "retry-" + uuid;
        byte[] body = event(uuid, distinctId).getBytes(StandardCharsets.UTF_8);
        assertThat(server.post("/e/", "application/json", body).statusCode()).isEqualTo(200);
        assertThat(server.post("/e/", "application/json", body).statusCode()).isEqualTo(200);
        server.restart();
        assertThat(server.post("/batch/", "application/json", body).statusCode()).isEqualTo(200);
        JsonNode page = server.getJson("/api/projects/" + server.projectId() + "/events/?distinct_id=" + distinctId);
        assertThat(page.get("results")).hasSize(1);
    }

    @Test
    void errorsAreJsonAndNameTheProblem() throws Exception {
        HttpResponse<String> noToken = server.post("/e/", "application/json",
                "{\"event\":\"e\",\"distinct_id\":\"d\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(noToken.statusCode()).isEqualTo(401);
        JsonNode body = JSON.readTree(noToken.body());
        assertThat(body.get("type").asText()).isEqualTo("authentication_error");
        assertThat(body.get("code").asText()).isEqualTo("missing_token");
        assertThat(body.get("detail").asText()).contains("token");

        HttpResponse<String> unknown = server.post("/e/", "application/json",
                "{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"phc_nobody\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unknown.body()).get("code").asText()).isEqualTo("invalid_token");

        HttpResponse<String> tooBig = server.post("/e/", "application/json", new byte[3 * 1024 * 1024]);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooBig.body()).get("code").asText()).isEqualTo("payload_too_large");

        HttpResponse<String> longUri = server.get("/e/?data=" + "A".repeat(64 * 1024));
        assertThat(longUri.statusCode()).isEqualTo(414);
        assertThat(JSON.readTree(longUri.body()).get("code").asText()).isEqualTo("http_414");

        HttpResponse<String> noRoute = server.get("/no/such/route");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noRoute.body()).get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void sdkBootstrapEndpointsAdvertiseGzip() throws Exception {
        JsonNode flags = JSON.readTree(server.post("/flags/?v=2", "application/json",
                ("{\"token\":\"" + server.token() + "\",\"distinct_id\":\"d\"}").getBytes(StandardCharsets.UTF_8)).body());
        assertThat(flags.get("flags").isObject()).isTrue();
        assertThat(flags.get("featureFlags")).isEmpty();
        JsonNode config = server.getJson("/array/" + server.token() + "/config");
        assertThat(config.get("supportedCompression").toString()).contains("gzip");
        HttpResponse<String> js = server.get("/array/" + server.token() + "/config.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.body()).contains("_POSTHOG_REMOTE_CONFIG").contains(server.token());
        assertThat(server.get("/array/phc_unknown/config").statusCode()).isEqualTo(404);
    }

    @Test
    void healthReadinessAndMetrics() {
        assertThat(server.get("/_health").statusCode()).isEqualTo(200);
        assertThat(server.get("/_readiness").statusCode()).isEqualTo(200);
        server.post("/e/", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("sightline_events_received_total", "sightline_capture_rejected_total",
                "sightline_commit_latency_seconds", "sightline_ingest_queue_events");
    }

    @Test
    void storedEventsKeepTimestampsAndPropertiesIntact() throws Exception {
        UUID uuid = UUID.randomUUID();
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"purchase\",\"distinct_id\":\"buyer\","
                + "\"uuid\":\"" + uuid + "\",\"timestamp\":\"2026-01-02T03:04:05.678Z\","
                + "\"properties\":{\"price\":12.5,\"tags\":[\"a\",\"b\"],\"nested\":{\"quote\":\"it's \\\"x\\\"\"},\"emoji\":\"🎉\"}}]}";
        assertThat(server.post("/batch", "application/json", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        JsonNode e = stored(uuid);
        assertThat(e.get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(e.at("/properties/price").asDouble()).isEqualTo(12.5);
        assertThat(e.at("/properties/tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(e.at("/properties/nested/quote").asText()).isEqualTo("it's \"x\"");
        assertThat(e.at("/properties/emoji").asText()).isEqualTo("🎉");
        assertThat(List.of(e.get("id").asText(), e.get("uuid").asText())).containsOnly(uuid.toString());
    }
    /** The rules of docs/configuration.md "Input fidelity", end to end (every encoding: capture/InputFidelityTest). */
    @Test
    void oddInputIsStoredOrRefusedByOneRule() throws Exception {
        UUID uuid = UUID.randomUUID();
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"odd\",\"distinct_id\":\"odd\","
                + "\"uuid\":\"" + uuid + "\",\"timestamp\":\"-000001-01-01T00:00:00Z\","
                + "\"properties\":{\"lone\":\"\\ud800\",\"key\\udc00\":1,\"tiny\":1e-400}}]}";
        java.time.Instant before = java.time.Instant.now();
        assertThat(server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        JsonNode e = stored(uuid);
        assertThat(e.at("/properties/lone").asText()).isEqualTo("\uFFFD");
        assertThat(e.at("/properties/key\uFFFD").asInt()).isEqualTo(1);
        assertThat(e.at("/properties/tiny").asDouble()).isZero();
        assertThat(java.time.Instant.parse(e.get("timestamp").asText())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(server.get("/metrics").body()).contains("type=\"ignored_invalid_timestamp\"");

        HttpResponse<String> huge = server.post("/batch/", "application/json", body.replace("1e-400", "1e400")
                .replace(uuid.toString(), UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8));
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(huge.body()).get("code").asText()).isEqualTo("invalid_json");

        HttpResponse<String> badForm = server.post("/e/", "application/x-www-form-urlencoded",
                ("data=" + URLEncoder.encode(event(UUID.randomUUID(), "form"), StandardCharsets.UTF_8).replace("form", "f%FFrm"))
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(badForm.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badForm.body()).get("code").asText()).isEqualTo("invalid_utf8");
    }
}
