package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Insights and dashboards in Debian's chromium (e2e/insights.mjs, playwright-core) against a real
 * server with demo data: one insight of each kind built by clicking, its numbers (the chart's table
 * view) equal to the query API's answer for the query in the address bar, the persons behind a
 * funnel drop-off equal to the API's, all saved to a dashboard; then, after a restart, the dashboard
 * shows the same numbers, and a dashboard date range changes every tile to the API's new answer.
 * No console errors; screenshots of every kind, light and dark, in target/screenshots/.
 */
class InsightsBrowserTest {
    static final Path SCREENSHOTS = BrowserDemo.SCREENSHOTS;

    @Test
    void everyInsightIsBuiltByClickingSavedToADashboardAndShownAgainAfterARestart() throws Exception {
        Path data = BrowserDemo.demoData("sightline-insights", 21);
        try (TestServer server = TestServer.start(data)) {
            String email = "analyst@example.com";
            String password = "a long password for insights";
            Project demo = BrowserDemo.withUser(server, email, "Ana", password);
            String project = Long.toString(demo.id());

            JsonNode build = SdkScript.run("insights.mjs", Duration.ofMinutes(8), "build", server.baseUrl(), email, password, project, SCREENSHOTS.toString());
            assertThat(build.get("consoleErrors")).as("errors in the browser console while building").isEmpty();

            // a slow answer shows its time and can be cancelled; a refused question shows the engine's words
            assertThat(build.at("/slow/elapsedShown").asText()).matches("Calculating… \\d+\\.\\d s");
            assertThat(build.at("/slow/cancelledThenAnswered").asBoolean()).isTrue();
            assertThat(build.at("/refused/words").asText()).containsIgnoringCase("stepLimit");
            // every kind built by clicking shows the query API's numbers for the query in the address bar
            assertThat(build.get("kinds").size()).isGreaterThanOrEqualTo(8);
            for (Iterator<Map.Entry<String, JsonNode>> it = build.get("kinds").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> kind = it.next();
                assertThat(kind.getValue().get("equal").asBoolean()).as(kind.getKey() + ": the table equals the API's answer").isTrue();
                assertThat(kind.getValue().get("rows").asInt()).as(kind.getKey() + ": rows").isPositive();
            }
            assertThat(build.get("kinds").findValuesAsText("kind")).contains("TrendsQuery", "FunnelsQuery", "RetentionQuery", "PathsQuery",
                    "StickinessQuery", "LifecycleQuery");

            // the persons behind a funnel drop-off are the API's, and as many as the chart says
            JsonNode dropOff = build.at("/drill/funnelDropOff");
            assertThat(dropOff.get("value").asInt()).isPositive();
            assertThat(dropOff.get("persons").asInt()).isEqualTo(dropOff.get("value").asInt()).isEqualTo(dropOff.get("apiPersons").asInt());
            assertThat(dropOff.get("samePersons").asBoolean()).isTrue();
            assertThat(dropOff.get("csvRows").asInt()).as("rows of the exported CSV").isEqualTo(dropOff.get("value").asInt());
            // a day of unique persons and a lifecycle bar open exactly the persons they count
            assertThat(build.at("/drill/trends/persons").asInt()).isEqualTo(build.at("/drill/trends/value").asInt()).isPositive();
            assertThat(build.at("/drill/lifecycleDormant/persons").asInt()).isEqualTo(build.at("/drill/lifecycleDormant/value").asInt()).isPositive();
            if (build.at("/drill/retention").isObject()) {
                assertThat(build.at("/drill/retention/persons").asInt()).isEqualTo(build.at("/drill/retention/value").asInt());
            }
            if (build.at("/drill/stickiness").isObject()) {
                assertThat(build.at("/drill/stickiness/persons").asInt()).isEqualTo(build.at("/drill/stickiness/apiPersons").asInt()).isPositive();
            }

            // the six insights are saved on the new dashboard; its tiles show the API's numbers for each
            long dashboardId = build.get("dashboardId").asLong();
            String api = "/api/projects/" + demo.id();
            JsonNode dashboard = server.getJson(api + "/dashboards/" + dashboardId + "/");
            assertThat(dashboard.get("tiles").findValues("insight").stream().filter(JsonNode::isObject).count()).isEqualTo(6);
            assertThat(build.at("/tiles/equal").asBoolean()).as("dashboard tiles equal GET insights/:id/?from_dashboard=").isTrue();
            assertThat(build.at("/tiles/shown").size()).isEqualTo(6);
            // the text tile rendered its markdown and none of its HTML ran
            assertThat(build.at("/textTile/bold").asText()).isEqualTo("kind");
            assertThat(build.at("/textTile/scripts").asInt()).isZero();
            assertThat(build.at("/textTile/handlers").asInt()).isZero();
            assertThat(build.at("/textTile/javascriptLinks").asInt()).isZero();
            assertThat(build.at("/textTile/injected").isNull()).isTrue();
            // the insight saved as a favourite is among the favourites
            assertThat(build.get("favorites").toString()).contains(build.at("/savedInsights/lifecycle").asText())
                    .doesNotContain(build.at("/savedInsights/trends").asText());
            // a tile dragged in the page is stored where it was dropped
            assertThat(build.at("/moved/after")).isNotEqualTo(build.at("/moved/before"));

            Path buildFile = Files.createTempFile("sightline-insights-build", ".json");
            Files.writeString(buildFile, build.toString());
            server.restart();

            JsonNode reopen = SdkScript.run("insights.mjs", Duration.ofMinutes(6), "reopen", server.baseUrl(), email, password, project,
                    SCREENSHOTS.toString(), buildFile.toString());
            assertThat(reopen.get("consoleErrors")).as("errors in the browser console after the restart").isEmpty();
            assertThat(reopen.at("/afterRestart/equal").asBoolean()).as("the same numbers after a restart").isTrue();
            // a dashboard date range reaches every tile: each changes, to the API's answer with that range
            assertThat(reopen.at("/filtered/filters/date_from").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(reopen.at("/filtered/equal").asBoolean()).as("tiles equal the API with the dashboard's range").isTrue();
            for (Iterator<Map.Entry<String, JsonNode>> it = reopen.at("/filtered/changed").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> tile = it.next();
                assertThat(tile.getValue().asBoolean()).as("tile " + tile.getKey() + " changed with the dashboard's range").isTrue();
            }
            assertThat(reopen.get("productOverview").asBoolean()).as("the demo's Product overview dashboard").isTrue();
            // a duplicate has the same tiles and filters; deleting it leaves the original
            assertThat(reopen.at("/duplicate/tiles").asInt()).isEqualTo(reopen.at("/duplicate/originalTiles").asInt()).isEqualTo(7);
            assertThat(reopen.at("/duplicate/filters")).isEqualTo(reopen.at("/filtered/filters"));
            assertThat(reopen.at("/duplicate/deleted").asBoolean()).isTrue();
            assertThat(server.get(api + "/dashboards/" + dashboardId + "/").statusCode()).isEqualTo(200);

            for (JsonNode run : new JsonNode[] {build, reopen}) {
                for (JsonNode shot : run.get("screenshots")) {
                    assertThat(SCREENSHOTS.resolve(shot.asText())).as("screenshot kept").isRegularFile();
                }
            }
            assertThat(build.get("screenshots").toString()).contains("insights-trends.png", "insights-funnel.png", "insights-retention.png",
                    "insights-paths.png", "insights-stickiness.png", "insights-lifecycle.png", "insights-trends-dark.png");
            Files.deleteIfExists(buildFile);
        }
    }
}
