package dev.sightline.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.account.Role;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import dev.sightline.testing.WebClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cohorts API over real HTTP into DuckDB: membership as events, merges and splits arrive;
 * static cohorts from CSV (bad rows reported, 100k rows) and from an insight's persons; refusals
 * that name the field; and no way into another organization's cohorts.
 */
class CohortsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    TestServer server;
    /** Events happen in the last hour, so every "in the last N days" window holds them. */
    Instant clock = Instant.now().minus(1, ChronoUnit.HOURS);

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
        clock = clock.plusSeconds(5);
        batch("{\"event\":\"" + event + "\",\"distinct_id\":\"" + distinctId + "\",\"timestamp\":\"" + clock + "\",\"properties\":" + propertiesJson + "}");
    }

    void batch(String eventsJson) {
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[" + eventsJson + "]}";
        HttpResponse<String> r = server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    HttpResponse<String> call(String method, String path, String body) {
        return server.api(method, path, body);
    }

    JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    JsonNode create(String json) throws Exception {
        return ok(call("POST", api("/cohorts/"), json));
    }

    /** The distinct ids of the cohort's persons now (the inline evaluation). */
    Set<String> memberIds(long cohort) throws Exception {
        Set<String> out = new HashSet<>();
        JsonNode page = ok(server.get(api("/cohorts/" + cohort + "/persons/?limit=1000")));
        for (JsonNode p : page.get("results")) p.get("distinct_ids").forEach(d -> out.add(d.asText()));
        return out;
    }

    long storedCount(long cohort) throws Exception {
        return ok(call("POST", api("/cohorts/" + cohort + "/calculate/"), "{}")).get("count").asLong();
    }

    String personOf(String distinctId) throws Exception {
        return ok(server.get(api("/persons/?distinct_id=" + distinctId))).get("results").get(0).get("uuid").asText();
    }

    @Test
    void membershipFollowsNewEventsMergesAndSplits() throws Exception {
        // two purchases in the last 7 days by a pro user
        JsonNode c = create("""
                {"name": "Pro buyers", "filters": {"properties": {"type": "AND", "values": [
                  {"type": "behavioral", "key": "purchase", "event_type": "events", "value": "performed_event_multiple",
                   "operator": "gte", "operator_value": 2, "time_value": 7, "time_interval": "day"},
                  {"type": "person", "key": "plan", "value": "pro", "operator": "exact"}]}}}""");
        long id = c.get("id").asLong();
        assertThat(c.get("count").asLong()).isZero();
        assertThat(c.get("is_static").asBoolean()).isFalse();
        assertThat(c.get("cohort_type").asText()).isEqualTo("behavioral");
        assertThat(c.get("last_calculation").isNull()).isFalse();

        send("purchase", "alice", "{\"$set\":{\"plan\":\"pro\"}}");
        send("purchase", "anon-phone", "{}");
        send("purchase", "bob", "{\"$set\":{\"plan\":\"pro\"}}");
        assertThat(memberIds(id)).isEmpty();

        // new events: bob buys again
        send("purchase", "bob", "{}");
        assertThat(memberIds(id)).containsExactly("bob");
        assertThat(storedCount(id)).isEqualTo(1);

        // a merge: the phone's purchase now counts for alice
        send("$identify", "alice", "{\"$anon_distinct_id\":\"anon-phone\"}");
        assertThat(personOf("anon-phone")).isEqualTo(personOf("alice"));
        assertThat(memberIds(id)).containsExactlyInAnyOrder("bob", "alice", "anon-phone");
        assertThat(storedCount(id)).isEqualTo(2);

        // an insight filtered by the cohort counts alice's purchases from both ids
        JsonNode trend = ok(call("POST", api("/query/"), """
                {"query": {"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "purchase"}], "dateRange": {"date_from": "-2d"},
                 "trendsFilter": {"display": "BoldNumber"}, "properties": [{"type": "cohort", "key": "id", "value": %d, "operator": "in"}]}}""".formatted(id)));
        assertThat(trend.at("/results/0/aggregated_value").asDouble()).isEqualTo(4.0);

        // a split: the phone is its own person again, and alice has one purchase
        HttpResponse<String> split = call("POST", api("/persons/" + personOf("alice") + "/split/"), "{\"distinct_ids\":[\"anon-phone\"]}");
        assertThat(split.statusCode()).as(split.body()).isEqualTo(200);
        assertThat(memberIds(id)).containsExactly("bob");
        assertThat(storedCount(id)).isEqualTo(1);

        // the persons list filtered by the cohort, and not by it
        String in = URLEncoder.encode("[{\"type\":\"cohort\",\"key\":\"id\",\"value\":" + id + "}]", StandardCharsets.UTF_8);
        assertThat(ok(server.get(api("/persons/?properties=" + in))).get("results")).extracting(p -> p.at("/distinct_ids/0").asText())
                .containsExactly("bob");
        String notIn = URLEncoder.encode("[{\"type\":\"cohort\",\"key\":\"id\",\"value\":" + id + ",\"operator\":\"not_in\"}]", StandardCharsets.UTF_8);
        assertThat(ok(server.get(api("/persons/?properties=" + notIn))).get("results")).hasSize(2);
    }

    @Test
    void staticCohortsFromCsvWithBadRowsAndFromAnInsightsPersons() throws Exception {
        for (String u : List.of("u1", "u2", "u3", "u4")) send("$pageview", u, "{\"$set\":{\"email\":\"" + u + "@example.com\"}}");
        send("$identify", "u1", "{\"$anon_distinct_id\":\"u1-laptop\"}");
        HttpResponse<String> r = upload("POST", api("/cohorts/"), "Imported", "distinct_id,note\nu1,a\nnobody,b\nu2,c\n,d\nu3,e\n");
        JsonNode c = ok(r);
        assertThat(r.statusCode()).isEqualTo(201);
        long id = c.get("id").asLong();
        assertThat(c.get("is_static").asBoolean()).isTrue();
        assertThat(c.at("/csv_report/rows").asLong()).isEqualTo(5);
        assertThat(c.at("/csv_report/matched").asLong()).isEqualTo(3);
        assertThat(c.at("/csv_report/unmatched_count").asLong()).isEqualTo(2);
        assertThat(c.at("/csv_report/unmatched")).extracting(u -> u.get("row").asLong() + ":" + u.get("value").asText())
                .containsExactly("3:nobody", "5:");
        assertThat(c.get("count").asLong()).isEqualTo(3);
        assertThat(memberIds(id)).containsExactlyInAnyOrder("u1", "u1-laptop", "u2", "u3");

        // emails, added to the same cohort later
        JsonNode more = ok(upload("PATCH", api("/cohorts/" + id + "/"), null, "email\nU4@example.com\nnone@example.com\n"));
        assertThat(more.at("/csv_report/matched").asLong()).isEqualTo(1);
        assertThat(more.get("count").asLong()).isEqualTo(4);

        // the members as CSV
        HttpResponse<String> csv = server.get(api("/cohorts/" + id + "/persons/?format=csv"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("cohort-" + id + ".csv");
        assertThat(csv.body().lines().count()).isEqualTo(5);
        assertThat(csv.body()).contains("u1@example.com", "u4@example.com");

        // "save as cohort" from a trend's persons: everyone with a pageview today
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode saved = create("""
                {"name": "Viewed today", "is_static": true, "query": {"kind": "ActorsQuery", "source": {"kind": "InsightActorsQuery", "day": "%s",
                 "source": {"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "$pageview"}], "interval": "day",
                   "dateRange": {"date_from": "-1d"}}}}}""".formatted(today));
        assertThat(saved.get("count").asLong()).isEqualTo(LocalDate.now(ZoneOffset.UTC).equals(LocalDate.ofInstant(clock, ZoneOffset.UTC)) ? 4 : 0);

        // and by person ids
        JsonNode added = ok(call("PATCH", api("/cohorts/" + id + "/add_persons_to_static_cohort/"), "{\"person_ids\": [\"" + personOf("u4") + "\"]}"));
        assertThat(added.get("count").asLong()).isEqualTo(4);
        assertThat(call("PATCH", api("/cohorts/" + id + "/add_persons_to_static_cohort/"), "{\"person_ids\": [\"not-a-uuid\"]}").body())
                .contains("person_ids[0]");
    }

    @Test
    void aHundredThousandRowCsvIsStreamedAndReported() throws Exception {
        int persons = 20_000;
        for (int start = 0; start < persons; start += 1000) {
            List<String> events = new ArrayList<>();
            for (int i = start; i < start + 1000; i++) {
                events.add("{\"event\":\"$pageview\",\"distinct_id\":\"bulk-" + i + "\",\"timestamp\":\"" + clock + "\",\"properties\":{}}");
            }
            batch(String.join(",", events));
        }
        StringBuilder csv = new StringBuilder("distinct_id\n");
        for (int i = 0; i < 100_000; i++) csv.append(i % 5 == 0 ? "bulk-" + (i / 5) : "missing-" + i).append('\n');
        long t0 = System.nanoTime();
        JsonNode c = ok(upload("POST", api("/cohorts/"), "Bulk", csv.toString()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(c.at("/csv_report/rows").asLong()).isEqualTo(100_000);
        assertThat(c.at("/csv_report/matched").asLong()).isEqualTo(persons);
        assertThat(c.at("/csv_report/unmatched_count").asLong()).isEqualTo(80_000);
        assertThat(c.at("/csv_report/unmatched")).hasSize(Cohorts.REPORT_ROWS);
        assertThat(c.get("count").asLong()).isEqualTo(persons);
        assertThat(ms).as("a 100k-row upload takes seconds, not minutes").isLessThan(60_000);
    }

    @Test
    void badCriteriaAreRefusedNamingTheFieldAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> bad = call("POST", api("/cohorts/"), """
                {"name": "x", "filters": {"properties": {"type": "OR", "values": [{"type": "AND", "values": [
                  {"type": "person", "key": "plan", "value": "pro"},
                  {"type": "behavioral", "key": "$pageview", "value": "performed_event", "time_value": -3, "time_interval": "day"}]}]}}}""");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("attr").asText()).isEqualTo("filters.properties.values[0].values[1].time_value");
        assertThat(JSON.readTree(call("POST", api("/cohorts/"), "{\"filters\": {\"properties\": {\"type\": \"AND\", \"values\": []}}}").body())
                .get("attr").asText()).isEqualTo("name");
        assertThat(call("GET", api("/cohorts/424242/"), null).statusCode()).isEqualTo(404);
        HttpResponse<String> query = call("POST", api("/query/"), """
                {"query": {"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "$pageview"}],
                 "properties": [{"type": "cohort", "key": "id", "value": 424242}]}}""");
        assertThat(query.statusCode()).as(query.body()).isEqualTo(400);
        // a cycle through the API
        long a = create("{\"name\": \"a\", \"filters\": {\"properties\": {\"type\": \"AND\", \"values\": [{\"type\": \"person\", \"key\": \"plan\", \"value\": \"pro\"}]}}}")
                .get("id").asLong();
        long b = create("{\"name\": \"b\", \"filters\": {\"properties\": {\"type\": \"AND\", \"values\": [{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + a + "}]}}}")
                .get("id").asLong();
        HttpResponse<String> cycle = call("PATCH", api("/cohorts/" + a + "/"),
                "{\"filters\": {\"properties\": {\"type\": \"AND\", \"values\": [{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + b + "}]}}}");
        assertThat(cycle.statusCode()).isEqualTo(400);
        assertThat(cycle.body()).contains("circular");
        // a used cohort cannot be deleted; an unused one can
        assertThat(call("DELETE", api("/cohorts/" + a + "/"), null).statusCode()).isEqualTo(400);
        assertThat(call("DELETE", api("/cohorts/" + b + "/"), null).statusCode()).isEqualTo(204);
        assertThat(ok(server.get(api("/cohorts/"))).get("results")).extracting(n -> n.get("id").asLong()).containsExactly(a);
        // the live estimate
        assertThat(ok(call("POST", api("/cohorts/estimate/"), "{\"filters\": {\"properties\": {\"type\": \"AND\", \"values\": "
                + "[{\"type\": \"person\", \"key\": \"plan\", \"operator\": \"is_not_set\"}]}}}")).get("count").asLong()).isZero();
    }

    @Test
    void anotherOrganizationCannotReadOrUseOurCohorts() throws Exception {
        send("$pageview", "u1", "{}");
        long ours = create("{\"name\": \"ours\", \"is_static\": false, \"filters\": {\"properties\": {\"type\": \"AND\", \"values\": "
                + "[{\"type\": \"behavioral\", \"key\": \"$pageview\", \"value\": \"performed_event\", \"time_value\": 1, \"time_interval\": \"day\"}]}}}")
                .get("id").asLong();
        long otherOrg = server.sightline().meta().createOrganization("Globex");
        Project theirs = server.sightline().meta().createProject(otherOrg, "Globex site", "phc_globex" + System.nanoTime(), "UTC");
        server.sightline().accounts().createUser(otherOrg, "hank@globex.example", "Hank", "correct horse battery", Role.ADMIN);
        WebClient hank = new WebClient(server.baseUrl());
        hank.signIn("hank@globex.example", "correct horse battery");
        String base = "/api/projects/" + server.projectId() + "/cohorts/";
        assertThat(hank.get(base).statusCode()).isEqualTo(403);
        assertThat(hank.get(base + ours + "/").statusCode()).isEqualTo(403);
        assertThat(hank.get(base + ours + "/persons/").statusCode()).isEqualTo(403);
        // through their own project the id names nothing
        String theirBase = "/api/projects/" + theirs.id() + "/cohorts/";
        assertThat(hank.get(theirBase + ours + "/").statusCode()).isEqualTo(404);
        assertThat(hank.json(hank.get(theirBase)).get("results")).isEmpty();
        HttpResponse<String> q = hank.send("POST", "/api/projects/" + theirs.id() + "/query/",
                "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"kind\": \"EventsNode\", \"event\": \"$pageview\"}], "
                        + "\"properties\": [{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + ours + "}]}}");
        assertThat(q.statusCode()).as(q.body()).isEqualTo(400);
        assertThat(q.body()).contains("does not exist");
    }

    /** A multipart form as the web app and PostHog's send it: {@code name}, {@code is_static}, and the file in {@code csv}. */
    HttpResponse<String> upload(String method, String path, String name, String csv) {
        String boundary = "----sightline" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        if (name != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n").append(name).append("\r\n");
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"is_static\"\r\n\r\ntrue\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"members.csv\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n");
        body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        body.writeBytes(csv.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + server.personalKey())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }
}
