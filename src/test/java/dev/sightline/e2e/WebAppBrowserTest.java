package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The web app in Debian's chromium (e2e/webapp.mjs, playwright-core), against a real server with
 * demo data: set-up of the first user, persons, a merged profile, split, property edits, keys,
 * deletion, live events sent by posthog-js from another page, every page without a console error.
 * The script drives the pages as a person would and reports what it saw; this test then checks
 * the server's own state through the API. Screenshots are kept in target/screenshots/.
 */
class WebAppBrowserTest {
    static final Path SCREENSHOTS = BrowserDemo.SCREENSHOTS;

    @Test
    void aNewUserSetsUpSightlineAndWorksWithPersonsAndEvents() throws Exception {
        Path data = BrowserDemo.demoData("sightline-webapp", 14);
        try (TestServer server = TestServer.start(data)) {
            Project demo = BrowserDemo.demoProject(server);
            String code = server.sightline().accounts().setupCode().orElseThrow();
            JsonNode run = SdkScript.run("webapp.mjs", Duration.ofMinutes(6), server.baseUrl(), code, Long.toString(demo.id()), demo.token(),
                    SCREENSHOTS.toString());

            assertThat(run.get("consoleErrors")).as("errors in the browser console").isEmpty();
            List<String> visited = new ArrayList<>();
            run.get("pagesVisited").forEach(p -> visited.add(p.asText()));
            assertThat(visited).anyMatch(p -> p.startsWith("/setup")).anyMatch(p -> p.startsWith("/login"))
                    .anyMatch(p -> p.matches("/project/\\d+/persons.*")).anyMatch(p -> p.matches("/project/\\d+/person/.+"))
                    .anyMatch(p -> p.matches("/project/\\d+/events.*")).anyMatch(p -> p.matches("/project/\\d+/settings.*"));
            for (JsonNode shot : run.get("screenshots")) {
                assertThat(SCREENSHOTS.resolve(shot.asText())).as("screenshot kept").isRegularFile();
            }

            String api = "/api/projects/" + demo.id();
            // the merged person's timeline held events from before sign-up, under another distinct id
            JsonNode merged = run.get("mergedTimeline");
            assertThat(merged.get("eventsBeforeSignUp").asInt()).isPositive();
            JsonNode mergedPerson = server.getJson(api + "/persons/" + merged.get("person").asText() + "/");
            assertThat(mergedPerson.get("distinct_ids")).extracting(JsonNode::asText).contains(merged.get("anonymousDistinctId").asText());

            // the split left two persons, each with its own distinct ids
            JsonNode split = run.get("split");
            assertThat(split.get("persons")).hasSizeGreaterThanOrEqualTo(2);
            List<String> idsAfter = new ArrayList<>();
            for (JsonNode uuid : split.get("persons")) {
                JsonNode p = server.getJson(api + "/persons/" + uuid.asText() + "/");
                p.get("distinct_ids").forEach(id -> idsAfter.add(id.asText()));
            }
            assertThat(idsAfter).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(2);

            // the property added in the page is stored; the one deleted is gone
            JsonNode property = run.get("property");
            JsonNode edited = server.getJson(api + "/persons/" + property.get("person").asText() + "/").get("properties");
            assertThat(edited.path(property.get("added").asText()).asText()).isEqualTo(property.get("value").asText());
            assertThat(edited.has(property.get("deleted").asText())).isFalse();

            // the revoked key was refused on its next call
            assertThat(run.at("/revokedKey/statusBeforeRevoke").asInt()).isEqualTo(200);
            assertThat(run.at("/revokedKey/statusAfterRevoke").asInt()).isEqualTo(401);

            // the deleted person is gone
            assertThat(server.get(api + "/persons/" + run.get("deletedPerson").asText() + "/").statusCode()).isEqualTo(404);

            // events sent by posthog-js from another page appeared in the open timeline and explorer
            assertThat(run.at("/live/timelineEventSeen").asBoolean()).isTrue();
            assertThat(run.at("/live/explorerEventSeen").asBoolean()).isTrue();
        }
    }
}
