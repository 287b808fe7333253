package dev.sightline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query endpoint over HTTP: answers, the cache, isolation between projects, and 400s that name the field. */
class QueryHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static Project other;
    static final String OTHER_KEY = "phx_query_other_org_key_0123456789";

    @BeforeAll
    static void start() {
        server = TestServer.start();
        MetaStore meta = server.sightline().meta();
        long org = meta.createOrganization("Other org");
        other = meta.createProject(org, "Other", "phc_query_other_token", "UTC");
        meta.createPersonalApiKey(org, "other", OTHER_KEY);
        capture(server.token(), "$pageview", "user-1", 5);
        capture(server.token(), "$pageview", "user-2", 3);
        capture("phc_query_other_token", "$pageview", "user-1", 11);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void capture(String token, String event, String distinctId, int n) {
        StringBuilder b = new StringBuilder("{\"api_key\":\"" + token + "\",\"batch\":[");
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(',');
            b.append("{\"event\":\"").append(event).append("\",\"distinct_id\":\"").append(distinctId)
                    .append("\",\"timestamp\":\"").append(t.plusSeconds(i)).append("\",\"properties\":{\"n\":").append(i).append("}}");
        }
        b.append("]}");
        assertThat(server.post("/batch/", "application/json", b.toString().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    static HttpResponse<String> query(long project, String key, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + project + "/query/"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode ok(long project, String key, String body) {
        HttpResponse<String> r = query(project, key, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String TOTAL = "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"kind\": \"EventsNode\", \"event\": \"$pageview\"}],"
            + " \"dateRange\": {\"date_from\": \"-7d\"}}%s}";

    /** Cache keys hold the minute (relative ranges move with the clock): start a hit-expecting sequence well inside one. */
    static void awayFromAMinuteBoundary() {
        int second = java.time.LocalTime.now(java.time.ZoneOffset.UTC).getSecond();
        if (second >= 55) {
            try {
                Thread.sleep((61 - second) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void trendsOverHttpWithCacheAndRefresh() {
        awayFromAMinuteBoundary();
        JsonNode first = ok(server.projectId(), server.personalKey(), TOTAL.formatted(", \"refresh\": true"));
        assertThat(first.get("results").get(0).get("count").asLong()).isEqualTo(8);
        assertThat(first.get("is_cached").asBoolean()).isFalse();
        assertThat(first.get("timezone").asText()).isNotEmpty();
        JsonNode second = ok(server.projectId(), server.personalKey(), TOTAL.formatted(""));
        assertThat(second.get("is_cached").asBoolean()).isTrue();
        assertThat(second.get("cache_key").asText()).isEqualTo(first.get("cache_key").asText());
        assertThat(second.get("results")).isEqualTo(first.get("results"));
        assertThat(ok(server.projectId(), server.personalKey(), TOTAL.formatted(", \"refresh\": \"force_blocking\"")).get("is_cached").asBoolean()).isFalse();
    }

    @Test
    void newDataInvalidatesTheCache() {
        String dau = TOTAL.replace("\"event\": \"$pageview\"", "\"event\": \"later\"");
        JsonNode before = ok(server.projectId(), server.personalKey(), dau.formatted(""));
        capture(server.token(), "later", "user-9", 2);
        JsonNode after = ok(server.projectId(), server.personalKey(), dau.formatted(""));
        assertThat(after.get("is_cached").asBoolean()).isFalse();
        assertThat(after.get("results").get(0).get("count").asLong()).isEqualTo(before.get("results").get(0).get("count").asLong() + 2);
    }

    @Test
    void projectsAreIsolated() {
        JsonNode mine = ok(server.projectId(), server.personalKey(), TOTAL.formatted(", \"refresh\": true"));
        JsonNode theirs = ok(other.id(), OTHER_KEY, TOTAL.formatted(""));
        assertThat(theirs.get("results").get(0).get("count").asLong()).isEqualTo(11);
        assertThat(mine.get("cache_key").asText()).isNotEqualTo(theirs.get("cache_key").asText());
        assertThat(query(other.id(), server.personalKey(), TOTAL.formatted("")).statusCode()).isEqualTo(403);
        assertThat(query(server.projectId(), OTHER_KEY, TOTAL.formatted("")).statusCode()).isEqualTo(403);
        assertThat(query(server.projectId(), "phx_nonsense", TOTAL.formatted("")).statusCode()).isEqualTo(401);
        JsonNode events = ok(other.id(), OTHER_KEY, "{\"query\": {\"kind\": \"EventsQuery\", \"select\": [\"distinct_id\", \"count()\"]}}");
        assertThat(events.get("results")).hasSize(1);
        assertThat(events.get("results").get(0).get(1).asLong()).isEqualTo(11);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{}|query",
            "{\"query\": {}}|kind",
            "{\"query\": {\"kind\": \"HogQLQuery\"}}|kind",
            "{\"query\": {\"kind\": \"TrendsQuery\"}}|series",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\", \"math\": \"bogus\"}]}}|series[0].math",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\", \"math\": \"sum\"}]}}|series[1].math_property",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"kind\": \"ActionsNode\", \"id\": 3}]}}|series[0].kind",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"interval\": \"year\"}}|interval",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"interval\": \"hour\", \"dateRange\": {\"date_from\": \"2001-01-01\"}}}|interval",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"dateRange\": {\"date_from\": \"2025-03-02\", \"date_to\": \"2025-03-01\"}}}|dateRange",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"aggregation_group_type_index\": 0}}|aggregation_group_type_index",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"dateRange\": {\"date_from\": \"last tuesday\"}}}|dateRange.date_from",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"dateRange\": {\"date_to\": 5}}}|dateRange.date_to",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"properties\": [{\"key\": \"x\", \"operator\": \"frobnicate\", \"value\": 1}]}}|properties",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\", \"properties\": [{\"key\": \"\", \"value\": 1}]}]}}|series[0].properties",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"properties\": [{\"key\": \"x\", \"operator\": \"gt\", \"value\": \"many\"}]}}|properties",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"properties\": [{\"key\": \"x\", \"operator\": \"regex\", \"value\": \"(unclosed\"}]}}|properties",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"breakdownFilter\": {\"breakdown\": \"x\", \"breakdown_type\": \"cohort\"}}}|breakdownFilter.breakdown",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"breakdownFilter\": {\"breakdown\": \"x\", \"breakdown_limit\": 0}}}|breakdownFilter.breakdown_limit",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"trendsFilter\": {\"formula\": \"A + Z\"}}}|trendsFilter.formula",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"compareFilter\": {\"compare\": true, \"compare_to\": \"lastweek\"}}}|compareFilter.compare_to",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"trendsFilter\": {\"smoothingIntervals\": 0}}}|trendsFilter.smoothingIntervals",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"breakdownFilter\": {\"breakdowns\": [{\"property\": \"a\"}, {\"property\": \"b\"}, {\"property\": \"c\"}, {\"property\": \"d\"}]}}}|breakdownFilter.breakdowns",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"breakdownFilter\": {\"breakdowns\": [{\"property\": \"a\"}, {\"property\": \"b\", \"type\": \"cohort\"}]}}}|breakdownFilter.breakdowns[1].type",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"trendsFilter\": {\"smoothingIntervals\": \"week\"}}}|trendsFilter.smoothingIntervals",
            "{\"query\": {\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\"}], \"funnelsFilter\": {\"funnelOrderType\": \"random\"}}}|funnelsFilter.funnelOrderType",
            "{\"query\": {\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\"}], \"funnelsFilter\": {\"funnelWindowIntervalUnit\": \"year\"}}}|funnelsFilter.funnelWindowIntervalUnit",
            "{\"query\": {\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\"}], \"funnelsFilter\": {\"funnelWindowInterval\": -3}}}|funnelsFilter.funnelWindowInterval",
            "{\"query\": {\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\"}], \"funnelsFilter\": {\"exclusions\": [{\"event\": \"c\", \"funnelFromStep\": 1, \"funnelToStep\": 1}]}}}|funnelsFilter.exclusions[0].funnelToStep",
            "{\"query\": {\"kind\": \"RetentionQuery\"}}|retentionFilter",
            "{\"query\": {\"kind\": \"RetentionQuery\", \"retentionFilter\": {\"targetEntity\": {\"id\": \"a\"}, \"period\": \"Year\"}}}|retentionFilter.period",
            "{\"query\": {\"kind\": \"RetentionQuery\", \"retentionFilter\": {\"targetEntity\": {\"id\": \"a\"}, \"retentionType\": \"sometimes\"}}}|retentionFilter.retentionType",
            "{\"query\": {\"kind\": \"LifecycleQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\"}]}}|series",
            "{\"query\": {\"kind\": \"StickinessQuery\", \"series\": [{\"event\": \"a\"}], \"stickinessFilter\": {\"computedAs\": \"both\"}}}|stickinessFilter.computedAs",
            "{\"query\": {\"kind\": \"EventsQuery\", \"select\": [\"DROP TABLE events\"]}}|select[0]",
            "{\"query\": {\"kind\": \"EventsQuery\", \"select\": [\"event\"], \"where\": [\"1 = 1\"]}}|where",
            "{\"query\": {\"kind\": \"EventsQuery\", \"select\": [\"event\"], \"orderBy\": [\"uuid; DROP\"]}}|orderBy[0]",
            "{\"query\": {\"kind\": \"EventsQuery\", \"select\": [\"event\"], \"limit\": 100000}}|limit",
            "{\"query\": {\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}]}}}}|source.day",
            "{\"query\": {\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}]}, \"day\": \"1999-01-01\"}}}|source.day",
            "{\"query\": {\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"FunnelsActorsQuery\", \"source\": {\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\"}]}, \"funnelStep\": 7}}}|source.funnelStep",
            "{\"query\": {\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": {\"kind\": \"TrendsQuery\", \"series\": []}}}}|source.source.series",
            "{\"query\": {\"kind\": \"PathsQuery\", \"pathsFilter\": {\"includeEventTypes\": [\"$autocapture\"]}}}|pathsFilter.includeEventTypes",
            // fields the kind does not read are still checked for their type
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"funnelsFilter\": 1.5}}|funnelsFilter",
            "{\"query\": {\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"a\"}, {\"event\": \"b\"}], \"trendsFilter\": 1.5}}|trendsFilter",
            "{\"query\": {\"kind\": \"EventsQuery\", \"select\": [\"event\"], \"breakdownFilter\": \"x\"}}|breakdownFilter",
            "{\"query\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"filterTestAccounts\": \"yes\"}}|filterTestAccounts",
            "{\"query\": {\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"day\": \"2025-01-01\", \"source\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"a\"}], \"retentionFilter\": []}}}}|source.source.retentionFilter",
    })
    void invalidQueriesAre400sNamingTheField(String body, String attr) throws Exception {
        HttpResponse<String> r = query(server.projectId(), server.personalKey(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.get("type").asText()).isEqualTo("validation_error");
        assertThat(error.get("attr").asText()).isEqualTo(attr);
        assertThat(error.get("detail").asText()).isNotBlank();
    }

    static HttpResponse<String> patchProject(long project, String key, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + project + "/"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void testAccountFiltersAreAProjectSetting() throws Exception {
        String withFilter = TOTAL.replace("\"dateRange\"", "\"filterTestAccounts\": true, \"dateRange\"");
        HttpResponse<String> r = patchProject(server.projectId(), server.personalKey(),
                "{\"test_account_filters\": [{\"key\": \"n\", \"operator\": \"lt\", \"value\": 3, \"type\": \"event\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("test_account_filters")).hasSize(1);
        try {
            assertThat(ok(server.projectId(), server.personalKey(), withFilter.formatted("")).get("results").get(0).get("count").asLong()).isEqualTo(6);
            assertThat(ok(server.projectId(), server.personalKey(), TOTAL.formatted("")).get("results").get(0).get("count").asLong()).isEqualTo(8);
            HttpResponse<String> bad = patchProject(server.projectId(), server.personalKey(),
                    "{\"test_account_filters\": [{\"key\": \"n\", \"operator\": \"sometimes\"}]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("attr").asText()).isEqualTo("test_account_filters");
            assertThat(patchProject(other.id(), server.personalKey(), "{\"test_account_filters\": []}").statusCode()).isEqualTo(403);
        } finally {
            assertThat(patchProject(server.projectId(), server.personalKey(), "{\"test_account_filters\": []}").statusCode()).isEqualTo(200);
        }
        assertThat(ok(server.projectId(), server.personalKey(), withFilter.formatted("")).get("results").get(0).get("count").asLong()).isEqualTo(8);
    }

    @Test
    void aBodyNotInUtf8IsRefusedAndGetIsA405() throws Exception {
        String body = TOTAL.formatted("");
        HttpResponse<String> utf16 = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/query/"))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_16LE))).build());
        assertThat(utf16.statusCode()).as(utf16.body()).isEqualTo(400);
        assertThat(JSON.readTree(utf16.body()).get("code").asText()).isEqualTo("invalid_utf8");
        HttpResponse<String> withBom = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/query/"))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_16))).build());
        assertThat(withBom.statusCode()).as(withBom.body()).isEqualTo(400);
        HttpResponse<String> declared = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/query/"))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json; charset=utf-16")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_16))).build());
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(415);
        // UTF-8, with or without its byte order mark, is read
        byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        HttpResponse<String> utf8Bom = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/query/"))
                .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bom)).build());
        assertThat(utf8Bom.statusCode()).as(utf8Bom.body()).isEqualTo(200);

        HttpResponse<String> get = server.get("/api/projects/" + server.projectId() + "/query/");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(JSON.readTree(get.body()).get("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        HttpResponse<String> r = query(server.projectId(), server.personalKey(), "{\"query\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("attr").asText()).isEqualTo("query");
    }

    @Test
    void sqlTextCannotNameAStoredTable() {
        Sql sql = new Sql(1, new dev.sightline.store.duckdb.DuckDbDialect());
        for (String raw : new String[] {"SELECT * FROM events", "FROM persons p", "JOIN person_distinct_id_overrides", "FROM Events",
                "FROM sessions", "FROM projects"}) {
            assertThatThrownBy(() -> sql.add(raw)).isInstanceOf(IllegalStateException.class);
        }
        Sql ok = new Sql(7, new dev.sightline.store.duckdb.DuckDbDialect()).add("SELECT count(*) FROM ").from(Dialect.Relation.EVENTS, "ev");
        assertThat(ok.params()).isNotEmpty().containsOnly(7L);
        Sql persons = new Sql(7, new dev.sightline.store.duckdb.DuckDbDialect()).add("SELECT 1 FROM ").from(Dialect.Relation.EVENTS_WITH_PERSONS, "ev");
        assertThat(persons.params()).hasSizeGreaterThan(ok.params().size()).containsOnly(7L);
        assertThatThrownBy(() -> ok.add(persons.dialect().equals(null) ? ok : new Sql(8, ok.dialect()))).isInstanceOf(IllegalStateException.class);
    }
}
