package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A project's retention is PATCH-able and shown with the project; wrong values are 400s naming the field. */
class RetentionHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> patch(TestServer server, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/"))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void retentionIsAProjectSetting() throws Exception {
        try (TestServer server = TestServer.start()) {
            JsonNode fresh = server.getJson("/api/projects/" + server.projectId() + "/");
            assertThat(fresh.get("retention_days").isNull()).isTrue();
            assertThat(fresh.get("retention_delete_persons").asBoolean()).isFalse();

            HttpResponse<String> set = patch(server, "{\"retention_days\": 90, \"retention_delete_persons\": true}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(JSON.readTree(set.body()).get("retention_days").asInt()).isEqualTo(90);
            assertThat(JSON.readTree(set.body()).get("retention_delete_persons").asBoolean()).isTrue();
            // kept across a restart
            server.restart();
            assertThat(server.getJson("/api/projects/" + server.projectId() + "/").get("retention_days").asInt()).isEqualTo(90);
            // one field at a time keeps the other
            assertThat(JSON.readTree(patch(server, "{\"retention_days\": 30}").body()).get("retention_delete_persons").asBoolean()).isTrue();

            for (String bad : new String[] {"{\"retention_days\": 0}", "{\"retention_days\": 1.5}", "{\"retention_days\": \"90\"}",
                    "{\"retention_days\": 100000}", "{\"retention_delete_persons\": \"yes\"}"}) {
                HttpResponse<String> r = patch(server, bad);
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).get("attr").asText()).startsWith("retention_");
            }
            HttpResponse<String> off = patch(server, "{\"retention_days\": null}");
            assertThat(JSON.readTree(off.body()).get("retention_days").isNull()).isTrue();
        }
    }
}
