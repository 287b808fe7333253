package dev.sightline.query;

import static dev.sightline.query.Fixture.end;
import static dev.sightline.query.Fixture.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.Dataset.Ev;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RetentionQueryTest {
    private final Fixture f = Fixture.get();
    private final Oracle o = f.a;

    /** Rows of counts, computed from the definition over the raw events. */
    private long[][] expected(Oracle o, Predicate<Ev> target, Predicate<Ev> returning, boolean firstTime, String period,
                              LocalDateTime from, LocalDateTime to, int total, boolean cumulative, Predicate<String> inGroup) {
        List<LocalDateTime> cohorts = OracleTrends.buckets(period, from, to);
        LocalDateTime endExclusive = OracleTrends.next(period, cohorts.getLast());
        Map<String, Set<Integer>> cohortsOf = new HashMap<>();
        Map<String, Set<Integer>> returnsOf = new HashMap<>();
        Map<String, Ev> firstEver = new HashMap<>();
        for (Ev e : o.events()) {
            int c = cohorts.indexOf(OracleTrends.floor(period, o.local(e.ts())));
            boolean inside = c >= 0 && o.local(e.ts()).isBefore(endExclusive);
            if (target.test(e)) {
                if (firstTime) firstEver.merge(o.actor(e), e, (a, b) -> a.ts().isBefore(b.ts()) ? a : b);
                else if (inside) cohortsOf.computeIfAbsent(o.actor(e), k -> new HashSet<>()).add(c);
            }
            if (returning.test(e) && inside) returnsOf.computeIfAbsent(o.actor(e), k -> new HashSet<>()).add(c);
        }
        firstEver.forEach((actor, e) -> {
            int c = cohorts.indexOf(OracleTrends.floor(period, o.local(e.ts())));
            if (c >= 0) cohortsOf.computeIfAbsent(actor, k -> new HashSet<>()).add(c);
        });
        long[][] rows = new long[cohorts.size()][total];
        cohortsOf.forEach((actor, cs) -> {
            if (!inGroup.test(actor)) return;
            for (int c : cs) {
                rows[c][0]++;
                for (int k = 1; k < total; k++) {
                    boolean hit = false;
                    for (int j = k; j < (cumulative ? total : k + 1); j++) hit |= returnsOf.getOrDefault(actor, Set.of()).contains(c + j);
                    if (hit) rows[c][k]++;
                }
            }
        });
        return rows;
    }

    private static void assertRows(JsonNode results, long[][] expected, String unit) {
        assertThat(results).hasSize(expected.length);
        for (int c = 0; c < expected.length; c++) {
            JsonNode row = results.get(c);
            assertThat(row.get("label").asText()).isEqualTo(unit + " " + c);
            for (int k = 0; k < expected[c].length; k++) {
                assertThat(row.get("values").get(k).get("count").asLong()).as("cohort %d period %d", c, k).isEqualTo(expected[c][k]);
                assertThat(row.get("values").get(k).get("label").asText()).isEqualTo(unit + " " + k);
            }
        }
    }

    private static String retention(String from, String to, String filter, String extra) {
        return """
                {"kind": "RetentionQuery", "dateRange": {"date_from": "%s", "date_to": "%s"},
                 "retentionFilter": {%s} %s}""".formatted(from, to, filter, extra);
    }

    @Test
    void recurringDailyRetention() {
        JsonNode r = f.runA(retention("2025-03-01", "2025-03-14", """
                "targetEntity": {"id": "$pageview", "type": "events"}, "returningEntity": {"id": "purchase", "type": "events"},
                "retentionType": "retention_recurring", "period": "Day", "totalIntervals": 10""", ""));
        assertRows(r.get("results"), expected(o, e -> e.event().equals("$pageview"), e -> e.event().equals("purchase"), false, "day",
                start("2025-03-01"), end("2025-03-14"), 10, false, a -> true), "Day");
        assertThat(r.get("results").get(0).get("date").asText()).isEqualTo("2025-03-01T00:00:00-05:00");
    }

    @Test
    void firstTimeWeeklyRetentionCountsOnlyTheFirstEverEvent() {
        JsonNode r = f.runA(retention("2025-02-23", "2025-03-29", """
                "targetEntity": {"id": "signup", "type": "events"}, "returningEntity": {"id": "$pageview", "type": "events"},
                "retentionType": "retention_first_time", "period": "Week", "totalIntervals": 5""", ""));
        assertRows(r.get("results"), expected(o, e -> e.event().equals("signup"), e -> e.event().equals("$pageview"), true, "week",
                start("2025-02-23"), end("2025-03-29"), 5, false, a -> true), "Week");
    }

    @Test
    void cumulativeMonthlyWithTargetFilters() {
        JsonNode r = f.runA(retention("2025-02-01", "2025-03-31", """
                "targetEntity": {"id": "$pageview", "type": "events", "properties": [{"key": "$browser", "value": "Chrome"}]},
                "returningEntity": {"id": null, "type": "events"},
                "retentionType": "retention_first_time", "period": "Month", "totalIntervals": 3, "cumulative": true""", ""));
        assertRows(r.get("results"), expected(o, e -> e.event().equals("$pageview") && "Chrome".equals(Oracle.text(e.props(), "$browser")),
                e -> true, true, "month", start("2025-02-01"), end("2025-03-31"), 3, true, a -> true), "Month");
    }

    @Test
    void withoutADateRangeTheCohortsEndNow() {
        JsonNode r = f.runA("""
                {"kind": "RetentionQuery", "retentionFilter": {"targetEntity": {"id": "$pageview", "type": "events"},
                 "returningEntity": {"id": "$pageview", "type": "events"}, "retentionType": "retention_recurring",
                 "period": "Day", "totalIntervals": 7}}""");
        assertRows(r.get("results"), expected(o, e -> e.event().equals("$pageview"), e -> e.event().equals("$pageview"), false, "day",
                start("2025-03-25"), end("2025-03-31"), 7, false, a -> true), "Day");
    }

    @Test
    void personBreakdownGivesRowsPerValue() {
        JsonNode r = f.runA(retention("2025-03-01", "2025-03-07", """
                "targetEntity": {"id": "$pageview", "type": "events"}, "returningEntity": {"id": "$pageview", "type": "events"},
                "retentionType": "retention_recurring", "period": "Day", "totalIntervals": 4""",
                ", \"breakdownFilter\": {\"breakdown\": \"plan\", \"breakdown_type\": \"person\"}"));
        Function<String, String> plan = actor -> {
            if (actor.startsWith("distinct:")) return OracleTrends.NULL;
            var p = f.data.persons.get(Fixture.A).get(java.util.UUID.fromString(actor));
            String v = p == null ? null : Oracle.text(p.props(), "plan");
            return v == null ? OracleTrends.NULL : v;
        };
        Map<String, List<JsonNode>> byValue = new HashMap<>();
        for (JsonNode row : r.get("results")) byValue.computeIfAbsent(row.get("breakdown_value").asText(), k -> new java.util.ArrayList<>()).add(row);
        assertThat(byValue.keySet()).contains("free", "pro");
        for (var e : byValue.entrySet()) {
            long[][] rows = expected(o, ev -> ev.event().equals("$pageview"), ev -> ev.event().equals("$pageview"), false, "day",
                    start("2025-03-01"), end("2025-03-07"), 4, false, a -> plan.apply(a).equals(e.getKey()));
            assertRows(f.JSON.valueToTree(e.getValue()), rows, "Day");
        }
    }

    @Test
    void eventBreakdownTakesTheValueOfTheEarliestCohortEvent() {
        JsonNode r = f.runA(retention("2025-03-01", "2025-03-07", """
                "targetEntity": {"id": "$pageview", "type": "events"}, "returningEntity": {"id": "$pageview", "type": "events"},
                "retentionType": "retention_recurring", "period": "Day", "totalIntervals": 3""",
                ", \"breakdownFilter\": {\"breakdown\": \"$browser\", \"breakdown_type\": \"event\"}"));
        // each actor's value: on their first $pageview of their earliest cohort day
        Map<String, Ev> first = new HashMap<>();
        for (Ev e : o.events()) {
            if (!e.event().equals("$pageview") || !OracleTrends.within(o, e, start("2025-03-01"), end("2025-03-07"))) continue;
            first.merge(o.actor(e), e, (a, b) -> a.ts().isBefore(b.ts()) ? a : b);
        }
        Function<String, String> value = actor -> {
            String v = Oracle.text(first.get(actor).props(), "$browser");
            return v == null ? OracleTrends.NULL : v;
        };
        Map<String, List<JsonNode>> byValue = new HashMap<>();
        for (JsonNode row : r.get("results")) byValue.computeIfAbsent(row.get("breakdown_value").asText(), k -> new java.util.ArrayList<>()).add(row);
        assertThat(byValue).containsKey("Chrome");
        for (var e : byValue.entrySet()) {
            long[][] rows = expected(o, ev -> ev.event().equals("$pageview"), ev -> ev.event().equals("$pageview"), false, "day",
                    start("2025-03-01"), end("2025-03-07"), 3, false, a -> first.containsKey(a) && value.apply(a).equals(e.getKey()));
            assertRows(f.JSON.valueToTree(e.getValue()), rows, "Day");
        }
    }

    @Test
    void otherProjectRetention() {
        JsonNode r = f.run(Fixture.B, retention("2025-02-20", "2025-03-31", """
                "targetEntity": {"id": null, "type": "events"}, "returningEntity": {"id": null, "type": "events"},
                "retentionType": "retention_first_time", "period": "Week", "totalIntervals": 6""", ""));
        assertRows(r.get("results"), expected(f.b, e -> true, e -> true, true, "week", start("2025-02-20"), end("2025-03-31"), 6, false, a -> true), "Week");
    }
}
