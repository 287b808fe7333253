package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.account.Role;
import dev.sightline.testing.TestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The web analytics page in Debian's chromium (e2e/web-analytics.mjs) over traffic that posthog-js
 * makes in the same run, personless until one visitor identifies: the project opens on the page
 * while its traffic is anonymous, and the page's numbers (tiles, pages table, live counter, and
 * after a drill-down) equal both the query API's answer and what is counted here from the events
 * posthog-js produced. No console errors; screenshots light, dark and narrow in target/screenshots/.
 */
class WebAnalyticsBrowserTest {
    private static final String EMAIL = "web@example.com";
    private static final String PASSWORD = "web analytics password";

    @Test
    void thePageShowsWhatPosthogJsSent() throws Exception {
        Files.createDirectories(WebAppBrowserTest.SCREENSHOTS);
        try (TestServer server = TestServer.start()) {
            server.sightline().accounts().createUser(1, EMAIL, "Wen", PASSWORD, Role.ADMIN);
            JsonNode run = SdkScript.run("web-analytics.mjs", Duration.ofMinutes(4), server.baseUrl(), server.token(), EMAIL, PASSWORD,
                    Long.toString(server.projectId()), WebAppBrowserTest.SCREENSHOTS.toString());
            assertThat(run.get("consoleErrors")).as("errors in the browser console").isEmpty();
            JsonNode shown = run.get("shown");

            // counted from the events posthog-js produced: a visitor is a distinct id, or the id it identified as
            Map<String, String> identifiedAs = new HashMap<>();
            for (JsonNode e : run.get("events")) {
                if (e.get("event").asText().equals("$identify")) identifiedAs.put(e.at("/properties/$anon_distinct_id").asText(), e.at("/properties/distinct_id").asText());
            }
            Set<String> visitors = new HashSet<>();
            Set<String> sessions = new HashSet<>();
            Set<String> anonymousVisitors = new HashSet<>();
            Map<String, Integer> viewsByPage = new HashMap<>();
            Map<String, Set<String>> visitorsByPage = new HashMap<>();
            Set<String> pricingSessions = new HashSet<>();
            int views = 0;
            for (JsonNode e : run.get("events")) {
                if (!e.get("event").asText().equals("$pageview")) continue;
                String id = e.at("/properties/distinct_id").asText();
                String visitor = identifiedAs.getOrDefault(id, id);
                String path = e.at("/properties/$pathname").asText();
                views++;
                visitors.add(visitor);
                sessions.add(e.at("/properties/$session_id").asText());
                viewsByPage.merge(path, 1, Integer::sum);
                visitorsByPage.computeIfAbsent(path, k -> new HashSet<>()).add(visitor);
                if (path.equals("/pricing")) pricingSessions.add(e.at("/properties/$session_id").asText());
                if (e.at("/properties/$process_person_profile").isBoolean() && !identifiedAs.containsKey(id)
                        && !identifiedAs.containsValue(id)) {
                    anonymousVisitors.add(visitor);
                }
            }
            assertThat(visitors).hasSize(3);
            assertThat(anonymousVisitors).as("two visitors never identified").hasSize(2);

            // the project opened on web analytics while only anonymous traffic had come, first in the navigation
            assertThat(shown.get("home").asText()).isEqualTo("/project/" + server.projectId() + "/web");
            assertThat(shown.get("navFirst").asText()).isEqualTo("nav-web");
            assertThat(shown.at("/anonymous/visitors").asLong()).isEqualTo(2).isEqualTo(run.at("/api/anonymous/visitors").asLong());

            // everything: the page, the API and the events agree
            assertThat(shown.at("/all/visitors").asLong()).isEqualTo(visitors.size()).isEqualTo(run.at("/api/all/visitors").asLong());
            assertThat(shown.at("/all/views").asLong()).isEqualTo(views).isEqualTo(run.at("/api/all/views").asLong());
            assertThat(shown.at("/all/sessions").asLong()).isEqualTo(sessions.size()).isEqualTo(run.at("/api/all/sessions").asLong());
            for (var page : viewsByPage.entrySet()) {
                assertThat(shown.at("/pages/" + page.getKey().replace("/", "~1") + "/views").asInt()).as(page.getKey()).isEqualTo(page.getValue());
                assertThat(shown.at("/pages/" + page.getKey().replace("/", "~1") + "/visitors").asInt()).as(page.getKey())
                        .isEqualTo(visitorsByPage.get(page.getKey()).size());
            }
            assertThat(shown.get("live").asLong()).as("visitors in the last 30 minutes").isEqualTo(visitors.size());
            assertThat(shown.get("utmRows").toString()).contains("newsletter");
            assertThat(shown.get("tabsInUrl").asText()).contains("pages_tab=");

            // the drill-down: the sessions that viewed /pricing, and only /pricing's views
            assertThat(shown.at("/drilled/chip").asText()).contains("/pricing");
            assertThat(shown.at("/drilled/tiles/sessions").asLong()).isEqualTo(pricingSessions.size()).isEqualTo(run.at("/api/drilled/sessions").asLong());
            assertThat(shown.at("/drilled/tiles/views").asLong()).isEqualTo(viewsByPage.get("/pricing").longValue()).isEqualTo(run.at("/api/drilled/views").asLong());
            assertThat(shown.at("/drilled/tiles/visitors").asLong()).isEqualTo(visitorsByPage.get("/pricing").size());
            assertThat(shown.get("unfiltered")).isEqualTo(shown.get("all"));
            assertThat(run.get("screenshots").toString()).contains("web-analytics.png", "web-analytics-dark.png", "web-analytics-filtered.png");
        }
    }
}
