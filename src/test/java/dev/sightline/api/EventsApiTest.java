package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The events API: filters, newest-first cursor pages, and isolation between projects and keys. */
class EventsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String WEIRD_KEY = "it's a \"key\" with $, \\ and ~/ ; DROP TABLE events; --";
    static TestServer server;
    static Project other;
    static String otherKey = "phx_other_org_key_0123456789";
    static final int EVENTS = 57;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        MetaStore meta = server.sightline().meta();
        long org = meta.createOrganization("Another org");
        other = meta.createProject(org, "Other", "phc_other_project_token", "UTC");
        meta.createPersonalApiKey(org, "other", otherKey);

        StringBuilder batch = new StringBuilder("{\"api_key\":\"" + server.token() + "\",\"batch\":[");
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < EVENTS; i++) {
            if (i > 0) batch.append(',');
            ObjectNodeBuilder props = new ObjectNodeBuilder()
                    .put("n", i).put("plan", i % 3 == 0 ? "pro" : "free").put("$browser", i % 2 == 0 ? "Chrome" : "Firefox");
            if (i % 5 == 0) props.put(WEIRD_KEY, "weird-" + i);
            batch.append("{\"event\":\"").append(i % 4 == 0 ? "signup" : "$pageview").append("\",\"distinct_id\":\"user-")
                    .append(i % 7).append("\",\"timestamp\":\"").append(base.plusSeconds(60L * i)).append("\",\"properties\":")
                    .append(props).append('}');
        }
        batch.append("]}");
        assertThat(server.post("/batch/", "application/json", batch.toString().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        String otherEvent = "{\"event\":\"secret\",\"distinct_id\":\"user-1\",\"api_key\":\"phc_other_project_token\",\"properties\":{\"plan\":\"pro\"}}";
        assertThat(server.post("/e/", "application/json", otherEvent.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final class ObjectNodeBuilder {
        final com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();

        ObjectNodeBuilder put(String k, Object v) {
            node.set(k, JSON.valueToTree(v));
            return this;
        }

        @Override
        public String toString() {
            return node.toString();
        }
    }

    String events(String query) {
        return "/api/projects/" + server.projectId() + "/events/" + query;
    }

    static String filters(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    List<Integer> ns(JsonNode page) {
        List<Integer> out = new ArrayList<>();
        page.get("results").forEach(e -> out.add(e.at("/properties/n").asInt()));
        return out;
    }

    @Test
    void newestFirstAcrossCursorPagesWithoutGapsOrRepeats() throws Exception {
        List<Integer> seen = new ArrayList<>();
        String url = events("?limit=10");
        int pages = 0;
        while (url != null) {
            JsonNode page = server.getJson(url);
            seen.addAll(ns(page));
            JsonNode next = page.get("next");
            url = next.isNull() ? null : new URI(next.asText()).getRawPath() + "?" + new URI(next.asText()).getRawQuery();
            pages++;
        }
        assertThat(pages).isEqualTo(6);
        List<Integer> expected = new ArrayList<>();
        for (int i = EVENTS - 1; i >= 0; i--) expected.add(i);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void filtersByEventDistinctIdAndTime() {
        List<Integer> signups = ns(server.getJson(events("?event=signup&limit=100")));
        assertThat(signups).allMatch(n -> n % 4 == 0).hasSize((EVENTS + 3) / 4);
        List<Integer> user3 = ns(server.getJson(events("?distinct_id=user-3&limit=100")));
        assertThat(user3).allMatch(n -> n % 7 == 3).isNotEmpty();
        List<Integer> window = ns(server.getJson(events("?after=2026-03-01T00:10:00Z&before=2026-03-01T00:20:00Z")));
        assertThat(window).containsExactly(19, 18, 17, 16, 15, 14, 13, 12, 11);
    }

    @Test
    void propertyFiltersWithEveryCommonOperator() {
        assertThat(ns(server.getJson(events("?limit=100&properties=" + filters("[{\"key\":\"plan\",\"value\":\"pro\",\"operator\":\"exact\"}]")))))
                .allMatch(n -> n % 3 == 0).hasSize(19);
        assertThat(ns(server.getJson(events("?limit=100&properties=" + filters("[{\"key\":\"plan\",\"value\":[\"pro\",\"free\"],\"operator\":\"exact\"}]")))))
                .hasSize(EVENTS);
        assertThat(ns(server.getJson(events("?limit=100&properties=" + filters("[{\"key\":\"plan\",\"value\":\"pro\",\"operator\":\"is_not\"}]")))))
                .noneMatch(n -> n % 3 == 0).hasSize(EVENTS - 19);
        assertThat(ns(server.getJson(events("?limit=100&properties=" + filters("[{\"key\":\"$browser\",\"value\":\"CHRO\",\"operator\":\"icontains\"}]")))))
                .allMatch(n -> n % 2 == 0);
        assertThat(ns(server.getJson(events("?limit=100&properties=" + filters("[{\"key\":\"n\",\"value\":50,\"operator\":\"gte\"},{\"key\":\"n\",\"value\":\"53\",\"operator\":\"lt\"}]")))))
                .containsExactly(52, 51, 50);
        assertThat(ns(server.getJson(events("?limit=100&properties=" + filters("[{\"key\":\"$browser\",\"value\":\"^Fire\",\"operator\":\"regex\"}]")))))
                .allMatch(n -> n % 2 == 1).hasSize(EVENTS / 2);
        assertThat(ns(server.getJson(events("?limit=100&properties=" + filters("[{\"key\":\"missing\",\"operator\":\"is_not_set\"}]")))))
                .hasSize(EVENTS);
    }

    @Test
    void hostilePropertyKeysAreDataNotSql() throws Exception {
        String filter = JSON.writeValueAsString(List.of(java.util.Map.of("key", WEIRD_KEY, "operator", "is_set")));
        List<Integer> withKey = ns(server.getJson(events("?limit=100&properties=" + filters(filter))));
        assertThat(withKey).allMatch(n -> n % 5 == 0).hasSize(12);
        String exact = JSON.writeValueAsString(List.of(java.util.Map.of("key", WEIRD_KEY, "value", "weird-25")));
        assertThat(ns(server.getJson(events("?properties=" + filters(exact))))).containsExactly(25);
        // still all there
        assertThat(ns(server.getJson(events("?limit=1000")))).hasSize(EVENTS);
    }

    @Test
    void badQueriesAre400NamingTheField() throws Exception {
        HttpResponse<String> limit = server.get(events("?limit=abc"));
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(limit.body()).get("attr").asText()).isEqualTo("limit");
        HttpResponse<String> op = server.get(events("?properties=" + filters("[{\"key\":\"a\",\"value\":1,\"operator\":\"bogus\"}]")));
        assertThat(op.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(op.body()).get("detail").asText()).contains("bogus");
        HttpResponse<String> session = server.get(events("?properties=" + filters("[{\"key\":\"$session_duration\",\"value\":1,\"operator\":\"gt\",\"type\":\"session\"}]")));
        assertThat(session.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(session.body()).get("detail").asText()).contains("'session'").contains("query endpoint");
        HttpResponse<String> regex = server.get(events("?properties=" + filters("[{\"key\":\"plan\",\"value\":\"(\",\"operator\":\"regex\"}]")));
        assertThat(regex.statusCode()).isEqualTo(400);
        assertThat(server.get(events("?cursor=bm9wZQ")).statusCode()).isEqualTo(400);
        assertThat(server.get(events("?after=yesterday-ish")).statusCode()).isEqualTo(400);
    }

    @Test
    void aKeyReadsOnlyItsOwnOrganizationsProjects() throws Exception {
        HttpResponse<String> cross = server.get("/api/projects/" + other.id() + "/events/");
        assertThat(cross.statusCode()).isEqualTo(403);
        HttpResponse<String> own = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + other.id() + "/events/"))
                .header("Authorization", "Bearer " + otherKey).build());
        assertThat(own.statusCode()).isEqualTo(200);
        JsonNode otherEvents = JSON.readTree(own.body()).get("results");
        assertThat(otherEvents).hasSize(1);
        assertThat(otherEvents.get(0).get("event").asText()).isEqualTo("secret");
        HttpResponse<String> reverse = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + events("")))
                .header("Authorization", "Bearer " + otherKey).build());
        assertThat(reverse.statusCode()).isEqualTo(403);
        // the default project never shows the other project's event, even for the same distinct id
        Set<String> names = new HashSet<>();
        server.getJson(events("?distinct_id=user-1&limit=1000")).get("results").forEach(e -> names.add(e.get("event").asText()));
        assertThat(names).doesNotContain("secret");
    }

    @Test
    void missingWrongOrProjectTokenKeysAre401() throws Exception {
        HttpResponse<String> none = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + events(""))).build());
        assertThat(none.statusCode()).isEqualTo(401);
        HttpResponse<String> token = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + events("")))
                .header("Authorization", "Bearer " + server.token()).build());
        assertThat(token.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(token.body()).get("detail").asText()).contains("personal API key");
    }

    @Test
    void personalKeysAreStoredOnlyAsHashes() throws Exception {
        server.sightline().close();
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + server.dataDir().resolve("sightline.duckdb"));
             ResultSet rs = c.createStatement().executeQuery("SELECT secure_value, mask_value FROM personal_api_keys")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getString(1)).startsWith("sha256$").doesNotContain(server.personalKey()).doesNotContain(otherKey);
                assertThat(rs.getString(2)).doesNotContain(server.personalKey()).doesNotContain(otherKey);
            }
            assertThat(rows).isEqualTo(2);
        } finally {
            server.restart();
        }
    }
}
