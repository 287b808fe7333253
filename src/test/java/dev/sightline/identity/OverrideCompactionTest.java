package dev.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * Folding overrides into the events changes what is stored, never what queries answer: persons
 * count once after a merge before and after it, and a later split still takes its distinct id's
 * events along.
 */
class OverrideCompactionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DAU = """
            {"query": {"kind": "TrendsQuery", "series": [{"event": "$pageview", "math": "dau"}],
             "dateRange": {"date_from": "-2d"}, "trendsFilter": {"display": "BoldNumber"}}, "refresh": true}""";

    @Test
    void queriesAnswerTheSameBeforeAndAfterCompactionAndASplitStillWorks() throws Exception {
        try (TestServer server = TestServer.start()) {
            Instant t = Instant.now().minus(2, ChronoUnit.HOURS);
            // two persons: an identified one, and an anonymous visitor that then logs in as them
            send(server, event("$pageview", "user-1", t, ""));
            send(server, event("$pageview", "anon-1", t.plusSeconds(1), "") + "," + event("$pageview", "anon-1", t.plusSeconds(2), ""));
            send(server, event("$pageview", "other", t.plusSeconds(3), ""));
            assertThat(dau(server)).isEqualTo(3);
            send(server, event("$identify", "user-1", t.plusSeconds(4), ",\"$anon_distinct_id\":\"anon-1\""));
            assertThat(dau(server)).as("merged persons count once at once").isEqualTo(2);

            assertThat(server.sightline().compactOverrides()).as("anon-1's two events now carry user-1's person").isEqualTo(2);
            assertThat(dau(server)).isEqualTo(2);
            assertThat(server.sightline().compactOverrides()).as("nothing left to fold").isZero();

            JsonNode person = server.getJson("/api/projects/" + server.projectId() + "/persons/?distinct_id=user-1");
            String uuid = person.has("results") ? person.get("results").get(0).get("id").asText() : person.get("id").asText();
            HttpResponse<String> split = server.send(HttpRequest.newBuilder(
                            URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/persons/" + uuid + "/split/"))
                    .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"distinct_ids\":[\"anon-1\"]}")).build());
            assertThat(split.statusCode()).as(split.body()).isEqualTo(200);
            assertThat(dau(server)).as("the split id's events follow it to its own person").isEqualTo(3);
            assertThat(server.sightline().compactOverrides()).isEqualTo(2);
            assertThat(dau(server)).isEqualTo(3);
        }
    }

    private static String event(String name, String distinctId, Instant at, String extraProperties) {
        return "{\"event\":\"" + name + "\",\"distinct_id\":\"" + distinctId + "\",\"timestamp\":\"" + at
                + "\",\"properties\":{\"$lib\":\"test\"" + extraProperties + "}}";
    }

    private static void send(TestServer server, String events) {
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[" + events + "]}";
        assertThat(server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    private static long dau(TestServer server) throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/query/"))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DAU)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("results").get(0).get("aggregated_value").asLong();
    }
}
