package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A site installs posthog-js with an inline loader pointed at Sightline (e2e/snippet.mjs): the
 * server serves /static/array.js and the bundles the SDK loads lazily, from the posthog-js package
 * the build pins, with caching headers; the calls queued before the SDK loaded arrive as events.
 */
class PosthogSnippetTest {
    @Test
    void theSnippetLoadsPosthogJsAndItsBundlesFromTheServer() {
        try (TestServer server = TestServer.start()) {
            JsonNode run = SdkScript.run("snippet.mjs", server, Duration.ofSeconds(120));
            List<JsonNode> requests = new ArrayList<>();
            run.get("requests").forEach(requests::add);

            assertThat(run.get("consoleErrors")).as("errors in the browser console").isEmpty();
            assertThat(requests).as("every request to the server succeeded")
                    .allSatisfy(r -> assertThat(r.get("status").asInt()).as(r.toString()).isBetween(200, 299));
            JsonNode array = requests.stream().filter(r -> r.get("path").asText().equals("/static/array.js")).findFirst().orElseThrow();
            assertThat(array.get("cacheControl").asText()).contains("max-age=");
            assertThat(requests).as("bundles loaded lazily from /static/ (exception autocapture, dead clicks, web vitals)")
                    .filteredOn(r -> r.get("path").asText().startsWith("/static/") && !r.get("path").asText().equals("/static/array.js"))
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(requests).anySatisfy(r -> assertThat(r.get("path").asText()).startsWith("/array/" + server.token() + "/config"));

            String user = run.get("user").asText();
            List<JsonNode> stored = StoredEvents.awaitCount(server, user, 2);
            assertThat(stored).extracting(e -> e.get("event").asText()).contains("snippet signed in", "$identify");
            JsonNode people = server.getJson("/api/projects/" + server.projectId() + "/persons/?distinct_id=" + user);
            assertThat(people.at("/results/0/properties/email").asText()).isEqualTo("snippet@example.com");
            Set<String> sent = new java.util.HashSet<>();
            requests.forEach(r -> r.get("events").forEach(e -> sent.add(e.asText())));
            assertThat(sent).contains("snippet page opened", "snippet signed in");
        }
    }
}
