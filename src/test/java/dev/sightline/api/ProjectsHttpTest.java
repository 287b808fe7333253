package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.sightline.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the web app's pages read besides persons and events, over real HTTP into DuckDB: projects and
 * their settings, the test event, definitions for pickers, the persons list sorted and as CSV.
 */
class ProjectsHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static Instant clock = Instant.now().minusSeconds(3600);

    @BeforeAll
    static void start() {
        server = TestServer.start();
        // 30 persons with an email and a plan each, one of them with a comma and a quote in its name
        StringBuilder batch = new StringBuilder("{\"api_key\":\"" + server.token() + "\",\"batch\":[");
        for (int i = 0; i < 30; i++) {
            clock = clock.plusSeconds(10);
            if (i > 0) batch.append(',');
            String name = i == 7 ? "O'Brien, \\\"Pat\\\"" : "User " + i;
            batch.append("{\"event\":\"signed up\",\"distinct_id\":\"user-").append(i).append("\",\"timestamp\":\"").append(clock)
                    .append("\",\"properties\":{\"$set\":{\"email\":\"u").append(i).append("@example.com\",\"name\":\"").append(name)
                    .append("\",\"plan\":\"").append(i % 3 == 0 ? "pro" : "free").append("\",\"seats\":").append(i).append("}}}");
        }
        batch.append(",{\"event\":\"$pageview\",\"distinct_id\":\"anon-1\",\"timestamp\":\"").append(clock.plusSeconds(5))
                .append("\",\"properties\":{\"$process_person_profile\":false,\"$current_url\":\"https://a.example/pricing\",\"amount\":12.5}}");
        batch.append("]}");
        HttpResponse<String> r = server.post("/batch/", "application/json", batch.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String api(String path) {
        return "/api/projects/" + server.projectId() + path;
    }

    @Test
    void projectsListAndSettingsInPostHogsShape() {
        JsonNode list = server.getJson("/api/projects/");
        assertThat(list.get("results")).hasSize(1);
        JsonNode p = list.get("results").get(0);
        assertThat(p.get("api_token").asText()).isEqualTo(server.token());
        assertThat(p.get("has_events").asBoolean()).isTrue();
        assertThat(p.get("test_account_filters").isArray()).isTrue();
        assertThat(server.getJson("/api/environments/" + server.projectId() + "/").get("id").asLong()).isEqualTo(server.projectId());
        assertThat(server.getJson("/api/projects/@current/").get("id").asLong()).isEqualTo(server.projectId());

        HttpResponse<String> filters = patch("{\"test_account_filters\":[{\"key\":\"email\",\"operator\":\"not_icontains\",\"value\":\"@example.com\",\"type\":\"person\"}]}");
        assertThat(filters.statusCode()).as(filters.body()).isEqualTo(200);
        assertThat(server.getJson(api("/")).at("/test_account_filters/0/key").asText()).isEqualTo("email");
        HttpResponse<String> bad = patch("{\"test_account_filters\":[{\"key\":\"email\",\"operator\":\"sounds_like\"}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(patch("{\"anonymize_ips\":\"yes\"}").statusCode()).isEqualTo(400);
        patch("{\"test_account_filters\":[]}");

        HttpResponse<String> created = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/projects/"))
                .header("Authorization", "Bearer " + server.personalKey()).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Marketing site\",\"timezone\":\"America/New_York\"}")).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode made = read(created.body());
        assertThat(made.get("api_token").asText()).startsWith("phc_").isNotEqualTo(server.token());
        assertThat(made.get("has_events").asBoolean()).isFalse();
        assertThat(server.getJson("/api/projects/").get("results")).hasSize(2);
    }

    @Test
    void anonymizedProjectsKeepNoIpWhateverSentIt() {
        assertThat(patch("{\"anonymize_ips\":true}").statusCode()).isEqualTo(200);
        try {
            String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"ip check\",\"distinct_id\":\"ip-1\","
                    + "\"properties\":{\"$process_person_profile\":false,\"$ip\":\"203.0.113.9\"}}]}";
            assertThat(server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            JsonNode stored = server.getJson(api("/events/?event=ip%20check")).get("results").get(0);
            assertThat(stored.get("properties").has("$ip")).isFalse();
        } finally {
            patch("{\"anonymize_ips\":false}");
        }
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"ip check 2\",\"distinct_id\":\"ip-1\","
                + "\"properties\":{\"$process_person_profile\":false,\"$ip\":\"203.0.113.9\"}}]}";
        server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(server.getJson(api("/events/?event=ip%20check%202")).at("/results/0/properties").has("$ip")).isTrue();
    }

    @Test
    void theTestEventGoesThroughThePipelineAndIsReadable() {
        HttpResponse<String> sent = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + api("/test_event/")))
                .header("Authorization", "Bearer " + server.personalKey()).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(sent.statusCode()).isEqualTo(202);
        String uuid = read(sent.body()).get("uuid").asText();
        JsonNode stored = server.getJson(api("/events/" + uuid + "/"));
        assertThat(stored.get("event").asText()).isEqualTo("sightline test event");
        assertThat(stored.at("/properties/$lib").asText()).isEqualTo("sightline-settings");
    }

    @Test
    void definitionsOfferWhatIsSentWithTypesAndValueCounts() {
        JsonNode events = server.getJson(api("/event_definitions/")).get("results");
        Map<String, Long> volumes = new TreeMap<>();
        events.forEach(e -> volumes.put(e.get("name").asText(), e.get("volume_30_day").asLong()));
        assertThat(volumes).containsEntry("signed up", 30L).containsEntry("$pageview", 1L);
        assertThat(server.getJson(api("/event_definitions/?search=SIGN")).get("results")).extracting(e -> e.get("name").asText())
                .containsExactly("signed up");

        Map<String, String> personTypes = new TreeMap<>();
        server.getJson(api("/property_definitions/?type=person")).get("results")
                .forEach(d -> personTypes.put(d.get("name").asText(), d.get("property_type").asText()));
        assertThat(personTypes).containsEntry("plan", "String").containsEntry("seats", "Numeric").containsEntry("email", "String");
        Map<String, String> eventTypes = new TreeMap<>();
        server.getJson(api("/property_definitions/?type=event")).get("results")
                .forEach(d -> eventTypes.put(d.get("name").asText(), d.get("property_type").asText()));
        assertThat(eventTypes).containsEntry("amount", "Numeric").containsEntry("$current_url", "String");

        JsonNode plans = server.getJson(api("/property_values/?type=person&key=plan"));
        Map<String, Long> counts = new TreeMap<>();
        plans.forEach(v -> counts.put(v.get("name").asText(), v.get("count").asLong()));
        assertThat(counts).containsExactly(Map.entry("free", 20L), Map.entry("pro", 10L));
        assertThat(server.getJson(api("/property_values/?type=event&key=$current_url&value=PRIC")).get(0).get("name").asText())
                .isEqualTo("https://a.example/pricing");
        assertThat(server.get(api("/property_values/?type=group&key=x")).statusCode()).isEqualTo(400);
        assertThat(server.get(api("/property_values/?type=person")).statusCode()).isEqualTo(400);
    }

    @Test
    void personsSortBothWaysAndPageWithoutGapsOrRepeats() {
        List<String> newestFirst = allPages("/persons/?limit=7");
        List<String> oldestFirst = allPages("/persons/?limit=7&order=asc");
        assertThat(newestFirst).hasSize(30).doesNotHaveDuplicates();
        assertThat(oldestFirst).isEqualTo(newestFirst.reversed());
        assertThat(oldestFirst.getFirst()).isEqualTo("u0@example.com");
        assertThat(server.get(api("/persons/?order=sideways")).statusCode()).isEqualTo(400);
    }

    @Test
    void personsExportAsCsvWithEveryMatchingPersonAndEveryProperty() throws Exception {
        String filters = URLEncoder.encode("[{\"key\":\"plan\",\"value\":\"pro\",\"operator\":\"exact\",\"type\":\"person\"}]", StandardCharsets.UTF_8);
        HttpResponse<String> csv = server.get(api("/persons/?format=csv&properties=" + filters));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).readValues(csv.body())) {
            it.forEachRemaining(rows::add);
        }
        List<String> header = rows.getFirst();
        assertThat(header).startsWith("id", "person", "distinct_ids", "created_at", "is_identified").contains("email", "name", "plan", "seats")
                .endsWith("other_properties");
        List<List<String>> people = rows.subList(1, rows.size());
        assertThat(people).hasSize(10);
        int plan = header.indexOf("plan");
        assertThat(people).allSatisfy(row -> assertThat(row.get(plan)).isEqualTo("pro"));
        int email = header.indexOf("email");
        assertThat(people).extracting(row -> row.get(email)).contains("u0@example.com", "u27@example.com");

        HttpResponse<String> all = server.get(api("/persons/?format=csv"));
        List<List<String>> everyone = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).readValues(all.body())) {
            it.forEachRemaining(everyone::add);
        }
        int name = everyone.getFirst().indexOf("name");
        assertThat(everyone.subList(1, everyone.size())).hasSize(30).extracting(row -> row.get(name)).contains("O'Brien, \"Pat\"");
    }

    private List<String> allPages(String first) {
        List<String> emails = new ArrayList<>();
        String path = api(first);
        while (path != null) {
            JsonNode page = server.getJson(path);
            page.get("results").forEach(p -> emails.add(p.at("/properties/email").asText()));
            String next = page.get("next").isNull() ? null : page.get("next").asText();
            path = next == null ? null : next.substring(next.indexOf("/api/"));
        }
        return emails;
    }

    private static HttpResponse<String> patch(String body) {
        return server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + api("/")))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
