package dev.sightline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.identity.Group;
import dev.sightline.identity.GroupType;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PropertyMap;
import dev.sightline.store.EventRecord;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbQueries;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Filters on session and group properties, and breakdowns by a group property, against counts
 * made here in plain Java from the same events: a session property comes from all the session's events (duration first to last, entry
 * and exit values, else the first event that has it); a group property from the group's row.
 */
class SessionAndGroupFiltersTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2025-03-10T00:00:00Z");
    static final String[] URLS = {"https://x.io/", "https://x.io/pricing", "https://x.io/docs", null};
    static final String[] INDUSTRIES = {"tech", "retail", "O'Reilly \"media\""};

    record Ev(String event, Instant ts, String session, String company, String url, String browser) {}

    static Database db;
    static QueryService service;
    static final List<Ev> events = new ArrayList<>();
    static final Map<String, ObjectNode> companies = new HashMap<>();

    @BeforeAll
    static void store() throws Exception {
        db = Database.open(Files.createTempDirectory("session-group-filters"));
        Random r = new Random(11);
        List<EventRecord> records = new ArrayList<>();
        List<Group> groups = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            ObjectNode p = JSON.createObjectNode();
            if (c % 4 != 3) p.put("industry", INDUSTRIES[c % INDUSTRIES.length]);
            p.put("seats", c * 10);
            // companies 10 and 11 appear on events but have no group row
            if (c < 10) {
                companies.put("co-" + c, p);
                groups.add(new Group(1, 0, "co-" + c, PropertyMap.copyOf(p), T0, 0));
            }
        }
        for (int i = 0; i < 600; i++) {
            String session = r.nextInt(10) == 0 ? null : "s-" + r.nextInt(60);
            String company = r.nextInt(6) == 0 ? null : "co-" + r.nextInt(12);
            String url = URLS[r.nextInt(URLS.length)];
            String browser = r.nextBoolean() ? "Chrome" : "Firefox";
            Instant ts = T0.plusSeconds(r.nextInt(5 * 86400));
            Ev e = new Ev(r.nextInt(4) == 0 ? "signup" : "$pageview", ts, session, company, url, browser);
            events.add(e);
            ObjectNode props = JSON.createObjectNode();
            if (url != null) props.put("$current_url", url);
            props.put("$browser", browser);
            List<String> groupKeys = new ArrayList<>(EventRecord.NO_GROUPS);
            if (company != null) groupKeys.set(0, company);
            records.add(new EventRecord(1, UUID.randomUUID(), e.event(), "u-" + r.nextInt(30), ts, ts, props.toString(),
                    Optional.of(UUID.nameUUIDFromBytes(("p" + i % 30).getBytes())), "{}", Optional.of("full"),
                    Optional.ofNullable(session), groupKeys, Optional.empty()));
        }
        new DuckDbIngest(db).commit(records, new PersonChanges(List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(new GroupType(1, "company", 0)), groups));
        DuckDbQueries store = new DuckDbQueries(db);
        service = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(Instant.parse("2025-03-20T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** The session's value of a session property, as documented; null when it has none. */
    static String sessionValue(String session, String key) {
        List<Ev> of = events.stream().filter(e -> session.equals(e.session())).sorted(Comparator.comparing(Ev::ts)).toList();
        if (key.equals("$session_duration")) {
            return Long.toString(of.getLast().ts().getEpochSecond() - of.getFirst().ts().getEpochSecond());
        }
        boolean exit = key.startsWith("$exit_");
        String prop = exit ? "$" + key.substring(6) : key.startsWith("$entry_") ? "$" + key.substring(7) : key;
        List<Ev> order = exit ? of.reversed() : of;
        for (Ev e : order) {
            String v = prop.equals("$current_url") ? e.url() : prop.equals("$browser") ? e.browser() : null;
            if (v != null) return v;
        }
        return null;
    }

    static long total(String filter) throws Exception {
        return total(filter, "2025-03-09", "2025-03-16");
    }

    static long total(String filter, String from, String to) throws Exception {
        JsonNode body = JSON.readTree("""
                {"refresh": true, "query": {"kind": "TrendsQuery", "series": [{"event": null}], "interval": "day",
                 "dateRange": {"date_from": "%s", "date_to": "%s"}, "properties": [%s]}}""".formatted(from, to, filter));
        JsonNode r = JSON.valueToTree(service.run(1, "UTC", body));
        return r.get("results").get(0).get("count").asLong();
    }

    static long expected(Predicate<Ev> passes) {
        return events.stream().filter(passes).count();
    }

    @Test
    void sessionFiltersTestTheWholeSession() throws Exception {
        Map<String, Predicate<String>> cases = new HashMap<>();
        cases.put("{\"type\": \"session\", \"key\": \"$session_duration\", \"operator\": \"gt\", \"value\": 200000}",
                v -> v != null && Double.parseDouble(v) > 200000);
        cases.put("{\"type\": \"session\", \"key\": \"$entry_current_url\", \"operator\": \"exact\", \"value\": \"https://x.io/pricing\"}",
                "https://x.io/pricing"::equals);
        cases.put("{\"type\": \"session\", \"key\": \"$exit_current_url\", \"operator\": \"is_not\", \"value\": \"https://x.io/\"}",
                v -> !"https://x.io/".equals(v));
        cases.put("{\"type\": \"session\", \"key\": \"$entry_browser\", \"operator\": \"icontains\", \"value\": \"fire\"}",
                v -> v != null && v.toLowerCase().contains("fire"));
        // the duration compared as a number and matched as text, as for any property
        cases.put("{\"type\": \"session\", \"key\": \"$session_duration\", \"operator\": \"between\", \"value\": [100000, 250000]}",
                v -> v != null && Double.parseDouble(v) >= 100000 && Double.parseDouble(v) <= 250000);
        String oneDuration = sessionValue("s-1", "$session_duration");
        cases.put("{\"type\": \"session\", \"key\": \"$session_duration\", \"operator\": \"exact\", \"value\": \"" + oneDuration + "\"}",
                oneDuration::equals);
        for (var c : cases.entrySet()) {
            boolean missingPasses = c.getKey().contains("is_not");
            String key = JSON.readTree(c.getKey()).get("key").asText();
            long want = expected(e -> e.session() == null ? missingPasses : c.getValue().test(sessionValue(e.session(), key)));
            assertThat(want).as("the case selects some events, not all: %s", c.getKey()).isBetween(1L, events.size() - 1L);
            assertThat(total(c.getKey())).as(c.getKey()).isEqualTo(want);
        }
    }

    /**
     * A range that cuts sessions in two: a session's value still comes from all its events, also
     * those outside the range, while only the range's events are counted.
     */
    @Test
    void sessionFiltersUseTheWholeSessionWhenTheRangeCutsIt() throws Exception {
        Instant from = Instant.parse("2025-03-12T00:00:00Z");
        Instant to = Instant.parse("2025-03-13T23:59:59.999999Z");
        Predicate<Ev> inRange = e -> !e.ts().isBefore(from) && !e.ts().isAfter(to);
        long cut = events.stream().filter(inRange).map(Ev::session).filter(java.util.Objects::nonNull).distinct()
                .filter(sid -> events.stream().anyMatch(e -> sid.equals(e.session()) && !inRange.test(e))).count();
        assertThat(cut).as("sessions with events on both sides of the range").isPositive();
        Map<String, Predicate<String>> cases = new HashMap<>();
        cases.put("{\"type\": \"session\", \"key\": \"$session_duration\", \"operator\": \"gt\", \"value\": 200000}",
                v -> v != null && Double.parseDouble(v) > 200000);
        cases.put("{\"type\": \"session\", \"key\": \"$entry_current_url\", \"operator\": \"exact\", \"value\": \"https://x.io/pricing\"}",
                "https://x.io/pricing"::equals);
        for (var c : cases.entrySet()) {
            String key = JSON.readTree(c.getKey()).get("key").asText();
            long want = expected(e -> inRange.test(e) && e.session() != null && c.getValue().test(sessionValue(e.session(), key)));
            assertThat(want).as(c.getKey()).isPositive();
            assertThat(total(c.getKey(), "2025-03-12", "2025-03-13")).as(c.getKey()).isEqualTo(want);
        }
        // a session breakdown over the same range: each event under its whole session's entry URL
        JsonNode split = JSON.valueToTree(service.run(1, "UTC", JSON.readTree("""
                {"refresh": true, "query": {"kind": "TrendsQuery", "series": [{"event": null}], "interval": "day",
                 "dateRange": {"date_from": "2025-03-12", "date_to": "2025-03-13"},
                 "breakdownFilter": {"breakdown": "$entry_current_url", "breakdown_type": "session"}}}""")));
        Map<String, Long> want = new HashMap<>();
        for (Ev e : events) {
            if (!inRange.test(e)) continue;
            String v = e.session() == null ? null : sessionValue(e.session(), "$entry_current_url");
            want.merge(v == null ? "$$_posthog_breakdown_null_$$" : v, 1L, Long::sum);
        }
        Map<String, Long> got = new HashMap<>();
        for (JsonNode line : split.get("results")) got.put(line.get("breakdown_value").asText(), line.get("count").asLong());
        assertThat(got).isEqualTo(want);
    }

    static String industry(Ev e) {
        if (e.company() == null || !companies.containsKey(e.company())) return null;
        JsonNode v = companies.get(e.company()).get("industry");
        return v == null ? null : v.asText();
    }

    @Test
    void groupFiltersReadTheGroupsRow() throws Exception {
        String quoted = INDUSTRIES[2];
        assertThat(total("{\"type\": \"group\", \"group_type_index\": 0, \"key\": \"industry\", \"value\": \"tech\"}"))
                .isEqualTo(expected(e -> "tech".equals(industry(e))));
        assertThat(total("{\"type\": \"group\", \"group_type_index\": 0, \"key\": \"industry\", \"operator\": \"exact\", \"value\": " + JSON.writeValueAsString(quoted) + "}"))
                .isEqualTo(expected(e -> quoted.equals(industry(e)))).isPositive();
        // events without a company, with a company that has no row, or whose row lacks the key pass is_not
        assertThat(total("{\"type\": \"group\", \"group_type_index\": 0, \"key\": \"industry\", \"operator\": \"is_not\", \"value\": \"tech\"}"))
                .isEqualTo(expected(e -> !"tech".equals(industry(e))));
        assertThat(total("{\"type\": \"group\", \"group_type_index\": 0, \"key\": \"industry\", \"operator\": \"is_set\"}"))
                .isEqualTo(expected(e -> industry(e) != null));
        assertThat(total("{\"type\": \"group\", \"group_type_index\": 0, \"key\": \"seats\", \"operator\": \"gte\", \"value\": 50}"))
                .isEqualTo(expected(e -> e.company() != null && companies.containsKey(e.company()) && companies.get(e.company()).get("seats").asInt() >= 50));
        // another type index has no groups: nothing has the property
        assertThat(total("{\"type\": \"group\", \"group_type_index\": 1, \"key\": \"industry\", \"operator\": \"is_set\"}")).isZero();
    }

    @Test
    void uniqueGroupsCountEachGroupOnce() throws Exception {
        String series = "{\"event\": null, \"math\": \"unique_group\", \"math_group_type_index\": 0}";
        for (String display : List.of("ActionsLineGraph", "ActionsLineGraphCumulative", "BoldNumber")) {
            JsonNode r = JSON.valueToTree(service.run(1, "UTC", JSON.readTree("""
                    {"refresh": true, "query": {"kind": "TrendsQuery", "series": [%s], "interval": "day",
                     "dateRange": {"date_from": "2025-03-09", "date_to": "2025-03-16"}, "trendsFilter": {"display": "%s"}}}"""
                    .formatted(series, display)))).get("results").get(0);
            assertThat(r.get("action").get("math_group_type_index").asInt()).isZero();
            if (display.equals("BoldNumber")) {
                assertThat(r.get("aggregated_value").asLong()).isEqualTo(events.stream().map(Ev::company).filter(java.util.Objects::nonNull).distinct().count());
                continue;
            }
            for (int i = 0; i < 8; i++) {
                Instant from = Instant.parse("2025-03-09T00:00:00Z").plus(java.time.Duration.ofDays(display.endsWith("Cumulative") ? 0 : i));
                Instant to = Instant.parse("2025-03-10T00:00:00Z").plus(java.time.Duration.ofDays(i));
                long want = events.stream().filter(e -> !e.ts().isBefore(from) && e.ts().isBefore(to))
                        .map(Ev::company).filter(java.util.Objects::nonNull).distinct().count();
                assertThat(r.get("data").get(i).asLong()).as(display + " day " + i).isEqualTo(want);
            }
        }
        // with a filter on the group's own properties, and split by another event property
        JsonNode split = JSON.valueToTree(service.run(1, "UTC", JSON.readTree("""
                {"refresh": true, "query": {"kind": "TrendsQuery", "series": [%s], "interval": "month",
                 "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-31"}, "breakdownFilter": {"breakdown": "$browser"},
                 "properties": [{"type": "group", "group_type_index": 0, "key": "industry", "value": "tech"}]}}""".formatted(series))));
        for (JsonNode line : split.get("results")) {
            String browser = line.get("breakdown_value").asText();
            long want = events.stream().filter(e -> browser.equals(e.browser())).filter(e -> "tech".equals(industry(e)))
                    .map(Ev::company).distinct().count();
            assertThat(want).isPositive();
            assertThat(line.get("count").asLong()).as(browser).isEqualTo(want);
        }
        // the type index is required, and the actors of such a series are groups, which are not listed
        assertThatThrownBy(() -> service.run(1, "UTC", JSON.readTree("""
                {"query": {"kind": "TrendsQuery", "series": [{"event": null, "math": "unique_group"}]}}""")))
                .isInstanceOf(InvalidQuery.class).hasMessageContaining("math_group_type_index");
        assertThatThrownBy(() -> service.run(1, "UTC", JSON.readTree("""
                {"query": {"kind": "ActorsQuery", "source": {"kind": "InsightActorsQuery", "day": "2025-03-10", "source":
                 {"kind": "TrendsQuery", "series": [%s], "dateRange": {"date_from": "2025-03-09", "date_to": "2025-03-16"}}}}}""".formatted(series))))
                .isInstanceOf(InvalidQuery.class).hasMessageContaining("groups");
    }

    @Test
    void groupBreakdownsTakeTheGroupsValue() throws Exception {
        JsonNode body = JSON.readTree("""
                {"refresh": true, "query": {"kind": "TrendsQuery", "series": [{"event": null}], "interval": "day",
                 "dateRange": {"date_from": "2025-03-09", "date_to": "2025-03-16"},
                 "breakdownFilter": {"breakdown": "industry", "breakdown_type": "group", "breakdown_group_type_index": 0}}}""");
        JsonNode r = JSON.valueToTree(service.run(1, "UTC", body));
        Map<String, Long> got = new HashMap<>();
        for (JsonNode series : r.get("results")) got.put(series.get("breakdown_value").asText(), series.get("count").asLong());
        Map<String, Long> want = new HashMap<>();
        for (Ev e : events) want.merge(industry(e) == null ? Shapes.NULL_BREAKDOWN : industry(e), 1L, Long::sum);
        assertThat(want).hasSize(INDUSTRIES.length + 1);
        assertThat(got).isEqualTo(want);

        // a funnel by the group's value: each person counted once, under one value
        String funnel = """
                {"refresh": true, "query": {"kind": "FunnelsQuery", "series": [{"event": "$pageview"}, {"event": "signup"}],
                 "dateRange": {"date_from": "2025-03-09", "date_to": "2025-03-16"}%s}}""";
        JsonNode whole = JSON.valueToTree(service.run(1, "UTC", JSON.readTree(funnel.formatted(""))));
        JsonNode byIndustry = JSON.valueToTree(service.run(1, "UTC", JSON.readTree(funnel.formatted(
                ", \"breakdownFilter\": {\"breakdown\": \"industry\", \"breakdown_type\": \"group\", \"breakdown_group_type_index\": 0}"))));
        long entered = 0;
        for (JsonNode value : byIndustry.get("results")) entered += value.get(0).get("count").asLong();
        assertThat(byIndustry.get("results").size()).isGreaterThan(1);
        assertThat(entered).isEqualTo(whole.get("results").get(0).get("count").asLong());

        // retention by the group's value: the cohorts split among the values, none lost
        String retention = """
                {"refresh": true, "query": {"kind": "RetentionQuery", "dateRange": {"date_from": "2025-03-10", "date_to": "2025-03-14"},
                 "retentionFilter": {"period": "Day", "totalIntervals": 3, "retentionType": "retention_first_time",
                  "targetEntity": {"id": "$pageview", "type": "events"}, "returningEntity": {"id": "$pageview", "type": "events"}}%s}}""";
        JsonNode all = JSON.valueToTree(service.run(1, "UTC", JSON.readTree(retention.formatted(""))));
        JsonNode split = JSON.valueToTree(service.run(1, "UTC", JSON.readTree(retention.formatted(
                ", \"breakdownFilter\": {\"breakdown\": \"industry\", \"breakdown_type\": \"group\", \"breakdown_group_type_index\": 0}"))));
        long cohorts = 0, splitCohorts = 0;
        for (JsonNode row : all.get("results")) cohorts += row.get("values").get(0).get("count").asLong();
        for (JsonNode row : split.get("results")) splitCohorts += row.get("values").get(0).get("count").asLong();
        assertThat(cohorts).isPositive();
        assertThat(splitCohorts).isEqualTo(cohorts);
        assertThat(split.get("results").size()).isGreaterThan(all.get("results").size());
        assertThatThrownBy(() -> service.run(1, "UTC", JSON.readTree("""
                {"query": {"kind": "TrendsQuery", "series": [{"event": null}],
                 "breakdownFilter": {"breakdown": "industry", "breakdown_type": "group"}}}""")))
                .isInstanceOf(InvalidQuery.class).hasMessageContaining("breakdown_group_type_index");
    }

    @Test
    void aGroupFilterNeedsItsTypeIndex() {
        for (String index : List.of("", ", \"group_type_index\": 5", ", \"group_type_index\": \"0\"")) {
            assertThatThrownBy(() -> total("{\"type\": \"group\", \"key\": \"industry\", \"value\": \"tech\"" + index + "}"))
                    .isInstanceOf(InvalidQuery.class).hasMessageContaining("group_type_index");
        }
    }
}
