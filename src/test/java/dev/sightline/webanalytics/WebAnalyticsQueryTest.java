package dev.sightline.webanalytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.store.duckdb.Database;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web queries over HTTP against generated traffic, each figure compared with {@link WebOracle}
 * (plain Java over the sent events), before and after a person's events are erased; then the
 * rollups compared row by row with the slow {@code sessions} view over the raw events.
 */
class WebAnalyticsQueryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId ZONE = ZoneId.of("America/New_York");

    @Test
    void everyTileEqualsTheRawAnswer() throws Exception {
        Path dir = Files.createTempDirectory("sightline-web");
        LocalDate first = LocalDate.now(ZONE).minusDays(8);
        WebTraffic traffic = new WebTraffic(21, ZONE, first, 6, 70, true);
        long projectId;
        String token = "phc_web_ny_project_token";
        Instant from = first.plusDays(3).atStartOfDay(ZONE).toInstant();
        Instant to = first.plusDays(6).atStartOfDay(ZONE).toInstant().minusNanos(1000);
        Instant prevFrom = first.atStartOfDay(ZONE).toInstant();
        Instant prevTo = from.minusNanos(1000);
        String range = "\"dateRange\": {\"date_from\": \"" + first.plusDays(3) + "\", \"date_to\": \"" + first.plusDays(5) + "\"}";
        try (TestServer server = TestServer.start(dir)) {
            MetaStore meta = server.sightline().meta();
            Project p = meta.createProject(server.sightline().defaultProject().organizationId(), "Shop", token, ZONE.getId());
            projectId = p.id();
            send(server, token, traffic.events);
            WebOracle oracle = new WebOracle(traffic.events);
            assertThat(oracle.sessions.stream().filter(s -> !s.start().atZone(ZONE).toLocalDate().equals(s.end().atZone(ZONE).toLocalDate())))
                    .as("sessions crossing local midnight").isNotEmpty();

            checkAll(server, projectId, oracle, range, from, to, prevFrom, prevTo);

            // erase one identified visitor with their events: every figure follows
            String victim = traffic.events.stream().filter(e -> e.distinctId().startsWith("user-")).findFirst().orElseThrow().visitor();
            HttpResponse<String> gone = server.api("DELETE", "/api/projects/" + projectId + "/persons/?distinct_id=" + victim + "&delete_events=true", null);
            assertThat(gone.statusCode()).as(gone.body()).isLessThan(300);
            List<WebTraffic.Sent> left = new ArrayList<>(traffic.events.stream().filter(e -> !e.visitor().equals(victim)).toList());
            assertThat(left).hasSizeLessThan(traffic.events.size());
            checkAll(server, projectId, new WebOracle(left), range, from, to, prevFrom, prevTo);

            // a UTM seen only on a later page of a session is not the session's source
            JsonNode utm = ok(server, projectId, server.personalKey(), "{\"query\": {\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"InitialUTMSource\", "
                    + range + ", \"limit\": 100}}");
            assertThat(utm.get("results").findValuesAsText("0")).doesNotContain("later-only");
            List<String> sources = new ArrayList<>();
            utm.get("results").forEach(r -> sources.add(r.get(0).asText()));
            assertThat(sources).contains("newsletter").doesNotContain("later-only");

            // bad queries: 400 naming the field, and the server keeps answering
            for (String[] bad : new String[][]{
                    {"{\"kind\": \"WebStatsTableQuery\"}", "breakdownBy"},
                    {"{\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Planet\"}", "breakdownBy"},
                    {"{\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Page\", \"limit\": 0}", "limit"},
                    {"{\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Page\", \"orderBy\": [\"BounceRate\", \"DESC\"]}", "orderBy"},
                    {"{\"kind\": \"WebOverviewQuery\", \"properties\": [{\"key\": \"plan\", \"value\": \"x\"}]}", "properties"},
                    {"{\"kind\": \"WebOverviewQuery\", \"dateRange\": {\"date_from\": \"yesterday-ish\"}}", "dateRange.date_from"},
                    {"{\"kind\": \"WebOverviewQuery\", \"conversionGoal\": {\"kind\": \"CustomEventConversionGoal\"}}", "conversionGoal.customEventName"},
                    {"{\"kind\": \"WebTrendsQuery\", \"metrics\": [\"Revenue\"]}", "metrics[0]"},
                    {"{\"kind\": \"WebGoalsQuery\", \"goals\": [{\"kind\": \"ActionConversionGoal\", \"actionId\": 1}]}", "goals[0].kind"}}) {
                HttpResponse<String> r = query(server, projectId, server.personalKey(), "{\"query\": " + bad[0] + "}");
                assertThat(r.statusCode()).as(bad[0] + " → " + r.body()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).get("attr").asText()).as(r.body()).isEqualTo(bad[1]);
            }

            // test accounts: the project's filters, applied when a query asks for them
            HttpResponse<String> set = server.api("PATCH", "/api/projects/" + projectId + "/",
                    "{\"test_account_filters\": [{\"key\": \"$browser\", \"value\": [\"Firefox\"], \"operator\": \"is_not\", \"type\": \"event\"}]}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            WebOracle afterErasure = new WebOracle(left);
            WebOracle.Overview noFirefox = afterErasure.overview(from, to, x -> !"Firefox".equals(x.entry().props().get("$browser")));
            JsonNode internal = ok(server, projectId, server.personalKey(), "{\"query\": {\"kind\": \"WebOverviewQuery\", " + range
                    + ", \"filterTestAccounts\": true}}");
            assertThat(noFirefox.sessions()).isLessThan(afterErasure.overview(from, to, x -> true).sessions());
            assertThat(internal.get("results").get(0).get("value").asLong()).isEqualTo(noFirefox.visitors());
            assertThat(internal.get("results").get(1).get("value").asLong()).isEqualTo(noFirefox.views());
            assertThat(internal.get("results").get(2).get("value").asLong()).isEqualTo(noFirefox.sessions());

            // another organization's key reads nothing of this project
            long org = meta.createOrganization("Other org");
            meta.createPersonalApiKey(org, "other", "phx_web_other_org_key_0123456789");
            HttpResponse<String> foreign = query(server, projectId, "phx_web_other_org_key_0123456789",
                    "{\"query\": {\"kind\": \"WebOverviewQuery\", " + range + "}}");
            assertThat(foreign.statusCode()).isIn(403, 404);
        }
        // the rollups, row by row (bounce by the rule printed here, the view's own copy of it), against the slow view that groups every event by session
        try (Database db = Database.open(dir); var c = db.connect(); Statement s = c.createStatement()) {
            String view = "SELECT session_id, start_timestamp, end_timestamp, pageview_count, autocapture_count, entry_pathname, exit_pathname, is_bounce "
                    + "FROM sessions WHERE project_id = " + projectId + " ORDER BY session_id";
            String cols = "project_id, session_id, start_ts, end_ts, entry_key, exit_key, entry_pathname, exit_pathname, pageviews, autocaptures";
            // parts wait for the next fold: merged here the way the fold merges them, one row per session
            List<String> a = rows(s, view);
            List<String> b = rows(s, "SELECT session_id, min(start_ts), max(end_ts), sum(pageviews), sum(autocaptures), "
                    + "arg_min(entry_pathname, entry_key), arg_max(exit_pathname, exit_key), CASE WHEN sum(pageviews + autocaptures) = 0 THEN NULL "
                    + "ELSE NOT (sum(pageviews + autocaptures) > 1 OR date_diff('second', min(start_ts), max(end_ts)) >= 10) END FROM (SELECT " + cols + " FROM web_sessions UNION ALL SELECT "
                    + cols + " FROM web_session_parts) WHERE project_id = " + projectId + " GROUP BY session_id ORDER BY session_id");
            assertThat(a).hasSameSizeAs(b).isNotEmpty();
            for (int i = 0; i < a.size(); i++) {
                String[] va = a.get(i).split("\\|", -1);
                String[] vb = b.get(i).split("\\|", -1);
                for (int k = 0; k < 8; k++) assertThat(vb[k]).as("session " + va[0] + " column " + k).isEqualTo(va[k]);
            }
            assertThat(rows(s, "SELECT count(*) FROM web_page_views WHERE project_id = " + projectId))
                    .isEqualTo(rows(s, "SELECT count(*) FROM events WHERE project_id = " + projectId + " AND event = '$pageview'"));
        }
    }

    /** A project whose every event was sent with {@code $process_person_profile: false}: visitors are distinct ids. */
    @Test
    void personlessTrafficOnly() {
        ZoneId utc = ZoneId.of("UTC");
        LocalDate first = LocalDate.now(utc).minusDays(4);
        WebTraffic traffic = new WebTraffic(7, utc, first, 3, 40, false);
        assertThat(traffic.events).allMatch(e -> Boolean.FALSE.equals(e.props().get("$process_person_profile")));
        try (TestServer server = TestServer.start()) {
            Project p = server.sightline().meta().createProject(server.sightline().defaultProject().organizationId(), "Blog",
                    "phc_web_personless_token", "UTC");
            send(server, "phc_web_personless_token", traffic.events);
            WebOracle oracle = new WebOracle(traffic.events);
            Instant from = first.atStartOfDay(utc).toInstant();
            Instant to = first.plusDays(3).atStartOfDay(utc).toInstant().minusNanos(1000);
            String range = "\"dateRange\": {\"date_from\": \"" + first + "\", \"date_to\": \"" + first.plusDays(2) + "\"}";
            JsonNode o = ok(server, p.id(), server.personalKey(), "{\"query\": {\"kind\": \"WebOverviewQuery\", " + range + "}}");
            WebOracle.Overview want = oracle.overview(from, to, s -> true);
            assertThat(want.visitors()).isPositive();
            assertThat(o.get("results").get(0).get("value").asLong()).isEqualTo(want.visitors());
            assertThat(o.get("results").get(1).get("value").asLong()).isEqualTo(want.views());
            assertThat(o.get("results").get(2).get("value").asLong()).isEqualTo(want.sessions());
            assertTable("Browser", ok(server, p.id(), server.personalKey(), "{\"query\": {\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Browser\", "
                    + range + "}}"), oracle.table("Browser", from, to));
            // no person profile was made for anyone
            JsonNode persons = server.getJson("/api/projects/" + p.id() + "/persons/");
            assertThat(persons.get("results")).isEmpty();
        }
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(i > 1 ? "|" : "").append(rs.getString(i));
                out.add(b.toString());
            }
        }
        return out;
    }

    private static void checkAll(TestServer server, long projectId, WebOracle oracle, String range, Instant from, Instant to,
                                 Instant prevFrom, Instant prevTo) {
        String key = server.personalKey();
        // overview with the previous period
        JsonNode o = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebOverviewQuery\", " + range + ", \"compareFilter\": {\"compare\": true}}}");
        WebOracle.Overview now = oracle.overview(from, to, s -> true);
        WebOracle.Overview before = oracle.overview(prevFrom, prevTo, s -> true);
        assertOverview(o.get("results"), now, before);
        // filtered by a dimension: only that browser's sessions
        JsonNode f = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebOverviewQuery\", " + range
                + ", \"properties\": [{\"key\": \"$browser\", \"value\": [\"Chrome\"], \"operator\": \"exact\", \"type\": \"event\"}]}}");
        WebOracle.Overview chrome = oracle.overview(from, to, s -> "Chrome".equals(s.entry().props().get("$browser")));
        assertThat(f.get("results").get(0).get("value").asLong()).isEqualTo(chrome.visitors());
        assertThat(f.get("results").get(1).get("value").asLong()).isEqualTo(chrome.views());
        assertThat(f.get("results").get(2).get("value").asLong()).isEqualTo(chrome.sessions());

        for (String dimension : List.of("InitialPage", "ExitPage", "InitialUTMSource", "InitialChannelType", "Browser", "Country", "Viewport")) {
            JsonNode t = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"" + dimension + "\", "
                    + range + ", \"limit\": 100}}");
            assertTable(dimension, t, oracle.table(dimension, from, to));
        }
        JsonNode pages = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Page\", " + range + ", \"limit\": 100}}");
        assertTable("Page", pages, oracle.pages(from, to));
        // paging: the same order, a window of it
        JsonNode window = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Page\", " + range
                + ", \"limit\": 2, \"offset\": 1}}");
        List<WebOracle.Row> all = oracle.pages(from, to);
        assertThat(window.get("results")).hasSize(Math.min(2, all.size() - 1));
        assertThat(window.get("results").get(0).get(0).asText()).isEqualTo(String.valueOf(all.get(1).value()));
        assertThat(window.get("hasMore").asBoolean()).isEqualTo(all.size() > 3);

        // a goal: converting visitors and conversions, as a table of its own and beside the overview
        long[] goal = oracle.goal("signup", from, to);
        JsonNode g = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebGoalsQuery\", " + range
                + ", \"goals\": [{\"kind\": \"CustomEventConversionGoal\", \"customEventName\": \"signup\"}]}}");
        assertThat(g.get("results").get(0).get(1).get(0).asLong()).isEqualTo(goal[0]);
        assertThat(g.get("results").get(0).get(2).get(0).asLong()).isEqualTo(goal[1]);
        // a page goal beside an event goal, in one answer
        long[] pricing = oracle.pageGoal("/pricing", from, to);
        JsonNode both = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebGoalsQuery\", " + range
                + ", \"goals\": [{\"kind\": \"CustomEventConversionGoal\", \"customEventName\": \"signup\"},"
                + " {\"kind\": \"PageConversionGoal\", \"pathname\": \"/pricing\"}]}}");
        assertThat(both.get("results").get(0).get(1).get(0).asLong()).isEqualTo(goal[0]);
        assertThat(both.get("results").get(1).get(0).asText()).isEqualTo("Visited /pricing");
        assertThat(both.get("results").get(1).get(1).get(0).asLong()).isEqualTo(pricing[0]);
        assertThat(both.get("results").get(1).get(2).get(0).asLong()).isEqualTo(pricing[1]);
        JsonNode og = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebOverviewQuery\", " + range
                + ", \"conversionGoal\": {\"kind\": \"CustomEventConversionGoal\", \"customEventName\": \"signup\"}}}");
        assertThat(og.get("results").get(5).get("value").asLong()).isEqualTo(goal[0]);
        assertThat(og.get("results").get(6).get("value").asLong()).isEqualTo(goal[1]);

        // the trend: one bucket per local day, sessions by the day they started
        JsonNode tr = ok(server, projectId, key, "{\"query\": {\"kind\": \"WebTrendsQuery\", " + range + ", \"interval\": \"day\"}}");
        assertThat(tr.get("results")).hasSize(3);
        for (JsonNode b : tr.get("results")) {
            LocalDate day = LocalDate.parse(b.get("bucket").asText().substring(0, 10));
            Instant a = day.atStartOfDay(ZONE).toInstant();
            Instant z = day.plusDays(1).atStartOfDay(ZONE).toInstant().minusNanos(1000);
            WebOracle.Overview d = oracle.overview(a, z, s -> true);
            assertThat(b.get("metrics").get("Sessions").asLong()).as(day.toString()).isEqualTo(d.sessions());
            assertThat(b.get("metrics").get("UniqueUsers").asLong()).as(day.toString()).isEqualTo(d.visitors());
            assertThat(b.get("metrics").get("PageViews").asLong()).as(day.toString()).isEqualTo(d.views());
        }
    }

    private static void assertOverview(JsonNode items, WebOracle.Overview now, WebOracle.Overview before) {
        Map<String, JsonNode> byKey = new java.util.HashMap<>();
        items.forEach(i -> byKey.put(i.get("key").asText(), i));
        assertThat(byKey.get("visitors").get("value").asLong()).isEqualTo(now.visitors());
        assertThat(byKey.get("visitors").get("previous").asLong()).isEqualTo(before.visitors());
        assertThat(byKey.get("views").get("value").asLong()).isEqualTo(now.views());
        assertThat(byKey.get("views").get("previous").asLong()).isEqualTo(before.views());
        assertThat(byKey.get("sessions").get("value").asLong()).isEqualTo(now.sessions());
        assertThat(byKey.get("sessions").get("previous").asLong()).isEqualTo(before.sessions());
        assertThat(byKey.get("session duration").get("value").asDouble()).isCloseTo(now.duration(), within(1e-6));
        assertThat(byKey.get("bounce rate").get("value").asDouble()).isCloseTo(now.bounceRate(), within(1e-6));
        assertThat(byKey.get("bounce rate").get("previous").asDouble()).isCloseTo(before.bounceRate(), within(1e-6));
        long change = Math.round(100.0 * (now.sessions() - before.sessions()) / before.sessions());
        assertThat(byKey.get("sessions").get("changeFromPreviousPct").asLong()).isEqualTo(change);
    }

    private static void assertTable(String dimension, JsonNode answer, List<WebOracle.Row> expected) {
        JsonNode rows = answer.get("results");
        assertThat(rows).as(dimension).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode row = rows.get(i);
            WebOracle.Row e = expected.get(i);
            String where = dimension + " row " + i + " " + row;
            assertThat(row.get(0).isNull() ? null : row.get(0).asText()).as(where).isEqualTo(e.value() == null ? null : String.valueOf(e.value()));
            assertThat(row.get(1).get(0).asLong()).as(where).isEqualTo(e.visitors());
            assertThat(row.get(2).get(0).asLong()).as(where).isEqualTo(e.views());
            if (e.bounce() != null) assertThat(row.get(3).get(0).asDouble()).as(where).isCloseTo(e.bounce(), within(1e-9));
        }
    }

    static void send(TestServer server, String token, List<WebTraffic.Sent> events) {
        for (int from = 0; from < events.size(); from += 200) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (WebTraffic.Sent e : events.subList(from, Math.min(events.size(), from + 200))) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("event", e.event());
                m.put("distinct_id", e.distinctId());
                m.put("timestamp", e.at().toString());
                m.put("properties", e.props());
                batch.add(m);
            }
            try {
                byte[] body = JSON.writeValueAsBytes(Map.of("api_key", token, "batch", batch));
                HttpResponse<String> r = server.post("/batch/", "application/json", body);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    static HttpResponse<String> query(TestServer server, long project, String key, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + project + "/query/"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    static JsonNode ok(TestServer server, long project, String key, String body) {
        HttpResponse<String> r = query(server, project, key, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
