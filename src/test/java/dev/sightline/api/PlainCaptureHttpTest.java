package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain capture (no enrichment, no person processing) stores properties as the text that was
 * sent; read back through the API they must be the properties the client sent, plus {@code $sent_at}.
 */
class PlainCaptureHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withStages(false, false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aGzipBatchIsStoredWithItsPropertiesAsSentOnceEach() throws Exception {
        UUID plain = UUID.randomUUID();
        UUID withSet = UUID.randomUUID();
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":["
                + "{\"event\":\"plain\",\"distinct_id\":\"d1\",\"uuid\":\"" + plain + "\",\"timestamp\":\"2026-11-29T11:59:00Z\","
                + "\"properties\":{ \"path\" : \"/caf\\u00e9\", \"n\": 1.5, \"nested\": {\"a\": [1, {\"b\": null}]}, \"$session_id\": \"s1\" }},"
                + "{\"event\":\"plain\",\"distinct_id\":\"d1\",\"uuid\":\"" + plain + "\",\"properties\":{\"retried\":true}},"
                + "{\"event\":\"set\",\"distinct_id\":\"d2\",\"uuid\":\"" + withSet + "\",\"$set\":{\"plan\":\"team\"},\"properties\":{}}"
                + "],\"sent_at\":\"2026-11-29T12:00:00Z\"}";
        HttpResponse<String> r = server.post("/batch/", "application/json", gzip(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        JsonNode first = stored(plain).get("properties");
        assertThat(first.get("path").asText()).isEqualTo("/café");
        assertThat(first.get("n").asDouble()).isEqualTo(1.5);
        assertThat(first.get("nested").get("a").get(1).has("b")).isTrue();
        assertThat(first.get("$session_id").asText()).isEqualTo("s1");
        assertThat(first.get("$sent_at").asText()).isEqualTo("2026-11-29T12:00:00Z");
        assertThat(first.has("retried")).as("the retry of the same uuid is not stored again").isFalse();
        assertThat(stored(withSet).get("properties").get("$set").get("plan").asText()).isEqualTo("team");
    }

    JsonNode stored(UUID uuid) throws Exception {
        HttpResponse<String> r = server.get("/api/projects/" + server.projectId() + "/events/" + uuid + "/");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
