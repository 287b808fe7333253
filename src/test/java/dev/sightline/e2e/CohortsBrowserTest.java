package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Cohorts in Debian's chromium (e2e/cohorts.mjs, playwright-core) against a real server with demo
 * data: the editor's live estimate equals the estimate API for the same definition, the saved
 * cohort's count and members equal the API's, a CSV upload reports the row that matched nobody and
 * keeps the others, and the persons page filters by the cohort. No console errors; screenshots,
 * light and dark, in target/screenshots/.
 */
class CohortsBrowserTest {
    static final Path SCREENSHOTS = BrowserDemo.SCREENSHOTS;

    @Test
    void aCohortIsBuiltInTheEditorItsMembersListedAndACsvUploaded() throws Exception {
        Path data = BrowserDemo.demoData("sightline-cohorts", 21);
        try (TestServer server = TestServer.start(data)) {
            String email = "grouper@example.com";
            String password = "a long password for cohorts";
            Project demo = BrowserDemo.withUser(server, email, "Gru", password);

            JsonNode r = SdkScript.run("cohorts.mjs", Duration.ofMinutes(5), server.baseUrl(), email, password, Long.toString(demo.id()), SCREENSHOTS.toString());
            assertThat(r.get("consoleErrors")).as("errors in the browser console").isEmpty();
            // Cohorts comes after Dashboards in the navigation
            String nav = r.get("navOrder").toString();
            assertThat(nav.indexOf("Cohorts")).isGreaterThan(nav.indexOf("Dashboards"));
            // the live estimate is the API's for the definition built by clicking, and not zero on demo data
            assertThat(r.at("/estimate/shown").asLong()).isEqualTo(r.at("/estimate/api").asLong()).isPositive();
            // the saved cohort: count shown = stored count = members listed = the estimate
            assertThat(r.at("/saved/countShown").asLong()).isEqualTo(r.at("/saved/apiCount").asLong()).isEqualTo(r.at("/estimate/api").asLong());
            assertThat(r.at("/saved/apiMembers").asLong()).isEqualTo(Math.min(1000, r.at("/saved/apiCount").asLong()));
            assertThat(r.at("/saved/rowsShown").asInt()).isEqualTo((int) Math.min(100, r.at("/saved/apiCount").asLong()));
            assertThat(r.at("/saved/csvLink").asText()).contains("/cohorts/" + r.at("/saved/id").asLong() + "/persons/").contains("format=csv");
            // the upload: every known id kept, the bad and the empty row reported by row number
            int sent = r.at("/upload/sent").asInt();
            assertThat(sent).isPositive();
            assertThat(r.at("/upload/reportTitle").asText()).isEqualTo(sent + " of " + (sent + 2) + " rows matched a person");
            assertThat(r.at("/upload/reportRows").toString()).contains("nobody-at-all").contains("(empty)");
            assertThat(r.at("/upload/membersShown").asInt()).isEqualTo(sent);
            assertThat(r.get("list")).hasSize(2);
            // the persons page filtered by the cohort shows its members
            assertThat(r.at("/personsFiltered/chip").asText()).contains("Engaged paying users");
            assertThat(r.at("/personsFiltered/rows").asInt()).isEqualTo((int) Math.min(100, r.at("/saved/apiCount").asLong()));
            // "save as cohort" from an insight's persons: a static cohort of exactly the persons the drill-down listed
            // that have a profile (the anonymous visitors among them have none, and a cohort holds persons)
            JsonNode saved = r.at("/saveAsCohort");
            assertThat(saved.at("/cohort/isStatic").asBoolean()).isTrue();
            assertThat(saved.get("drillIds").size()).isEqualTo(saved.get("cellValue").asInt()).isPositive();
            java.util.List<String> drilled = new java.util.ArrayList<>();
            saved.get("profiled").forEach(n -> drilled.add(n.asText()));
            assertThat(drilled).isNotEmpty();
            java.util.List<String> members = new java.util.ArrayList<>();
            saved.at("/cohort/members").forEach(n -> members.add(n.asText()));
            assertThat(members).containsExactlyInAnyOrderElementsOf(drilled);
            assertThat(saved.at("/cohort/count").asInt()).isEqualTo(drilled.size());
            // retention with two cohorts side by side, picked in the builder: the query carries them, and every row
            // the table shows is the API's row for the same query, under its cohort's name, in the API's order
            JsonNode retention = r.at("/retentionCompared");
            assertThat(retention.at("/sent/breakdownFilter/breakdown_type").asText()).isEqualTo("cohort");
            java.util.Map<String, String> names = new java.util.HashMap<>();
            retention.get("compared").forEach(c -> names.put(c.get("id").asText(), c.get("name").asText()));
            java.util.List<String> sentIds = new java.util.ArrayList<>();
            retention.at("/sent/breakdownFilter/breakdown").forEach(n -> sentIds.add(n.asText()));
            assertThat(sentIds).containsExactlyInAnyOrderElementsOf(names.keySet());
            JsonNode apiRows = retention.get("api");
            JsonNode shownRows = retention.get("shownRows");
            assertThat(shownRows.size()).isEqualTo(apiRows.size()).isPositive();
            java.util.Set<String> groups = new java.util.HashSet<>();
            for (int i = 0; i < apiRows.size(); i++) {
                JsonNode row = apiRows.get(i);
                String cohort = row.get("breakdown_value").asText();
                groups.add(cohort);
                assertThat(shownRows.get(i).get(0).asText()).as("row %d", i).startsWith(names.get(cohort) + " · ");
                assertThat(shownRows.get(i).get(1).asLong()).as("row %d's persons", i).isEqualTo(row.at("/values/0/count").asLong());
            }
            assertThat(groups).isEqualTo(names.keySet());
            assertThat(r.get("screenshots").size()).isGreaterThanOrEqualTo(13);
        }
    }
}
