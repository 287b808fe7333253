package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.account.Role;
import dev.sightline.testing.TestServer;
import dev.sightline.testing.WebClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The usage API over HTTP against a real server: counts equal what the store holds, by kind and
 * month (the event's own timestamp, UTC); billing limits drop exactly the events over them, across
 * restarts; limits and prices need an administrator.
 */
class UsageApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode event(String name, String distinctId, String timestamp, boolean personless, String lib) {
        ObjectNode e = JSON.createObjectNode();
        e.put("event", name);
        e.put("distinct_id", distinctId);
        e.put("uuid", UUID.randomUUID().toString());
        e.put("timestamp", timestamp);
        ObjectNode props = e.putObject("properties");
        if (personless) props.put("$process_person_profile", false);
        if (lib != null) props.put("$lib", lib);
        return e;
    }

    private static void send(TestServer server, List<ObjectNode> events) {
        ObjectNode body = JSON.createObjectNode();
        body.put("api_key", server.token());
        ArrayNode batch = body.putArray("batch");
        events.forEach(batch::add);
        HttpResponse<String> r = server.post("/batch/", "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        // as PostHog's capture: a batch partly or wholly over a billing limit is still answered 200 {"status": 1}
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":1}");
    }

    private static HttpResponse<String> patch(TestServer server, String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Stored events by "month usage_class", read from the database file with the server stopped. */
    private static Map<String, Long> stored(TestServer server) throws Exception {
        server.sightline().close();
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + server.dataDir().resolve("sightline.duckdb"));
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT strftime(timestamp, '%Y-%m') || ' ' || usage_class, count(*) FROM events GROUP BY ALL")) {
            while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
        } finally {
            server.restart();
        }
        return counts;
    }

    private static long count(JsonNode usage, String kind) {
        return usage.at("/counts/" + kind).asLong();
    }

    @Test
    void countsEqualWhatTheStoreHoldsOnBothSidesOfAMonthStart() throws Exception {
        try (TestServer server = TestServer.start()) {
            String before = "2025-12-31T23:59:59.999Z";
            String after = "2026-01-01T00:00:00Z";
            send(server, List.of(
                    event("$pageview", "anon-1", before, true, "web"),
                    event("$pageview", "anon-1", after, true, "web"),
                    event("$pageview", "anon-2", after, true, "web"),
                    event("signed up", "user-1", before, false, "posthog-node"),
                    event("signed up", "user-2", after, false, "posthog-node"),
                    event("plan changed", "user-2", after, false, "posthog-node"),
                    event("$feature_flag_called", "user-2", after, false, "posthog-node"),
                    event("$exception", "anon-1", after, true, "web"),
                    event("$ai_generation", "user-2", before, false, null),
                    event("survey shown", "anon-2", after, true, "web")));
            JsonNode dec = server.getJson("/api/projects/" + server.projectId() + "/usage/?month=2025-12");
            JsonNode jan = server.getJson("/api/projects/" + server.projectId() + "/usage/?month=2026-01");
            Map<String, Long> store = stored(server);
            for (String kind : List.of("identified", "anonymous", "not_billed")) {
                assertThat(count(dec, kind)).as("December " + kind).isEqualTo(store.getOrDefault("2025-12 " + kind, 0L));
                assertThat(count(jan, kind)).as("January " + kind).isEqualTo(store.getOrDefault("2026-01 " + kind, 0L));
            }
            assertThat(count(dec, "identified") + count(dec, "anonymous") + count(dec, "not_billed")).isEqualTo(3);
            assertThat(count(jan, "anonymous")).isEqualTo(2);
            assertThat(count(jan, "identified")).isEqualTo(2);
            assertThat(count(jan, "not_billed")).isEqualTo(3);

            assertThat(dec.at("/daily/30/date").asText()).isEqualTo("2025-12-31");
            assertThat(dec.at("/daily/30/anonymous").asLong()).isEqualTo(1);
            assertThat(jan.at("/daily/0/identified").asLong()).isEqualTo(2);
            assertThat(jan.get("daily")).hasSize(31);
            assertThat(jan.at("/top_events/identified/0/event").asText()).isIn("plan changed", "signed up");
            assertThat(jan.at("/top_events/not_billed")).extracting(e -> e.get("event").asText())
                    .containsExactlyInAnyOrder("$feature_flag_called", "$exception", "survey shown");
            Map<String, JsonNode> libs = new HashMap<>();
            jan.get("libraries").forEach(l -> libs.put(l.get("lib").asText(), l));
            assertThat(libs.get("web").get("anonymous").asLong()).isEqualTo(2);
            assertThat(libs.get("posthog-node").get("identified").asLong()).isEqualTo(2);
            assertThat(libs.get("posthog-node").get("not_billed").asLong()).isEqualTo(1);
            // a month that is over: complete, a past month projects to what it has
            assertThat(jan.get("complete").asBoolean()).isTrue();
            assertThat(jan.at("/projected/counts/identified").asLong()).isEqualTo(2);
            // far below the free million: nothing to pay
            assertThat(jan.at("/cost/total").decimalValue()).isZero();
            assertThat(jan.at("/prices/identified/tiers/1/price").asText()).isEqualTo("0.000248");
            assertThat(jan.at("/prices/anonymous/free_events").asLong()).isEqualTo(1_000_000);

            // the events API agrees (its "after" is exclusive): every stored January event is counted once
            JsonNode listed = server.getJson("/api/projects/" + server.projectId() + "/events/?after=2025-12-31T23:59:59.999900Z&before=2026-02-01T00:00:00Z&limit=100");
            assertThat(listed.get("results")).hasSize((int) (count(jan, "identified") + count(jan, "anonymous") + count(jan, "not_billed")));
        }
    }

    @Test
    void aRetriedBatchIsCountedOnce() throws Exception {
        try (TestServer server = TestServer.start()) {
            List<ObjectNode> batch = List.of(event("a", "u", "2026-03-02T10:00:00Z", false, "posthog-node"),
                    event("b", "v", "2026-03-02T10:00:00Z", true, "posthog-node"));
            send(server, batch);
            send(server, batch);
            server.restart();
            send(server, batch);
            JsonNode usage = server.getJson("/api/projects/" + server.projectId() + "/usage/?month=2026-03");
            assertThat(count(usage, "identified")).isEqualTo(1);
            assertThat(count(usage, "anonymous")).isEqualTo(1);
        }
    }

    @Test
    void aLimitReachedInTheMiddleOfABatchDropsExactlyTheEventsOverItAcrossRestarts() throws Exception {
        try (TestServer server = TestServer.start()) {
            String api = "/api/projects/" + server.projectId();
            HttpResponse<String> set = patch(server, api + "/billing_limits/", "{\"identified\": 5}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            String ts = Instant.now().toString();
            // 3 identified now, then a batch with 4 more (the 2 over the limit dropped) among anonymous and not billed ones
            send(server, List.of(event("i", "u1", ts, false, "web"), event("i", "u1", ts, false, "web"), event("i", "u1", ts, false, "web")));
            JsonNode warned = server.getJson(api + "/usage/");
            assertThat(warned.at("/limits/0/state").asText()).isEqualTo("ok");
            ObjectNode limited = event("$identify", "u3", ts, false, "web");
            limited.putObject("$set").put("plan", "over the limit");
            send(server, List.of(event("a", "anon", ts, true, "web"), event("i", "u2", ts, false, "web"),
                    event("$feature_flag_called", "u2", ts, false, "web"), event("i", "u2", ts, false, "web"),
                    limited, event("a", "anon", ts, true, "web"), event("i", "u2", ts, false, "web")));
            JsonNode usage = server.getJson(api + "/usage/");
            assertThat(count(usage, "identified")).isEqualTo(5);
            assertThat(count(usage, "dropped_identified")).isEqualTo(2);
            assertThat(count(usage, "anonymous")).isEqualTo(2);
            assertThat(count(usage, "not_billed")).isEqualTo(1);
            assertThat(usage.at("/limits/0/kind").asText()).isEqualTo("identified");
            assertThat(usage.at("/limits/0/state").asText()).isEqualTo("reached");
            assertThat(usage.at("/limits/0/dropped").asLong()).isEqualTo(2);
            assertThat(usage.at("/limits/1/state").asText()).isEqualTo("none");
            assertThat(usage.at("/warnings/0/message").asText()).startsWith("Identified events reached the monthly limit of 5: 2 more were dropped.");
            // the refused $identify changed no person: it never reached person processing
            HttpResponse<String> person = server.get(api + "/persons/?distinct_id=u3");
            assertThat(person.body()).doesNotContain("over the limit");

            server.restart();
            send(server, List.of(event("i", "u4", ts, false, "web"), event("a", "anon", ts, true, "web")));
            usage = server.getJson(api + "/usage/");
            assertThat(count(usage, "identified")).isEqualTo(5);
            assertThat(count(usage, "dropped_identified")).isEqualTo(3);
            assertThat(count(usage, "anonymous")).isEqualTo(3);
            Map<String, Long> store = stored(server);
            String month = ts.substring(0, 7);
            assertThat(store).containsEntry(month + " identified", 5L).containsEntry(month + " anonymous", 3L)
                    .containsEntry(month + " not_billed", 1L);

            // a higher limit lets events in again; 80% of it is a warning
            assertThat(patch(server, api + "/billing_limits/", "{\"identified\": 7}").statusCode()).isEqualTo(200);
            send(server, List.of(event("i", "u5", ts, false, "web")));
            usage = server.getJson(api + "/usage/");
            assertThat(count(usage, "identified")).isEqualTo(6);
            assertThat(usage.at("/limits/0/state").asText()).isEqualTo("warning");
            assertThat(usage.at("/warnings/0/message").asText()).isEqualTo("Identified events: 86% of the monthly limit of 7 used.");
            assertThat(patch(server, api + "/billing_limits/", "{\"identified\": null}").statusCode()).isEqualTo(200);
            assertThat(server.getJson(api + "/billing_limits/").at("/limits/0/limit").isNull()).isTrue();
        }
    }

    @Test
    void aPersonlessEventOfAKnownPersonBillsAsIdentifiedAndFollowsThatLimit() {
        try (TestServer server = TestServer.start()) {
            String api = "/api/projects/" + server.projectId();
            Instant now = Instant.now();
            send(server, List.of(event("signed up", "known", now.minusSeconds(600).toString(), false, "posthog-node")));
            assertThat(patch(server, api + "/billing_limits/", "{\"identified\": 1, \"anonymous\": 0}").statusCode()).isEqualTo(200);
            // personless, but its distinct id has had a person for ten minutes: force_upgrade, identified, over that limit
            send(server, List.of(event("viewed", "known", now.toString(), true, "posthog-node"),
                    event("viewed", "stranger", now.toString(), true, "posthog-node")));
            JsonNode usage = server.getJson(api + "/usage/?month=" + now.toString().substring(0, 7));
            assertThat(count(usage, "identified")).isEqualTo(1);
            assertThat(count(usage, "dropped_identified")).isEqualTo(1);
            assertThat(count(usage, "dropped_anonymous")).isEqualTo(1);
            assertThat(count(usage, "anonymous")).isZero();
        }
    }

    @Test
    void limitsAndPricesAreForAdministratorsAndChecked() {
        try (TestServer server = TestServer.start()) {
            String api = "/api/projects/" + server.projectId();
            for (String bad : List.of("{\"identified\": -1}", "{\"identified\": 1.5}", "{\"anonymous\": \"lots\"}", "[]")) {
                HttpResponse<String> r = patch(server, api + "/billing_limits/", bad);
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
            }
            assertThat(server.get(api + "/usage/?month=2026-13").statusCode()).isEqualTo(400);

            server.sightline().accounts().createUser(1, "member@example.com", "Mem", "a good password", Role.MEMBER);
            WebClient member = new WebClient(server.baseUrl());
            member.signIn("member@example.com", "a good password");
            assertThat(member.get(api + "/usage/").statusCode()).isEqualTo(200);
            assertThat(member.send("PATCH", api + "/billing_limits/", "{\"identified\": 10}").statusCode()).isEqualTo(403);
            assertThat(member.send("PATCH", "/api/organizations/@current/billing/", "{\"prices\": null}").statusCode()).isEqualTo(403);

            // an organization's own prices: no free allowance, a flat price
            String flat = "{\"prices\": {\"anonymous\": [{\"up_to\": null, \"price\": \"0.001\"}]}}";
            HttpResponse<String> r = patch(server, "/api/organizations/@current/billing/", flat);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode billing = server.getJson("/api/organizations/@current/billing/");
            assertThat(billing.get("default").asBoolean()).isFalse();
            assertThat(billing.at("/prices/anonymous/tiers/0/price").asText()).isEqualTo("0.001");
            assertThat(billing.at("/prices/identified/tiers/1/price").asText()).isEqualTo("0.000248");
            send(server, List.of(event("a", "x", "2026-04-10T00:00:00Z", true, "web"), event("a", "y", "2026-04-10T00:00:00Z", true, "web")));
            JsonNode usage = server.getJson(api + "/usage/?month=2026-04");
            assertThat(usage.at("/cost/anonymous").decimalValue()).isEqualByComparingTo("0.00"); // $0.002, to the cent
            assertThat(server.getJson("/api/organizations/@current/usage/?month=2026-04").at("/counts/anonymous").asLong()).isEqualTo(2);
            for (String bad : List.of("{\"prices\": {\"anonymous\": [{\"up_to\": 10, \"price\": \"0\"}]}}",
                    "{\"prices\": {\"anonymous\": [{\"up_to\": null, \"price\": \"-1\"}]}}",
                    "{\"prices\": {\"anonymous\": [{\"up_to\": null, \"price\": \"cheap\"}]}}", "{}")) {
                assertThat(patch(server, "/api/organizations/@current/billing/", bad).statusCode()).as(bad).isEqualTo(400);
            }
            assertThat(patch(server, "/api/organizations/@current/billing/", "{\"prices\": null}").statusCode()).isEqualTo(200);
            assertThat(server.getJson("/api/organizations/@current/billing/").get("default").asBoolean()).isTrue();
        }
    }
}
