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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Identity over real HTTP into DuckDB: anonymous browsing, identify on two devices, merges, split, edits, deletion. */
class PersonsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    TestServer server;
    Instant clock = Instant.parse("2026-05-01T10:00:00Z");

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String api(String path) {
        return "/api/projects/" + server.projectId() + path;
    }

    void send(String event, String distinctId, String propertiesJson) {
        clock = clock.plusSeconds(30);
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"" + event + "\",\"distinct_id\":\""
                + distinctId + "\",\"timestamp\":\"" + clock + "\",\"properties\":" + propertiesJson + "}]}";
        HttpResponse<String> r = server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    void browseAnonymously(String deviceId, String page, String sessionId) {
        send("$pageview", deviceId, "{\"$process_person_profile\":false,\"$current_url\":\"https://shop.example" + page
                + "\",\"$session_id\":\"" + sessionId + "\"}");
    }

    JsonNode personByDistinctId(String id) {
        JsonNode results = server.getJson(api("/persons/?distinct_id=" + id)).get("results");
        assertThat(results).as("person of " + id).hasSize(1);
        return results.get(0);
    }

    List<String> timelineEvents(String personUuid, String query) {
        List<String> out = new ArrayList<>();
        server.getJson(api("/persons/" + personUuid + "/timeline/" + query)).get("results")
                .forEach(e -> out.add(e.get("distinct_id").asText() + ":" + e.get("event").asText()));
        return out;
    }

    HttpResponse<String> postJson(String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + server.personalKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void twoDevicesIdentifyingAsOneUserBecomeOnePersonWithTheWholeHistory() throws Exception {
        browseAnonymously("laptop", "/", "s1");
        browseAnonymously("laptop", "/pricing", "s1");
        browseAnonymously("phone", "/", "s2");
        // anonymous browsing writes no person
        assertThat(server.getJson(api("/persons/")).get("results")).isEmpty();

        send("$identify", "user@example.com", "{\"$anon_distinct_id\":\"laptop\",\"$set\":{\"email\":\"user@example.com\",\"plan\":\"free\"}}");
        send("$identify", "user@example.com", "{\"$anon_distinct_id\":\"phone\",\"$set\":{\"plan\":\"pro\"},\"$set_once\":{\"first_seen_on\":\"phone\"}}");
        send("purchase", "user@example.com", "{\"amount\":42}");

        JsonNode person = personByDistinctId("phone");
        assertThat(person.get("uuid").asText()).isEqualTo(personByDistinctId("laptop").get("uuid").asText());
        assertThat(person.get("distinct_ids").toString()).contains("laptop", "phone", "user@example.com");
        assertThat(person.get("is_identified").asBoolean()).isTrue();
        assertThat(person.at("/properties/email").asText()).isEqualTo("user@example.com");
        assertThat(person.at("/properties/plan").asText()).isEqualTo("pro");
        assertThat(person.at("/properties/first_seen_on").asText()).isEqualTo("phone");
        assertThat(person.get("name").asText()).isEqualTo("user@example.com");

        String uuid = person.get("uuid").asText();
        List<String> newestFirst = timelineEvents(uuid, "");
        assertThat(newestFirst).containsExactly("user@example.com:purchase", "user@example.com:$identify", "user@example.com:$identify",
                "phone:$pageview", "laptop:$pageview", "laptop:$pageview");
        List<String> oldestFirst = timelineEvents(uuid, "?direction=asc&limit=2");
        assertThat(oldestFirst).containsExactly("laptop:$pageview", "laptop:$pageview");
        JsonNode sessions = server.getJson(api("/persons/" + uuid + "/timeline/?direction=asc")).get("sessions");
        assertThat(sessions.get(0).get("session_id").asText()).isEqualTo("s1");
        assertThat(sessions.get(0).get("events")).hasSize(2);

        JsonNode merges = server.getJson(api("/persons/" + uuid + "/merges/")).get("results");
        assertThat(merges).isNotEmpty();
        assertThat(merges.toString()).contains("phone");
        for (JsonNode m : merges) {
            assertThat(m.get("target_person_id").asText()).isEqualTo(uuid);
            assertThat(m.get("rule").asText()).isNotBlank();
            assertThat(m.get("at").asText()).isNotBlank();
        }
        assertThat(merges.toString()).contains("\"event_uuid\":\"");
    }

    @Test
    void splitGivesADistinctIdItsOwnPersonAndItsEventsFollowIt() {
        browseAnonymously("tablet", "/a", "s9");
        send("$identify", "ann", "{\"$anon_distinct_id\":\"tablet\",\"$set\":{\"email\":\"ann@x.io\"}}");
        send("click", "ann", "{}");
        String uuid = personByDistinctId("ann").get("uuid").asText();
        assertThat(timelineEvents(uuid, "")).contains("tablet:$pageview");

        HttpResponse<String> split = postJson(api("/persons/" + uuid + "/split/"), "{\"distinct_ids\":[\"tablet\"]}");
        assertThat(split.statusCode()).as(split.body()).isEqualTo(200);

        JsonNode tabletPerson = personByDistinctId("tablet");
        assertThat(tabletPerson.get("uuid").asText()).isNotEqualTo(uuid);
        assertThat(timelineEvents(uuid, "")).doesNotContain("tablet:$pageview").contains("ann:click");
        assertThat(timelineEvents(tabletPerson.get("uuid").asText(), "")).containsExactly("tablet:$pageview");
        JsonNode history = server.getJson(api("/persons/" + uuid + "/merges/")).get("results");
        assertThat(history.toString()).contains("split");

        // the person keeps its own id and cannot be split from it
        HttpResponse<String> refused = postJson(api("/persons/" + uuid + "/split/"), "{\"distinct_ids\":[\"ann\"]}");
        assertThat(refused.statusCode()).isEqualTo(400);
    }

    @Test
    void listSearchFiltersAndPagesPersons() throws Exception {
        for (int i = 0; i < 25; i++) {
            send("$identify", "user-" + i, "{\"$set\":{\"email\":\"u" + i + "@corp.example\",\"name\":\"User " + i
                    + "\",\"plan\":\"" + (i % 5 == 0 ? "enterprise" : "free") + "\",\"seats\":" + i + "}}");
        }
        Set<String> seen = new java.util.HashSet<>();
        String url = api("/persons/?limit=10");
        int pages = 0;
        while (url != null) {
            JsonNode page = server.getJson(url);
            page.get("results").forEach(p -> seen.add(p.get("uuid").asText()));
            url = page.get("next").isNull() ? null : new URI(page.get("next").asText()).getRawPath() + "?" + new URI(page.get("next").asText()).getRawQuery();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25);

        JsonNode byEmail = server.getJson(api("/persons/?search=u17%40corp")).get("results");
        assertThat(byEmail).hasSize(1);
        assertThat(byEmail.get(0).at("/properties/email").asText()).isEqualTo("u17@corp.example");
        assertThat(server.getJson(api("/persons/?search=user-3")).get("results")).hasSize(1);
        String uuid17 = byEmail.get(0).get("uuid").asText();
        JsonNode byUuid = server.getJson(api("/persons/?search=" + uuid17.toUpperCase(java.util.Locale.ROOT))).get("results");
        assertThat(byUuid).hasSize(1);
        assertThat(byUuid.get(0).get("uuid").asText()).isEqualTo(uuid17);
        assertThat(byUuid.get(0).get("distinct_ids")).hasSize(1);

        String filter = URLEncoder.encode("[{\"key\":\"plan\",\"value\":\"enterprise\",\"operator\":\"exact\",\"type\":\"person\"},"
                + "{\"key\":\"seats\",\"value\":10,\"operator\":\"gt\",\"type\":\"person\"}]", StandardCharsets.UTF_8);
        Set<String> enterprise = new java.util.HashSet<>();
        server.getJson(api("/persons/?properties=" + filter)).get("results").forEach(p -> enterprise.add(p.at("/properties/email").asText()));
        assertThat(enterprise).containsExactlyInAnyOrder("u15@corp.example", "u20@corp.example");
    }

    @Test
    void propertyEditsGoThroughThePipeline() {
        send("$identify", "bob", "{\"$set\":{\"email\":\"bob@x.io\",\"plan\":\"free\"}}");
        String uuid = personByDistinctId("bob").get("uuid").asText();
        assertThat(postJson(api("/persons/" + uuid + "/update_property/"), "{\"key\":\"plan\",\"value\":\"pro\"}").statusCode()).isEqualTo(202);
        assertThat(personByDistinctId("bob").at("/properties/plan").asText()).isEqualTo("pro");
        assertThat(postJson(api("/persons/" + uuid + "/delete_property/"), "{\"$unset\":\"plan\"}").statusCode()).isEqualTo(202);
        assertThat(personByDistinctId("bob").get("properties").has("plan")).isFalse();
        HttpResponse<String> bad = postJson(api("/persons/" + uuid + "/update_property/"), "{\"value\":1}");
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void deletingAPersonWithItsEventsForgetsThem() {
        browseAnonymously("dev-1", "/", "s1");
        send("$identify", "carol", "{\"$anon_distinct_id\":\"dev-1\",\"$set\":{\"email\":\"carol@x.io\"}}");
        send("$identify", "dave", "{\"$set\":{\"email\":\"dave@x.io\"}}");
        String carol = personByDistinctId("carol").get("uuid").asText();
        HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + api("/persons/" + carol + "/?delete_events=true")))
                .header("Authorization", "Bearer " + server.personalKey()).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(server.get(api("/persons/" + carol + "/")).statusCode()).isEqualTo(404);
        Set<String> remaining = new java.util.HashSet<>();
        server.getJson(api("/events/?limit=1000")).get("results").forEach(e -> remaining.add(e.get("distinct_id").asText()));
        assertThat(remaining).containsExactly("dave");
        // the same id can start over as a new person afterwards
        send("$identify", "carol", "{\"$set\":{\"email\":\"carol@new.io\"}}");
        assertThat(personByDistinctId("carol").at("/properties/email").asText()).isEqualTo("carol@new.io");
    }

    @Test
    void eventsCarryTheirPersonAndMode() {
        browseAnonymously("anon-9", "/x", "s1");
        send("$identify", "erin", "{\"$set\":{\"email\":\"erin@x.io\"}}");
        send("signup", "erin", "{\"$set\":{\"plan\":\"team\"}}");
        JsonNode events = server.getJson(api("/events/?limit=10")).get("results");
        JsonNode signup = events.get(0);
        assertThat(signup.get("event").asText()).isEqualTo("signup");
        assertThat(signup.get("person_id").asText()).isEqualTo(personByDistinctId("erin").get("uuid").asText());
        assertThat(signup.at("/person_properties/plan").asText()).isEqualTo("team");
        assertThat(signup.at("/person_properties/email").asText()).isEqualTo("erin@x.io");
        JsonNode anonymous = events.get(2);
        assertThat(anonymous.get("distinct_id").asText()).isEqualTo("anon-9");
        assertThat(anonymous.get("person_properties")).isEmpty();
        // a personless event carries the deterministic person id PostHog derives from project and distinct id
        assertThat(anonymous.get("person_id").asText())
                .isEqualTo(dev.sightline.identity.PersonUuids.forDistinctId(server.projectId(), "anon-9").toString());
    }

    @Test
    void timelinePagesStayCompleteAndOrderedAcrossSparseMonths() throws Exception {
        // a person active every 9 days for a year, and a busy stranger in between
        send("$identify", "sparse", "{\"$set\":{\"email\":\"s@x.io\"}}");
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        StringBuilder batch = new StringBuilder("{\"api_key\":\"" + server.token() + "\",\"batch\":[");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i > 0) batch.append(',');
            Instant at = start.plusSeconds(86_400L * 9 * i);
            batch.append("{\"event\":\"e").append(i).append("\",\"distinct_id\":\"sparse\",\"timestamp\":\"").append(at).append("\"},");
            batch.append("{\"event\":\"noise\",\"distinct_id\":\"stranger\",\"timestamp\":\"").append(at.plusSeconds(60)).append("\"}");
            expected.add("e" + i);
        }
        batch.append("]}");
        assertThat(server.post("/batch/", "application/json", batch.toString().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        String uuid = personByDistinctId("sparse").get("uuid").asText();
        for (boolean ascending : List.of(true, false)) {
            List<String> seen = new ArrayList<>();
            String url = api("/persons/" + uuid + "/timeline/?limit=7&direction=" + (ascending ? "asc" : "desc"));
            while (url != null) {
                JsonNode page = server.getJson(url);
                page.get("results").forEach(e -> {
                    if (e.get("event").asText().startsWith("e")) seen.add(e.get("event").asText());
                });
                url = page.get("next").isNull() ? null
                        : new URI(page.get("next").asText()).getRawPath() + "?" + new URI(page.get("next").asText()).getRawQuery();
            }
            List<String> want = new ArrayList<>(expected);
            if (!ascending) java.util.Collections.reverse(want);
            assertThat(seen).as(ascending ? "oldest first" : "newest first").isEqualTo(want);
        }
    }
}
