package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /flags} and {@code /decide} read their body as capture does: random bytes used to get a
 * 200 with an empty flag set, and a 5 MB body an answer before it was read. Now each is a 400 or
 * 401 naming the problem, or a 413 that the sender receives whole.
 */
class FlagsRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/flags/?v=2", "/decide/?v=3", "/flags"})
    void randomBytesAreA400NamingTheProblem(String path) throws Exception {
        byte[] garbage = new byte[4096];
        new Random(18).nextBytes(garbage);
        HttpResponse<String> r = server.post(path, "application/octet-stream", garbage);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).path("code").asText()).isIn("invalid_json", "invalid_utf8", "invalid_gzip", "invalid_payload");
    }

    @Test
    void aFiveMegabyteBodyIsRefusedWith413AfterItIsRead() throws Exception {
        byte[] big = ("{\"token\":\"" + server.token() + "\",\"distinct_id\":\"d\",\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = server.post("/flags/?v=2", "application/json", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void tokensAndDistinctIdsAreChecked() throws Exception {
        HttpResponse<String> unknown = server.post("/flags/?v=2", "application/json",
                "{\"token\":\"phc_nobody\",\"distinct_id\":\"d\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(json(unknown).path("code").asText()).isEqualTo("invalid_token");

        HttpResponse<String> noToken = server.post("/decide/?v=3", "application/json", "{\"distinct_id\":\"d\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(json(noToken).path("code").asText()).isEqualTo("missing_token");

        HttpResponse<String> noId = server.post("/flags/?v=2", "application/json",
                ("{\"token\":\"" + server.token() + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(json(noId).path("attr").asText()).isEqualTo("distinct_id");

        HttpResponse<String> array = server.post("/flags/?v=2", "application/json", "[1,2]".getBytes(StandardCharsets.UTF_8));
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(json(array).path("code").asText()).isEqualTo("invalid_payload");
    }

    @Test
    void whatTheSdksSendIsAnswered() throws Exception {
        String body = "{\"token\":\"" + server.token() + "\",\"distinct_id\":\"d\",\"groups\":{}}";
        // posthog-js: gzip as text/plain, no Content-Encoding
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> js = server.post("/flags/?v=2", "text/plain", gz.toByteArray());
        assertThat(js.statusCode()).as(js.body()).isEqualTo(200);
        assertThat(json(js).path("featureFlags").isObject()).isTrue();
        // the Java SDK: api_key; old clients: /decide with a base64 form
        HttpResponse<String> java = server.post("/decide/?v=3", "application/json",
                ("{\"api_key\":\"" + server.token() + "\",\"distinct_id\":42}").getBytes(StandardCharsets.UTF_8));
        assertThat(java.statusCode()).as(java.body()).isEqualTo(200);
        String form = "data=" + Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> old = server.post("/decide/?v=3", "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
        assertThat(old.statusCode()).as(old.body()).isEqualTo(200);
        // a GET gets the empty set, as PostHog's flags service answers it
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/flags/")).GET().build()).statusCode()).isEqualTo(200);
    }
}
