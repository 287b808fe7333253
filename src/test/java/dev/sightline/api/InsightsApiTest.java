package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * Saved insights and dashboards over real HTTP into DuckDB, in PostHog's shapes: CRUD, results
 * kept with the insight, dashboards with insight and text tiles, dashboard filters that change
 * every tile, duplicate, delete, everything kept across a restart, and no project reading another's.
 */
class InsightsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRENDS = """
            {"kind":"TrendsQuery","series":[{"kind":"EventsNode","event":"signed up","math":"total"}],"interval":"day","dateRange":{"date_from":"-7d"}}""";

    static JsonNode read(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Five sign-ups today, three with plan pro, on Chrome; two on Firefox. */
    static void traffic(TestServer server) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        StringBuilder b = new StringBuilder("{\"api_key\":\"" + server.token() + "\",\"batch\":[");
        for (int i = 0; i < 5; i++) {
            if (i > 0) b.append(',');
            b.append("{\"event\":\"signed up\",\"distinct_id\":\"u").append(i).append("\",\"timestamp\":\"").append(now.plusSeconds(i))
                    .append("\",\"properties\":{\"$browser\":\"").append(i < 3 ? "Chrome" : "Firefox").append("\"}}");
        }
        b.append("]}");
        assertThat(server.post("/batch/", "application/json", b.toString().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    static long total(JsonNode result) {
        long sum = 0;
        for (JsonNode series : result) for (JsonNode v : series.get("data")) sum += v.asLong();
        return sum;
    }

    @Test
    void insightsAndDashboardsInPostHogsShapesKeptAcrossARestart() {
        try (TestServer server = TestServer.start()) {
            traffic(server);
            String api = "/api/projects/" + server.projectId();

            HttpResponse<String> created = server.api("POST", api + "/insights/",
                    "{\"name\":\"Sign-ups\",\"description\":\"per day\",\"tags\":[\"growth\"],\"query\":" + TRENDS + "}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode insight = read(created);
            long id = insight.get("id").asLong();
            String shortId = insight.get("short_id").asText();
            assertThat(shortId).hasSize(8);
            assertThat(insight.get("tags")).extracting(JsonNode::asText).containsExactly("growth");
            assertThat(insight.get("dashboards")).isEmpty();
            assertThat(insight.get("favorited").asBoolean()).isFalse();

            // its result is computed on first read and kept with the insight
            JsonNode computed = server.getJson(api + "/insights/" + id + "/");
            assertThat(total(computed.get("result"))).isEqualTo(5);
            assertThat(computed.get("last_refresh").asText()).isNotEmpty();
            assertThat(server.getJson(api + "/insights/?short_id=" + shortId).get("results")).hasSize(1);

            HttpResponse<String> patched = server.api("PATCH", api + "/insights/" + id + "/", "{\"favorited\":true,\"name\":\"Daily sign-ups\"}");
            assertThat(read(patched).get("name").asText()).isEqualTo("Daily sign-ups");
            assertThat(server.getJson(api + "/insights/?favorited=true").get("count").asLong()).isEqualTo(1);
            assertThat(server.getJson(api + "/insights/?search=daily").get("count").asLong()).isEqualTo(1);
            assertThat(server.getJson(api + "/insights/?search=nothing").get("count").asLong()).isZero();
            assertThat(total(server.getJson(api + "/insights/" + id + "/").get("result"))).as("a rename keeps the kept result").isEqualTo(5);

            // a new query forgets the result kept for the old one
            String chromeOnly = TRENDS.replace("\"math\":\"total\"}", "\"math\":\"total\",\"properties\":[{\"key\":\"$browser\",\"value\":\"Chrome\",\"operator\":\"exact\",\"type\":\"event\"}]}");
            server.api("PATCH", api + "/insights/" + id + "/", "{\"query\":" + chromeOnly + "}");
            assertThat(total(server.getJson(api + "/insights/" + id + "/").get("result"))).as("computed for the new query").isEqualTo(3);
            server.api("PATCH", api + "/insights/" + id + "/", "{\"query\":" + TRENDS + "}");
            assertThat(total(server.getJson(api + "/insights/" + id + "/").get("result"))).isEqualTo(5);

            // a dashboard; the insight placed on it; a text tile
            JsonNode dash = read(server.api("POST", api + "/dashboards/", "{\"name\":\"Morning\",\"description\":\"daily look\"}"));
            long dashId = dash.get("id").asLong();
            server.api("PATCH", api + "/insights/" + id + "/", "{\"dashboards\":[" + dashId + "]}");
            HttpResponse<String> withText = server.api("PATCH", api + "/dashboards/" + dashId + "/", "{\"tiles\":[{\"text\":{\"body\":\"# Hello\"}}]}");
            assertThat(withText.statusCode()).as(withText.body()).isEqualTo(200);
            JsonNode full = server.getJson(api + "/dashboards/" + dashId + "/");
            assertThat(full.get("tiles")).hasSize(2);
            JsonNode insightTile = full.get("tiles").get(0);
            assertThat(insightTile.at("/insight/id").asLong()).isEqualTo(id);
            assertThat(insightTile.at("/layouts/sm/w").asInt()).isPositive();
            assertThat(full.at("/tiles/1/text/body").asText()).isEqualTo("# Hello");
            assertThat(server.getJson(api + "/insights/" + id + "/").get("dashboards")).extracting(JsonNode::asLong).containsExactly(dashId);

            // move and resize a tile
            long tileId = insightTile.get("id").asLong();
            server.api("PATCH", api + "/dashboards/" + dashId + "/",
                    "{\"tiles\":[{\"id\":" + tileId + ",\"layouts\":{\"sm\":{\"x\":0,\"y\":3,\"w\":12,\"h\":6}}}]}");
            assertThat(server.getJson(api + "/dashboards/" + dashId + "/").at("/tiles/0/layouts/sm/w").asInt()).isEqualTo(12);

            // dashboard filters change the tile: only Chrome
            server.api("PATCH", api + "/dashboards/" + dashId + "/",
                    "{\"filters\":{\"properties\":[{\"key\":\"$browser\",\"value\":\"Chrome\",\"operator\":\"exact\",\"type\":\"event\"}]}}");
            JsonNode onDashboard = server.getJson(api + "/insights/" + id + "/?from_dashboard=" + dashId);
            assertThat(total(onDashboard.get("result"))).isEqualTo(3);
            assertThat(total(server.getJson(api + "/insights/" + id + "/").get("result"))).as("the insight alone keeps its own answer").isEqualTo(5);

            // a tile shows its kept answer at once while it is fresh (TileAnswers); refresh computes it again
            assertThat(onDashboard.get("refreshing").asBoolean()).isFalse();
            traffic(server);
            JsonNode kept = server.getJson(api + "/insights/" + id + "/?from_dashboard=" + dashId);
            assertThat(total(kept.get("result"))).as("the kept answer, computed under a minute ago").isEqualTo(3);
            assertThat(kept.get("is_cached").asBoolean()).isTrue();
            assertThat(kept.get("last_refresh").asText()).isEqualTo(onDashboard.get("last_refresh").asText());
            JsonNode refreshed = server.getJson(api + "/insights/" + id + "/?from_dashboard=" + dashId + "&refresh=true");
            assertThat(total(refreshed.get("result"))).as("refresh counts the new events").isEqualTo(6);
            assertThat(total(server.getJson(api + "/insights/" + id + "/?from_dashboard=" + dashId).get("result"))).isEqualTo(6);

            // duplicate
            JsonNode copy = read(server.api("POST", api + "/dashboards/", "{\"name\":\"Morning (copy)\",\"use_dashboard\":" + dashId + "}"));
            assertThat(copy.get("tiles")).hasSize(2);
            assertThat(copy.get("filters").get("properties")).hasSize(1);

            server.restart();
            JsonNode again = server.getJson(api + "/dashboards/" + dashId + "/");
            assertThat(again.get("tiles")).hasSize(2);
            assertThat(again.at("/tiles/0/layouts/sm/w").asInt()).isEqualTo(12);
            assertThat(server.getJson(api + "/insights/" + id + "/").get("name").asText()).isEqualTo("Daily sign-ups");
            assertThat(server.getJson(api + "/dashboards/").get("results")).hasSize(2);

            // deleting the insight takes it off every dashboard; deleting a dashboard hides it
            assertThat(server.api("DELETE", api + "/insights/" + id + "/", null).statusCode()).isEqualTo(204);
            assertThat(server.get(api + "/insights/" + id + "/").statusCode()).isEqualTo(404);
            assertThat(server.getJson(api + "/dashboards/" + dashId + "/").get("tiles")).hasSize(1);
            assertThat(server.api("DELETE", api + "/dashboards/" + copy.get("id").asLong() + "/", null).statusCode()).isEqualTo(204);
            assertThat(server.getJson(api + "/dashboards/").get("results")).hasSize(1);
        }
    }

    @Test
    void anInsightSavedRightAfterTheBuilderRanItsQueryKeepsThatAnswer() {
        try (TestServer server = TestServer.start()) {
            traffic(server);
            String api = "/api/projects/" + server.projectId();
            // what the builder does: run the query, then save it
            HttpResponse<String> ran = server.api("POST", api + "/query/", "{\"query\":" + TRENDS + "}");
            assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
            JsonNode saved = read(server.api("POST", api + "/insights/", "{\"name\":\"Sign-ups\",\"query\":" + TRENDS + "}"));
            assertThat(saved.get("last_refresh").isNull()).as("kept at once").isFalse();
            assertThat(total(saved.get("result"))).isEqualTo(5);
            // a query nobody ran is not computed on save
            String other = TRENDS.replace("-7d", "-14d");
            JsonNode unsaved = read(server.api("POST", api + "/insights/", "{\"name\":\"Two weeks\",\"query\":" + other + "}"));
            assertThat(unsaved.get("last_refresh").isNull()).isTrue();
        }
    }

    @Test
    void badInputIsA400NamingTheField() {
        try (TestServer server = TestServer.start()) {
            String api = "/api/projects/" + server.projectId();
            record Case(String method, String path, String body, String attr) {}
            long dash = read(server.api("POST", api + "/dashboards/", "{\"name\":\"D\"}")).get("id").asLong();
            for (Case c : new Case[] {
                    new Case("POST", "/insights/", "{\"name\":\"no query\"}", "query"),
                    new Case("POST", "/insights/", "{\"query\":{\"kind\":\"MagicQuery\"}}", "kind"),
                    new Case("POST", "/insights/", "{\"query\":" + TRENDS + ",\"tags\":\"growth\"}", "tags"),
                    new Case("POST", "/insights/", "{\"query\":" + TRENDS + ",\"favorited\":\"yes\"}", "favorited"),
                    new Case("POST", "/insights/", "{\"query\":" + TRENDS + ",\"dashboards\":[999]}", "dashboards"),
                    new Case("POST", "/insights/", "not json", "body"),
                    new Case("POST", "/dashboards/", "{\"description\":\"no name\"}", "name"),
                    new Case("PATCH", "/dashboards/" + dash + "/", "{\"filters\":[1]}", "filters"),
                    new Case("PATCH", "/dashboards/" + dash + "/", "{\"tiles\":[{\"id\":12345}]}", "tiles"),
                    new Case("PATCH", "/dashboards/" + dash + "/", "{\"refresh_interval\":\"often\"}", "refresh_interval")}) {
                HttpResponse<String> r = server.api(c.method(), api + c.path(), c.body());
                assertThat(r.statusCode()).as(c + " " + r.body()).isEqualTo(400);
                assertThat(read(r).get("attr").asText()).as(c.toString()).isEqualTo(c.attr());
            }
            assertThat(server.getJson(api + "/insights/").get("count").asLong()).as("nothing half-made").isZero();
        }
    }

    @Test
    void anotherProjectsInsightsAndDashboardsAreNeverReadable() {
        try (TestServer server = TestServer.start()) {
            String api = "/api/projects/" + server.projectId();
            long id = read(server.api("POST", api + "/insights/", "{\"name\":\"mine\",\"query\":" + TRENDS + "}")).get("id").asLong();
            long dash = read(server.api("POST", api + "/dashboards/", "{\"name\":\"mine\"}")).get("id").asLong();
            // a second project of the same organization: ids of the first are not found through it
            Project other = server.sightline().meta().createProject(1, "Other", "phc_other_" + System.nanoTime(), "UTC");
            String otherApi = "/api/projects/" + other.id();
            assertThat(server.get(otherApi + "/insights/" + id + "/").statusCode()).isEqualTo(404);
            assertThat(server.get(otherApi + "/dashboards/" + dash + "/").statusCode()).isEqualTo(404);
            assertThat(server.getJson(otherApi + "/insights/").get("count").asLong()).isZero();
            assertThat(server.api("PATCH", otherApi + "/insights/" + id + "/", "{\"name\":\"stolen\"}").statusCode()).isEqualTo(404);
            assertThat(server.api("PATCH", api + "/insights/" + id + "/", "{\"dashboards\":[]}").statusCode()).isEqualTo(200);
            // a dashboard of the other project cannot receive this project's insight
            long theirs = read(server.api("POST", otherApi + "/dashboards/", "{\"name\":\"theirs\"}")).get("id").asLong();
            assertThat(server.api("PATCH", api + "/insights/" + id + "/", "{\"dashboards\":[" + theirs + "]}").statusCode()).isEqualTo(400);
            assertThat(server.getJson(api + "/insights/" + id + "/").get("name").asText()).isEqualTo("mine");
        }
    }
}
