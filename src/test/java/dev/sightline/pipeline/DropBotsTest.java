package dev.sightline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bots are marked by enrichment, and with --drop-bots accepted but not stored. */
class DropBotsTest {
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

    Map<String, JsonNode> sendBotAndHuman(TestServer server) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (server.getJson("/_health").path("user_agent_parser").asText().equals("starting") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
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
}
