package dev.sightline.query;

import static dev.sightline.query.Fixture.end;
import static dev.sightline.query.Fixture.q;
import static dev.sightline.query.Fixture.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.Dataset.Ev;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunnelsQueryTest {
    private final Fixture f = Fixture.get();
    private final Oracle o = f.a;
    private static final String FROM = "2025-03-01";
    private static final String TO = "2025-03-31";

    private static Predicate<Ev> event(String name) {
        return e -> e.event().equals(name);
    }

    private static String funnel(String steps, String funnelsFilter, String extra) {
        return """
                {"kind": "FunnelsQuery", "series": [%s], "dateRange": {"date_from": "%s", "date_to": "%s"},
                 "funnelsFilter": {%s} %s}""".formatted(steps, FROM, TO, funnelsFilter, extra);
    }

    private static final String THREE = "{\"kind\": \"EventsNode\", \"event\": \"$pageview\"}, {\"event\": \"signup\"}, {\"event\": \"purchase\"}";
    private static final List<Predicate<Ev>> THREE_STEPS = List.of(event("$pageview"), event("signup"), event("purchase"));

    private void assertSteps(JsonNode steps, Map<String, OracleFunnels.PersonResult> expected, int n) {
        assertThat(steps).hasSize(n);
        for (int k = 0; k < n; k++) {
            int step = k;
            List<Double> durations = new ArrayList<>();
            long count = 0;
            for (var r : expected.values()) {
                if (r.furthest() < step) continue;
                count++;
                if (step > 0) durations.add((r.times()[step] - r.times()[step - 1]) / 1e6);
            }
            JsonNode s = steps.get(k);
            assertThat(s.get("order").asInt()).isEqualTo(k);
            assertThat(s.get("count").asLong()).as("step %d count", k).isEqualTo(count);
            if (step == 0 || durations.isEmpty()) {
                assertThat(s.get("average_conversion_time").isNull()).isTrue();
            } else {
                assertThat(s.get("average_conversion_time").asDouble()).as("step %d average time", k)
                        .isCloseTo(durations.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-6));
                assertThat(s.get("median_conversion_time").asDouble()).isCloseTo(Oracle.quantile(durations, 0.5), within(1e-6));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ordered", "strict", "unordered"})
    void orderTypesMatchIndependentChains(String order) {
        for (String window : List.of("\"funnelWindowInterval\": 14, \"funnelWindowIntervalUnit\": \"day\"",
                "\"funnelWindowInterval\": 90, \"funnelWindowIntervalUnit\": \"minute\"",
                "\"funnelWindowInterval\": 1, \"funnelWindowIntervalUnit\": \"week\"")) {
            long seconds = window.contains("minute") ? 90 * 60 : window.contains("week") ? 7 * 86400 : 14 * 86400;
            JsonNode r = f.runA(funnel(THREE, "\"funnelOrderType\": \"" + order + "\", " + window, ""));
            var expected = OracleFunnels.run(o, THREE_STEPS, seconds, order, start(FROM), end(TO), e -> true, List.of(), null);
            assertThat(expected).isNotEmpty();
            if (order.equals("unordered")) {
                // conversion times of an unordered funnel are between the sorted step times; check counts only
                for (int k = 0; k < 3; k++) {
                    int step = k;
                    assertThat(r.get("results").get(k).get("count").asLong())
                            .isEqualTo(expected.values().stream().filter(p -> p.furthest() >= step).count());
                }
            } else {
                assertSteps(r.get("results"), expected, 3);
            }
        }
    }

    @Test
    void defaultsAreAnOrderedFourteenDayFunnel() {
        JsonNode r = f.runA(funnel(THREE, "", ""));
        assertSteps(r.get("results"), OracleFunnels.run(o, THREE_STEPS, 14 * 86400, "ordered", start(FROM), end(TO), e -> true, List.of(), null), 3);
        assertThat(r.get("results").get(1).get("name").asText()).isEqualTo("signup");
        assertThat(r.get("results").get(0).get("action_id").asText()).isEqualTo("$pageview");
    }

    @Test
    void theSameEventTwiceNeedsTwoEvents() {
        String steps = "{\"event\": \"$pageview\"}, {\"event\": \"$pageview\"}, {\"event\": \"purchase\"}";
        JsonNode r = f.runA(funnel(steps, "\"funnelWindowInterval\": 2, \"funnelWindowIntervalUnit\": \"day\"", ""));
        assertSteps(r.get("results"), OracleFunnels.run(o, List.of(event("$pageview"), event("$pageview"), event("purchase")),
                2 * 86400, "ordered", start(FROM), end(TO), e -> true, List.of(), null), 3);
    }

    @Test
    void perStepAndQueryFilters() {
        String steps = "{\"event\": \"$pageview\", \"properties\": [{\"key\": \"$browser\", \"value\": [\"Chrome\", \"Firefox\"]}]},"
                + " {\"event\": \"purchase\", \"properties\": [{\"key\": \"amount\", \"operator\": \"gte\", \"value\": 20}]}";
        JsonNode r = f.runA(funnel(steps, "", ", \"properties\": [{\"key\": \"plan\", \"operator\": \"is_set\", \"type\": \"person\"}]"));
        var expected = OracleFunnels.run(o,
                List.of(event("$pageview").and(o.filter("$browser", "exact", List.of("Chrome", "Firefox"), false)),
                        event("purchase").and(o.filter("amount", "gte", 20, false))),
                14 * 86400, "ordered", start(FROM), end(TO), o.filter("plan", "is_set", null, true), List.of(), null);
        assertSteps(r.get("results"), expected, 2);
    }

    @Test
    void exclusionsDropAttemptsBetweenTheirSteps() {
        String ff = "\"exclusions\": [{\"kind\": \"EventsNode\", \"event\": " + q(Dataset.WEIRD_EVENT) + ", \"funnelFromStep\": 0, \"funnelToStep\": 1}]";
        JsonNode r = f.runA(funnel(THREE, ff, ""));
        var expected = OracleFunnels.run(o, THREE_STEPS, 14 * 86400, "ordered", start(FROM), end(TO), e -> true,
                List.of(new OracleFunnels.Exclusion(event(Dataset.WEIRD_EVENT), 0, 1)), null);
        var without = OracleFunnels.run(o, THREE_STEPS, 14 * 86400, "ordered", start(FROM), end(TO), e -> true, List.of(), null);
        assertThat(expected.size()).isLessThan(without.size());
        assertSteps(r.get("results"), expected, 3);
    }

    @Test
    void breakdownsSplitPersonsByFirstTouchOrPerson() {
        record B(String json, Function<Ev, String> value) {}
        for (B b : List.of(new B("{\"breakdown\": \"$browser\", \"breakdown_type\": \"event\"}", e -> Oracle.text(e.props(), "$browser")),
                new B("{\"breakdown\": \"plan\", \"breakdown_type\": \"person\"}", e -> Oracle.text(o.personProps(e), "plan")))) {
            JsonNode r = f.runA(funnel(THREE, "", ", \"breakdownFilter\": " + b.json()));
            var expected = OracleFunnels.run(o, THREE_STEPS, 14 * 86400, "ordered", start(FROM), end(TO), e -> true, List.of(), b.value());
            Map<String, Map<String, OracleFunnels.PersonResult>> groups = new HashMap<>();
            expected.forEach((actor, p) -> groups.computeIfAbsent(p.breakdown(), k -> new HashMap<>()).put(actor, p));
            assertThat(r.get("results")).hasSize(groups.size());
            long previous = Long.MAX_VALUE;
            for (JsonNode steps : r.get("results")) {
                String value = steps.get(0).get("breakdown_value").get(0).asText();
                assertThat(groups).containsKey(value);
                assertSteps(steps, groups.get(value), 3);
                assertThat(steps.get(0).get("count").asLong()).isLessThanOrEqualTo(previous);
                previous = steps.get(0).get("count").asLong();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"first_touch", "last_touch", "step", "all_events"})
    void breakdownAttributionTypes(String attribution) {
        JsonNode r = f.runA(funnel(THREE, "\"breakdownAttributionType\": \"" + attribution + "\", \"breakdownAttributionValue\": 1",
                ", \"breakdownFilter\": {\"breakdown\": \"$browser\"}"));
        var expected = OracleFunnels.run(o, THREE_STEPS, 14 * 86400, "ordered", start(FROM), end(TO), e -> true, List.of(),
                e -> Oracle.text(e.props(), "$browser"), attribution, 1);
        Map<String, Map<String, OracleFunnels.PersonResult>> groups = new HashMap<>();
        expected.forEach((actor, p) -> groups.computeIfAbsent(p.breakdown(), k -> new HashMap<>()).put(actor, p));
        assertThat(r.get("results")).hasSize(groups.size());
        for (JsonNode steps : r.get("results")) {
            String value = steps.get(0).get("breakdown_value").get(0).asText();
            assertThat(groups).containsKey(value);
            assertSteps(steps, groups.get(value), 3);
        }
    }

    @Test
    void timeToConvertHistogramsTheWholeFunnel() {
        JsonNode r = f.runA(funnel(THREE, "\"funnelVizType\": \"time_to_convert\", \"binCount\": 5", ""));
        var expected = OracleFunnels.run(o, THREE_STEPS, 14 * 86400, "ordered", start(FROM), end(TO), e -> true, List.of(), null);
        List<Long> seconds = expected.values().stream().filter(p -> p.furthest() == 2)
                .map(p -> (p.times()[2] - p.times()[0]) / 1_000_000).toList();
        JsonNode bins = r.get("results").get("bins");
        assertThat(bins).hasSize(5);
        long total = 0;
        for (JsonNode b : bins) total += b.get(1).asLong();
        assertThat(total).isEqualTo(seconds.size());
        assertThat(r.get("results").get("average_conversion_time").asDouble())
                .isCloseTo(seconds.stream().mapToLong(Long::longValue).average().orElseThrow(), within(1e-6));
    }

    @Test
    void trendsGiveConversionPerStartingInterval() {
        JsonNode r = f.runA(funnel("{\"event\": \"$pageview\"}, {\"event\": \"purchase\"}",
                "\"funnelVizType\": \"trends\", \"funnelWindowInterval\": 1, \"funnelWindowIntervalUnit\": \"day\"", ", \"interval\": \"week\""));
        JsonNode series = r.get("results").get(0);
        var buckets = OracleTrends.buckets("week", start(FROM), end(TO));
        for (int i = 0; i < buckets.size(); i++) {
            var lo = buckets.get(i).atZone(o.zone).toInstant();
            var hi = OracleTrends.next("week", buckets.get(i)).atZone(o.zone).toInstant();
            // persons who started in the bucket, and those of them who converted from a start in the bucket
            var mine = OracleFunnels.run(o, List.of(event("$pageview").and(e -> !e.ts().isBefore(lo) && e.ts().isBefore(hi)), event("purchase")),
                    86400, "ordered", start(FROM), end(TO), e -> true, List.of(), null);
            assertThat(series.get("reached_from_step_count").get(i).asLong()).as("bucket %d", i).isEqualTo(mine.size());
            assertThat(series.get("reached_to_step_count").get(i).asLong())
                    .isEqualTo(mine.values().stream().filter(p -> p.furthest() == 1).count());
        }
    }

    @Test
    void nobodyEnteredIsAnEmptyList() {
        JsonNode r = f.runA(funnel("{\"event\": \"no such\"}, {\"event\": \"purchase\"}", "", ""));
        assertThat(r.get("results")).isEmpty();
    }

    @Test
    void otherProjectsFunnel() {
        JsonNode r = f.run(Fixture.B, funnel("{\"event\": \"$pageview\"}, {\"event\": \"purchase\"}", "", ""));
        var expected = OracleFunnels.run(f.b, List.of(event("$pageview"), event("purchase")), 14 * 86400, "ordered",
                start(FROM), end(TO), e -> true, List.of(), null);
        if (expected.isEmpty()) assertThat(r.get("results")).isEmpty();
        else assertSteps(r.get("results"), expected, 2);
    }
}
