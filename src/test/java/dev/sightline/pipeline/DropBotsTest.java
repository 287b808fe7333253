package dev.sightline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bots are marked by enrichment, and with --drop-bots accepted but not stored. */
class DropBotsTest {
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

    Map<String, JsonNode> sendBotAndHuman(TestServer server) throws Exception {
        awaitParser(server);
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":["
                + "{\"event\":\"$pageview\",\"distinct_id\":\"crawler\",\"properties\":{\"$raw_user_agent\":\"" + GOOGLEBOT + "\"}},"
                + "{\"event\":\"$pageview\",\"distinct_id\":\"human\",\"properties\":{\"$raw_user_agent\":\"" + CHROME + "\"}}]}";
        assertThat(server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        Map<String, JsonNode> stored = new HashMap<>();
        server.getJson("/api/projects/" + server.projectId() + "/events/").get("results")
                .forEach(e -> stored.put(e.get("distinct_id").asText(), e));
        return stored;
    }

    @Test
    void botsAreMarkedAndKeptByDefault() throws Exception {
        try (TestServer server = TestServer.start()) {
            Map<String, JsonNode> stored = sendBotAndHuman(server);
            assertThat(stored.get("crawler").at("/properties/$is_bot").asBoolean()).isTrue();
            assertThat(stored.get("human").at("/properties/$is_bot").isMissingNode()).isTrue();
            assertThat(stored.get("human").at("/properties/$browser").asText()).isEqualTo("Chrome");
        }
    }

    @Test
    void dropBotsStoresOnlyTheHuman() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withDropBots(true))) {
            assertThat(sendBotAndHuman(server).keySet()).containsExactly("human");
        }
    }

    /** A backend's HTTP client is no bot: its events are kept, and get no browser facts from the header. */
    @Test
    void dropBotsKeepsServerTrafficWhateverItsHttpClientSays() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withDropBots(true))) {
            awaitParser(server);
            Map<String, String> clients = Map.of(
                    "script", "Python-urllib/3.12", "shell", "curl/8.4.0", "python-sdk", "posthog-python/3.7.0");
            for (Map.Entry<String, String> client : clients.entrySet()) {
                String lib = client.getKey().equals("python-sdk") ? ",\"$lib\":\"posthog-python\"" : "";
                String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"order_paid\",\"distinct_id\":\""
                        + client.getKey() + "\",\"properties\":{\"amount\":5" + lib + "}}]}";
                assertThat(server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/batch/"))
                        .header("Content-Type", "application/json").header("User-Agent", client.getValue())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode()).isEqualTo(200);
            }
            // and a browser whose request says it is a crawler is still dropped
            String browser = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"$pageview\",\"distinct_id\":\"crawler\","
                    + "\"properties\":{\"$lib\":\"web\"}}]}";
            assertThat(server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/e/"))
                    .header("Content-Type", "application/json").header("User-Agent", GOOGLEBOT)
                    .POST(HttpRequest.BodyPublishers.ofString(browser)).build()).statusCode()).isEqualTo(200);

            Map<String, JsonNode> stored = new HashMap<>();
            server.getJson("/api/projects/" + server.projectId() + "/events/").get("results")
                    .forEach(e -> stored.put(e.get("distinct_id").asText(), e));
            assertThat(stored.keySet()).containsExactlyInAnyOrder("script", "shell", "python-sdk");
            for (JsonNode event : stored.values()) {
                assertThat(event.at("/properties/$browser").isMissingNode()).as(event.toString()).isTrue();
                assertThat(event.at("/properties/$is_bot").isMissingNode()).as(event.toString()).isTrue();
            }
        }
    }

    private static void awaitParser(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (server.getJson("/_health").path("user_agent_parser").asText().equals("starting") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }
}
