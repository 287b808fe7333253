package dev.sightline.query;

import static dev.sightline.query.Fixture.end;
import static dev.sightline.query.Fixture.q;
import static dev.sightline.query.Fixture.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.Dataset.Ev;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventsAndActorsQueryTest {
    private final Fixture f = Fixture.get();
    private final Oracle o = f.a;

    @Test
    void eventsTableWithColumnsFiltersOrderAndPaging() {
        String query = """
                {"kind": "EventsQuery", "select": ["*", "event", "timestamp", "properties.$browser", "person.properties.plan", "person_id"],
                 "event": "purchase", "properties": [{"key": "amount", "operator": "gt", "value": 50}],
                 "after": "2025-03-05", "before": "2025-03-25T12:00:00", "orderBy": ["timestamp DESC"], "limit": 7, "offset": 3}""";
        JsonNode r = f.runA(query);
        Instant after = start("2025-03-05").atZone(o.zone).toInstant();
        Instant before = start("2025-03-25").plusHours(12).atZone(o.zone).toInstant();
        List<Ev> expected = o.events().stream().filter(e -> e.event().equals("purchase"))
                .filter(o.filter("amount", "gt", 50, false))
                .filter(e -> !e.ts().isBefore(after) && !e.ts().isAfter(before))
                .sorted(Comparator.comparing(Ev::ts).reversed().thenComparing(e -> e.uuid().toString())).toList();
        assertThat(expected.size()).isGreaterThan(10);
        JsonNode rows = r.get("results");
        assertThat(rows).hasSize(7);
        assertThat(r.get("hasMore").asBoolean()).isEqualTo(expected.size() > 10);
        assertThat(r.get("columns").get(3).asText()).isEqualTo("properties.$browser");
        for (int i = 0; i < 7; i++) {
            Ev e = expected.get(i + 3);
            JsonNode row = rows.get(i);
            assertThat(row.get(0).get("uuid").asText()).isEqualTo(e.uuid().toString());
            assertThat(row.get(0).get("properties")).isEqualTo(e.props());
            assertThat(row.get(1).asText()).isEqualTo("purchase");
            assertThat(java.time.OffsetDateTime.parse(row.get(2).asText()).toInstant()).isEqualTo(e.ts());
            String browser = Oracle.text(e.props(), "$browser");
            assertThat(row.get(3).isNull() ? null : row.get(3).asText()).isEqualTo(browser);
            String plan = Oracle.text(o.personProps(e), "plan");
            assertThat(row.get(4).isNull() ? null : row.get(4).asText()).isEqualTo(plan);
        }
    }

    @Test
    void countsGroupedByColumns() {
        JsonNode r = f.runA("""
                {"kind": "EventsQuery", "select": ["event", "count()"], "after": "2025-03-01", "before": "2025-03-31",
                 "orderBy": ["count() DESC", "event ASC"]}""");
        Map<String, Long> expected = o.events().stream()
                .filter(e -> OracleTrends.within(o, e, start("2025-03-01"), start("2025-03-31")))
                .collect(Collectors.groupingBy(Ev::event, Collectors.counting()));
        assertThat(r.get("results")).hasSize(expected.size());
        long previous = Long.MAX_VALUE;
        for (JsonNode row : r.get("results")) {
            assertThat(row.get(1).asLong()).isEqualTo(expected.get(row.get(0).asText()));
            assertThat(row.get(1).asLong()).isLessThanOrEqualTo(previous);
            previous = row.get(1).asLong();
        }
    }

    @Test
    void hostileKeysAsColumnsAndAPersonsEvents() {
        String key = Dataset.WEIRD_KEYS.getFirst();
        String person = f.data.mergedPersons.getFirst().toString();
        JsonNode r = f.runA("""
                {"kind": "EventsQuery", "select": ["uuid", %s, "distinct_id"], "personId": "%s", "limit": 1000}"""
                .formatted(q("properties.`" + key + "`"), person));
        List<Ev> expected = o.events().stream().filter(e -> o.actor(e).equals(person)).toList();
        assertThat(r.get("results")).hasSize(expected.size());
        Set<String> distinctIds = new HashSet<>();
        Map<String, Ev> byUuid = new HashMap<>();
        expected.forEach(e -> byUuid.put(e.uuid().toString(), e));
        for (JsonNode row : r.get("results")) {
            Ev e = byUuid.get(row.get(0).asText());
            assertThat(row.get(1).isNull() ? null : row.get(1).asText()).isEqualTo(Oracle.text(e.props(), key));
            distinctIds.add(row.get(2).asText());
        }
        // the merged person's events come from both of its distinct ids
        assertThat(distinctIds).hasSizeGreaterThan(1);
    }

    private static Set<String> ids(JsonNode actors) {
        Set<String> out = new HashSet<>();
        for (JsonNode row : actors.get("results")) out.add(row.get(1).asText());
        return out;
    }

    /** The oracle's actors that are persons (ids comparable with the engine's). */
    private Set<String> persons(Set<String> actors) {
        return actors.stream().filter(a -> !a.startsWith("distinct:")).collect(Collectors.toSet());
    }

    private Set<String> withoutFallbackIds(Set<String> engine) {
        Set<String> real = new HashSet<>();
        f.data.persons.get(Fixture.A).keySet().forEach(u -> real.add(u.toString()));
        return engine.stream().filter(real::contains).collect(Collectors.toSet());
    }

    @Test
    void actorsOfATrendBucketAndBreakdown() {
        String source = """
                {"kind": "TrendsQuery", "series": [{"event": "$pageview", "math": "dau"}], "interval": "day",
                 "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-31"},
                 "breakdownFilter": {"breakdown": "$browser"}}""";
        JsonNode r = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + source
                + ", \"day\": \"2025-03-10\", \"breakdown\": \"Chrome\", \"series\": 0}, \"limit\": 1000}");
        Set<String> expected = o.events().stream().filter(e -> e.event().equals("$pageview"))
                .filter(e -> o.local(e.ts()).toLocalDate().toString().equals("2025-03-10"))
                .filter(e -> "Chrome".equals(Oracle.text(e.props(), "$browser"))).map(o::actor).collect(Collectors.toSet());
        assertThat(expected).isNotEmpty();
        assertThat(withoutFallbackIds(ids(r))).isEqualTo(persons(expected));
        assertThat(r.get("results")).hasSize(expected.size());
        JsonNode first = r.get("results").get(0).get(0);
        assertThat(first.has("distinct_ids")).isTrue();
    }

    @Test
    void actorsOfFunnelStepsAndDropOffs() {
        String source = """
                {"kind": "FunnelsQuery", "series": [{"event": "$pageview"}, {"event": "signup"}, {"event": "purchase"}],
                 "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-31"}}""";
        var outcome = OracleFunnels.run(o, List.of(e -> e.event().equals("$pageview"), e -> e.event().equals("signup"),
                e -> e.event().equals("purchase")), 14 * 86400, "ordered", start("2025-03-01"), end("2025-03-31"), e -> true, List.of(), null);
        for (int step : List.of(1, 2, 3, -2, -3)) {
            JsonNode r = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"FunnelsActorsQuery\", \"source\": " + source
                    + ", \"funnelStep\": " + step + "}, \"limit\": 10000}");
            int k = Math.abs(step) - 1;
            Set<String> expected = outcome.entrySet().stream()
                    .filter(e -> step > 0 ? e.getValue().furthest() >= k : e.getValue().furthest() == k - 1)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertThat(r.get("results")).as("step %d", step).hasSize(expected.size());
            assertThat(withoutFallbackIds(ids(r))).isEqualTo(persons(expected));
        }
    }

    @Test
    void actorsOfRetentionLifecycleAndStickiness() {
        String retention = """
                {"kind": "RetentionQuery", "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-07"},
                 "retentionFilter": {"targetEntity": {"id": "$pageview", "type": "events"}, "returningEntity": {"id": "$pageview", "type": "events"},
                 "retentionType": "retention_recurring", "period": "Day", "totalIntervals": 5}}""";
        JsonNode r = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + retention
                + ", \"interval\": 2}, \"limit\": 10000}");
        Set<String> cohort = o.events().stream().filter(e -> e.event().equals("$pageview"))
                .filter(e -> o.local(e.ts()).toLocalDate().toString().equals("2025-03-03")).map(o::actor).collect(Collectors.toSet());
        assertThat(r.get("results")).hasSize(cohort.size());
        assertThat(withoutFallbackIds(ids(r))).isEqualTo(persons(cohort));

        String lifecycle = """
                {"kind": "LifecycleQuery", "series": [{"event": "$pageview"}], "interval": "week",
                 "dateRange": {"date_from": "2025-03-02", "date_to": "2025-03-29"}}""";
        JsonNode lc = f.runA(lifecycle);
        for (String status : LifecycleRunner.STATUSES) {
            JsonNode series = lc.get("results").get(LifecycleRunner.STATUSES.indexOf(status));
            for (int i = 0; i < series.get("days").size(); i++) {
                JsonNode a = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + lifecycle
                        + ", \"day\": \"" + series.get("days").get(i).asText() + "\", \"status\": \"" + status + "\"}, \"limit\": 10000}");
                assertThat(a.get("results").size()).as("%s %d", status, i).isEqualTo(Math.abs(series.get("data").get(i).asInt()));
            }
        }

        String stickiness = """
                {"kind": "StickinessQuery", "series": [{"event": "purchase"}], "interval": "day",
                 "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-31"}}""";
        JsonNode st = f.runA(stickiness);
        for (int k = 1; k <= 4; k++) {
            JsonNode a = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + stickiness
                    + ", \"day\": " + k + "}, \"limit\": 10000}");
            assertThat(a.get("results").size()).isEqualTo(st.get("results").get(0).get("data").get(k - 1).asInt());
        }
    }

    @Test
    void actorsPageInIdOrder() {
        String source = """
                {"kind": "TrendsQuery", "series": [{"event": null}], "interval": "month",
                 "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-31"}}""";
        List<String> all = new ArrayList<>();
        for (int offset = 0; ; offset += 7) {
            JsonNode r = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + source
                    + ", \"day\": \"2025-03-01\"}, \"limit\": 7, \"offset\": " + offset + "}");
            r.get("results").forEach(row -> all.add(row.get(1).asText()));
            if (!r.get("hasMore").asBoolean()) break;
        }
        Set<String> expected = o.events().stream().filter(e -> OracleTrends.within(o, e, start("2025-03-01"), end("2025-03-31")))
                .map(o::actor).collect(Collectors.toSet());
        assertThat(all).hasSize(expected.size()).doesNotHaveDuplicates().isSorted();
    }

    /** Funnel actors are chosen in Java (the walk), so their paging and profiles take the other path. */
    @Test
    void funnelActorsPageInIdOrderAndCountThoseWithoutAProfile() {
        String source = """
                {"kind": "FunnelsQuery", "series": [{"event": "$pageview"}, {"event": "signup"}],
                 "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-31"}}""";
        List<String> all = new ArrayList<>();
        int missing = 0;
        for (int offset = 0; ; offset += 9) {
            JsonNode r = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"FunnelsActorsQuery\", \"source\": " + source
                    + ", \"funnelStep\": 1}, \"limit\": 9, \"offset\": " + offset + "}");
            r.get("results").forEach(row -> all.add(row.get(1).asText()));
            missing += r.get("missing_actors_count").asInt();
            for (JsonNode row : r.get("results")) {
                boolean profile = !row.get(0).get("created_at").isNull();
                assertThat(profile).as("profile of %s", row.get(1)).isEqualTo(!row.get(0).get("distinct_ids").isEmpty());
            }
            if (!r.get("hasMore").asBoolean()) break;
        }
        var outcome = OracleFunnels.run(o, List.of(e -> e.event().equals("$pageview"), e -> e.event().equals("signup")),
                14 * 86400, "ordered", start("2025-03-01"), end("2025-03-31"), e -> true, List.of(), null);
        assertThat(all).hasSize(outcome.size()).doesNotHaveDuplicates().isSorted();
        assertThat(missing).isEqualTo(all.size() - withoutFallbackIds(new HashSet<>(all)).size());
    }
}
