package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.account.Role;
import dev.sightline.testing.TestServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Metering against the official SDKs (e2e/usage.mjs): posthog-node and posthog-js in chromium send
 * identified, anonymous and non-billable events, some on both sides of a month start; the usage
 * API's counts must equal what the events table holds for each month and kind, each event must be
 * classed as its SDK meant it, and the usage page must show the same numbers.
 */
class UsageSdkTest {
    private static final String EMAIL = "billing@example.com";
    private static final String PASSWORD = "usage page password";

    @Test
    void usageCountsEqualTheStoredEventsForRealSdkTraffic() throws Exception {
        Files.createDirectories(WebAppBrowserTest.SCREENSHOTS);
        try (TestServer server = TestServer.start()) {
            server.sightline().accounts().createUser(1, EMAIL, "Bea", PASSWORD, Role.ADMIN);
            JsonNode run = SdkScript.run("usage.mjs", Duration.ofMinutes(3), server.baseUrl(), server.token(), EMAIL, PASSWORD,
                    Long.toString(server.projectId()), WebAppBrowserTest.SCREENSHOTS.toString());
            assertThat(run.get("consoleErrors")).as("errors in the browser console").isEmpty();

            String current = YearMonth.now(ZoneOffset.UTC).toString();
            String api = "/api/projects/" + server.projectId() + "/usage/?month=";
            Map<String, JsonNode> usage = new HashMap<>();
            for (String month : List.of(current, "2025-12", "2026-01")) usage.put(month, server.getJson(api + month));
            JsonNode limits = server.getJson("/api/projects/" + server.projectId() + "/billing_limits/");

            // the store, read directly with the server stopped
            server.sightline().close();
            Map<String, Long> stored = new HashMap<>();
            Map<String, String> classOf = new HashMap<>();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + server.dataDir().resolve("sightline.duckdb"))) {
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT strftime(timestamp, '%Y-%m') || ' ' || usage_class, count(*) FROM events GROUP BY ALL")) {
                    while (rs.next()) stored.put(rs.getString(1), rs.getLong(2));
                }
                try (ResultSet rs = c.createStatement().executeQuery("SELECT CAST(uuid AS VARCHAR), usage_class FROM events")) {
                    while (rs.next()) classOf.put(rs.getString(1), rs.getString(2));
                }
            } finally {
                server.restart();
            }

            for (var month : usage.entrySet()) {
                for (String kind : List.of("identified", "anonymous", "not_billed")) {
                    assertThat(month.getValue().at("/counts/" + kind).asLong()).as(month.getKey() + " " + kind)
                            .isEqualTo(stored.getOrDefault(month.getKey() + " " + kind, 0L));
                }
            }
            // the month start: one identified and one anonymous event on each side
            for (String month : List.of("2025-12", "2026-01")) {
                assertThat(usage.get(month).at("/counts/identified").asLong()).as(month).isEqualTo(1);
                assertThat(usage.get(month).at("/counts/anonymous").asLong()).as(month).isEqualTo(1);
            }

            // every event as its SDK meant it
            List<JsonNode> sent = new ArrayList<>();
            run.at("/node/events").forEach(sent::add);
            run.at("/browser/events").forEach(sent::add);
            for (JsonNode e : sent) {
                String name = e.get("event").asText();
                String expected = name.equals("$feature_flag_called") || name.startsWith("survey ") ? "not_billed"
                        : e.at("/properties/$process_person_profile").asBoolean(true) ? "identified" : "anonymous";
                assertThat(classOf.get(e.get("uuid").asText())).as(name + " " + e.get("uuid").asText()).isEqualTo(expected);
            }
            List<String> browserNames = new ArrayList<>();
            run.at("/browser/events").forEach(e -> browserNames.add(e.get("event").asText() + ":" + classOf.get(e.get("uuid").asText())));
            assertThat(browserNames).as("posthog-js with identified_only: anonymous until identify()")
                    .contains("$pageview:anonymous", "browser product viewed:anonymous", "$identify:identified", "browser signed up:identified");

            JsonNode now = usage.get(current);
            List<String> libs = new ArrayList<>();
            now.get("libraries").forEach(l -> libs.add(l.get("lib").asText()));
            assertThat(libs).contains("web", "posthog-node");
            assertThat(now.at("/counts/not_billed").asLong()).isGreaterThanOrEqualTo(2);

            // the page showed the API's numbers, and its editor set the limit
            JsonNode shown = run.get("shown");
            for (String kind : List.of("identified", "anonymous", "not_billed")) {
                assertThat(shown.at("/current/" + kind).asLong()).as("page, this month, " + kind).isEqualTo(now.at("/counts/" + kind).asLong());
                assertThat(shown.at("/january/" + kind).asLong()).as("page, January, " + kind)
                        .isEqualTo(usage.get("2026-01").at("/counts/" + kind).asLong());
            }
            assertThat(shown.get("dailyRows").asInt()).isEqualTo(YearMonth.now(ZoneOffset.UTC).lengthOfMonth());
            assertThat(shown.get("emptyMonth").asBoolean()).isTrue();
            assertThat(limits.at("/limits/0/limit").asLong()).as("set in the page's editor").isEqualTo(1_000_000);
            for (JsonNode shot : run.get("screenshots")) {
                assertThat(WebAppBrowserTest.SCREENSHOTS.resolve(shot.asText())).isRegularFile();
            }
        }
    }
}
