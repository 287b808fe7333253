package dev.sightline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads events back through the events API, waiting (bounded) for ingestion to catch up. */
final class StoredEvents {
    static final Duration PATIENCE = Duration.ofSeconds(20);
    /** yauaa builds itself in the background in 3–7 s on a quiet machine; far more on a busy one. */
    private static final Duration PARSER_PATIENCE = Duration.ofSeconds(60);
    private static final String CHROME_ON_LINUX =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

    private StoredEvents() {}

    /** Every event of these distinct ids, by uuid, once all of {@code uuids} are among them. */
    static Map<String, JsonNode> awaitUuids(TestServer server, Collection<String> distinctIds, Set<String> uuids) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Map<String, JsonNode> found = new LinkedHashMap<>();
            for (String distinctId : distinctIds) {
                for (JsonNode event : list(server, distinctId)) found.put(event.get("uuid").asText(), event);
            }
            if (found.keySet().containsAll(uuids)) return found;
            if (System.nanoTime() > deadline) {
                Set<String> missing = new TreeSet<>(uuids);
                missing.removeAll(found.keySet());
                throw new AssertionError("after " + PATIENCE.toSeconds() + " s the events API still lacks " + missing
                        + " for distinct ids " + distinctIds + "; it has " + summary(found.values()));
            }
            pause();
        }
    }

    /** The events of one distinct id, newest first, once there are at least {@code count}. */
    static List<JsonNode> awaitCount(TestServer server, String distinctId, int count) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            List<JsonNode> found = list(server, distinctId);
            if (found.size() >= count) return found;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + PATIENCE.toSeconds() + " s the events API has " + found.size()
                        + " of " + count + " events for " + distinctId + ": " + summary(found));
            }
            pause();
        }
    }

    /** The person of {@code distinctIds}, once one person holds them all (persons API). */
    static JsonNode awaitPerson(TestServer server, List<String> distinctIds) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            JsonNode results = server.getJson("/api/projects/" + server.projectId() + "/persons/?distinct_id="
                    + URLEncoder.encode(distinctIds.getFirst(), StandardCharsets.UTF_8)).get("results");
            List<String> held = new ArrayList<>();
            if (results.size() == 1) results.get(0).get("distinct_ids").forEach(id -> held.add(id.asText()));
            if (held.containsAll(distinctIds)) return results.get(0);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + PATIENCE.toSeconds() + " s no one person holds " + distinctIds
                        + "; the persons API answers " + results);
            }
            pause();
        }
    }

    /**
     * Sends warm-up events with a user agent until one comes back parsed: an event that arrives
     * while the parser is still building waits for it only so long, then passes without browser facts.
     */
    static void awaitUserAgentParser(TestServer server) {
        long deadline = System.nanoTime() + PARSER_PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            String distinctId = "warm-up-" + attempt;
            String body = """
                    {"api_key": "%s", "event": "warm-up", "distinct_id": "%s", "properties": {"$raw_user_agent": "%s"}}
                    """.formatted(server.token(), distinctId, CHROME_ON_LINUX);
            int status = server.post("/i/v0/e/", "application/json", body.getBytes(StandardCharsets.UTF_8)).statusCode();
            if (status != 200) throw new AssertionError("warm-up capture answered " + status);
            while (true) {
                List<JsonNode> events = StoredEvents.list(server, distinctId);
                if (!events.isEmpty()) {
                    if (events.getFirst().at("/properties/$browser").isTextual()) return;
                    break;
                }
                if (System.nanoTime() > deadline) break;
                pause();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the user-agent parser was not ready after " + PARSER_PATIENCE.toSeconds() + " s");
            }
        }
    }

    /** All events of one distinct id, following {@code next} links. */
    static List<JsonNode> list(TestServer server, String distinctId) {
        List<JsonNode> events = new ArrayList<>();
        String page = "/api/projects/" + server.projectId() + "/events/?limit=100&distinct_id="
                + URLEncoder.encode(distinctId, StandardCharsets.UTF_8);
        while (page != null) {
            JsonNode body = server.getJson(page);
            body.get("results").forEach(events::add);
            JsonNode next = body.get("next");
            page = next == null || next.isNull() ? null : pathAndQuery(next.asText());
        }
        return events;
    }

    private static String pathAndQuery(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static List<String> summary(Collection<JsonNode> events) {
        return events.stream().map(e -> e.path("event").asText() + " " + e.path("uuid").asText()).toList();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
