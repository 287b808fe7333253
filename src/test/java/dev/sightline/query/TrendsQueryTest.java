package dev.sightline.query;

import static dev.sightline.query.Fixture.end;
import static dev.sightline.query.Fixture.q;
import static dev.sightline.query.Fixture.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.Dataset.Ev;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrendsQueryTest {
    private final Fixture f = Fixture.get();
    private final Oracle o = f.a;

    private static String trends(String series, String interval, String from, String to, String extra) {
        return """
                {"kind": "TrendsQuery", "series": [%s], "interval": "%s",
                 "dateRange": {"date_from": "%s", "date_to": "%s"} %s}""".formatted(series, interval, from, to, extra);
    }

    private void assertSeries(JsonNode response, Map<String, double[]> expected, boolean breakdown) {
        assertSeries("", response, expected, breakdown);
    }

    private void assertSeries(String what, JsonNode response, Map<String, double[]> expected, boolean breakdown) {
        JsonNode results = response.get("results");
        List<String> labels = new ArrayList<>();
        Map<String, double[]> actual = new LinkedHashMap<>();
        for (JsonNode s : results) {
            String label = breakdown ? s.get("breakdown_value").asText() : "";
            labels.add(label);
            double[] d = new double[s.get("data").size()];
            for (int i = 0; i < d.length; i++) d[i] = s.get("data").get(i).asDouble();
            actual.put(label, d);
            assertThat(s.get("count").asDouble()).isCloseTo(java.util.Arrays.stream(d).sum(), within(1e-6));
            assertThat(s.get("days")).hasSize(d.length);
        }
        assertThat(labels).containsExactlyElementsOf(expected.keySet());
        for (var e : expected.entrySet()) {
            double[] a = actual.get(e.getKey());
            assertThat(a).as("series %s", e.getKey()).hasSize(e.getValue().length);
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).as("%s series '%s' bucket %d", what, e.getKey(), i).isCloseTo(e.getValue()[i], within(1e-6));
            }
        }
    }

    private Map<String, double[]> expect(String event, Predicate<Ev> filter, String math, String property, String interval,
                                         String from, String to, Function<Ev, String> breakdown, int limit) {
        return OracleTrends.trend(o, event, filter, math, property, interval, start(from), end(to), breakdown, limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"total", "dau", "weekly_active", "monthly_active", "unique_session", "sum", "avg", "min", "max",
            "median", "p75", "p90", "p95", "p99", "avg_count_per_actor", "min_count_per_actor", "max_count_per_actor",
            "median_count_per_actor", "p90_count_per_actor"})
    void everyMathMatchesIndependentComputation(String math) {
        boolean prop = List.of("sum", "avg", "min", "max", "median", "p75", "p90", "p95", "p99").contains(math);
        String series = "{\"kind\": \"EventsNode\", \"event\": \"purchase\", \"math\": \"%s\"%s}"
                .formatted(math, prop ? ", \"math_property\": \"amount\"" : "");
        JsonNode r = f.runA(trends(series, "day", "2025-03-01", "2025-03-20", ""));
        assertSeries(r, expect("purchase", e -> true, math, prop ? "amount" : null, "day", "2025-03-01", "2025-03-20", null, 25), false);
        assertThat(r.get("results").get(0).get("days").get(0).asText()).isEqualTo("2025-03-01");
        assertThat(r.get("results").get(0).get("action").get("math").asText()).isEqualTo(math);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hour", "day", "week", "month"})
    void everyIntervalBucketsInTheProjectTimezone(String interval) {
        String from = interval.equals("hour") ? "2025-03-08" : "2025-02-20";
        String to = interval.equals("hour") ? "2025-03-09" : "2025-03-31";
        for (String math : List.of("total", "dau", "weekly_active")) {
            JsonNode r = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"" + math + "\"}", interval, from, to,
                    ", \"dateRange\": {\"date_from\": \"" + from + "\", \"date_to\": \"" + to + "\", \"explicitDate\": false}"));
            // hour ranges are not stretched to the end of the day: the last bucket is 2025-03-09 00:00
            String oracleTo = interval.equals("hour") ? "2025-03-08" : to;
            Map<String, double[]> expected = OracleTrends.trend(o, "$pageview", e -> true, math, null, interval, start(from),
                    interval.equals("hour") ? start(to) : end(oracleTo), null, 25);
            assertSeries(r, expected, false);
        }
    }

    @Test
    void hourBucketsAreLabelledWithTheirTime() {
        JsonNode r = f.runA(trends("{\"event\": \"$pageview\"}", "hour", "2025-03-09", "2025-03-09 05:00:00", ""));
        JsonNode days = r.get("results").get(0).get("days");
        assertThat(days.get(0).asText()).isEqualTo("2025-03-09 00:00:00");
        assertThat(days.get(days.size() - 1).asText()).isEqualTo("2025-03-09 05:00:00");
    }

    @Test
    void relativeRangeCoversEightDayBucketsEndingToday() {
        JsonNode r = f.runA("{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], \"dateRange\": {\"date_from\": \"-7d\"}}");
        JsonNode days = r.get("results").get(0).get("days");
        assertThat(days).hasSize(8);
        // now is 2025-03-31 11:00 in New York
        assertThat(days.get(0).asText()).isEqualTo("2025-03-24");
        assertThat(days.get(7).asText()).isEqualTo("2025-03-31");
        assertSeries(r, expect("$pageview", e -> true, "total", null, "day", "2025-03-24", "2025-03-31", null, 25), false);
    }

    @Test
    void eventBreakdownRanksByVolumeWithNoneAndOther() {
        JsonNode r = f.runA(trends("{\"event\": \"$pageview\"}", "day", "2025-03-01", "2025-03-31",
                ", \"breakdownFilter\": {\"breakdown\": \"$browser\", \"breakdown_type\": \"event\", \"breakdown_limit\": 3}"));
        Map<String, double[]> expected = expect("$pageview", e -> true, "total", null, "day", "2025-03-01", "2025-03-31",
                e -> Oracle.text(e.props(), "$browser"), 3);
        assertThat(expected).containsKey(OracleTrends.OTHER);
        assertSeries(r, expected, true);
    }

    @Test
    void activePersonsByEventValueCountOnceInOther() {
        // few values kept: someone seen under two tail values counts once in "other"; the daily
        // range of 70 buckets is wider than one activity mask and takes the other path
        for (String math : List.of("dau", "weekly_active", "monthly_active")) {
            for (String from : List.of("2025-03-01", "2025-01-21")) {
                JsonNode r = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"" + math + "\"}", "day", from, "2025-03-31",
                        ", \"breakdownFilter\": {\"breakdown\": \"$browser\", \"breakdown_type\": \"event\", \"breakdown_limit\": 2}"));
                Map<String, double[]> expected = expect("$pageview", e -> true, math, null, "day", from, "2025-03-31",
                        e -> Oracle.text(e.props(), "$browser"), 2);
                assertThat(expected).containsKey(OracleTrends.OTHER);
                assertSeries(math + " from " + from, r, expected, true);
            }
        }
    }

    @Test
    void personBreakdownUsesCurrentPropertiesOfTheEffectivePerson() {
        for (String math : List.of("total", "dau")) {
            JsonNode r = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"" + math + "\"}", "week", "2025-02-20", "2025-03-31",
                    ", \"breakdownFilter\": {\"breakdown\": \"plan\", \"breakdown_type\": \"person\"}"));
            assertSeries(r, expect("$pageview", e -> true, math, null, "week", "2025-02-20", "2025-03-31",
                    e -> Oracle.text(o.personProps(e), "plan"), 25), true);
        }
    }

    @Test
    void breakdownByHostileKeysAndValues() {
        for (String key : Dataset.WEIRD_KEYS) {
            JsonNode r = f.runA(trends("{\"event\": null}", "month", "2025-02-01", "2025-03-31",
                    ", \"breakdownFilter\": {\"breakdown\": " + q(key) + ", \"breakdown_limit\": 5}"));
            assertSeries(r, expect(null, e -> true, "total", null, "month", "2025-02-01", "2025-03-31",
                    e -> Oracle.text(e.props(), key), 5), true);
        }
    }

    @Test
    void sessionBreakdownsReadTheWholeSession() {
        Map<String, List<Ev>> sessions = new java.util.HashMap<>();
        for (Ev e : o.events()) sessions.computeIfAbsent(e.sessionId(), k -> new ArrayList<>()).add(e);
        Map<String, String> entry = new java.util.HashMap<>();
        Map<String, String> duration = new java.util.HashMap<>();
        sessions.forEach((id, evs) -> {
            Ev first = evs.stream().min(java.util.Comparator.comparing(Ev::ts)).orElseThrow();
            Ev last = evs.stream().max(java.util.Comparator.comparing(Ev::ts)).orElseThrow();
            entry.put(id, Oracle.text(first.props(), "$current_url"));
            duration.put(id, String.valueOf(last.ts().getEpochSecond() - first.ts().getEpochSecond()));
        });
        JsonNode r = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"dau\"}", "week", "2025-03-02", "2025-03-29",
                ", \"breakdownFilter\": {\"breakdown\": \"$entry_current_url\", \"breakdown_type\": \"session\"}"));
        assertSeries(r, expect("$pageview", e -> true, "dau", null, "week", "2025-03-02", "2025-03-29", e -> entry.get(e.sessionId()), 25), true);
        JsonNode d = f.runA(trends("{\"event\": \"purchase\"}", "month", "2025-03-01", "2025-03-31",
                ", \"breakdownFilter\": {\"breakdown\": \"$session_duration\", \"breakdown_type\": \"session\", \"breakdown_limit\": 4}"));
        assertSeries(d, expect("purchase", e -> true, "total", null, "month", "2025-03-01", "2025-03-31", e -> duration.get(e.sessionId()), 4), true);
    }

    @Test
    void seriesOfHostileEventNames() {
        for (String event : List.of(Dataset.WEIRD_EVENT, Dataset.UNICODE_EVENT, "no such event")) {
            JsonNode r = f.runA(trends("{\"event\": " + q(event) + ", \"math\": \"dau\"}", "day", "2025-03-01", "2025-03-31", ""));
            assertSeries(r, expect(event, e -> true, "dau", null, "day", "2025-03-01", "2025-03-31", null, 25), false);
            assertThat(r.get("results").get(0).get("label").asText()).isEqualTo(event);
        }
    }

    record Case(String key, String operator, String valueJson, Object oracleValue) {}

    static final List<Case> OPERATORS = List.of(
            new Case("$browser", "exact", "\"Chrome\"", "Chrome"),
            new Case("$browser", "exact", "[\"Firefox\", \"Safari\"]", List.of("Firefox", "Safari")),
            new Case("amount", "exact", "50.0", "50.0"),
            new Case("amount_text", "exact", "[42, \"7\"]", List.of("42", "7")),
            new Case("flag", "exact", "true", "true"),
            new Case("$browser", "is_not", "\"Chrome\"", "Chrome"),
            new Case("$browser", "icontains", "\"fIrE\"", "fIrE"),
            new Case("$current_url", "not_icontains", "\"PRICING\"", "PRICING"),
            new Case("$current_url", "regex", "\"(docs|signup)$\"", "(docs|signup)$"),
            new Case("$current_url", "not_regex", "\"a\\\\.test/$\"", "a\\.test/$"),
            new Case("amount", "gt", "50", 50),
            new Case("amount", "gte", "50", 50),
            new Case("amount", "lt", "20.5", 20.5),
            new Case("amount", "lte", "20.5", 20.5),
            new Case("amount_text", "gt", "\"40\"", 40),
            new Case("amount", "between", "[10, 30]", new double[] {10, 30}),
            new Case("amount", "not_between", "[10, 30]", new double[] {10, 30}),
            new Case("flag", "is_set", "\"is_set\"", null),
            new Case("flag", "is_not_set", "\"is_not_set\"", null),
            new Case("seen_at", "is_date_before", "\"2025-03-10\"", "2025-03-10"),
            new Case("seen_at", "is_date_after", "\"2025-03-10 10:00:00\"", "2025-03-10 10:00:00"));

    @Test
    void everyOperatorOnEventProperties() {
        for (Case c : OPERATORS) {
            String filter = "[{\"key\": %s, \"operator\": \"%s\", \"value\": %s, \"type\": \"event\"}]".formatted(q(c.key()), c.operator(), c.valueJson());
            JsonNode r = f.runA(trends("{\"event\": null, \"math\": \"dau\"}", "week", "2025-02-20", "2025-03-31", ", \"properties\": " + filter));
            assertSeries(c.toString(), r, expect(null, o.filter(c.key(), c.operator(), c.oracleValue(), false), "dau", null, "week",
                    "2025-02-20", "2025-03-31", null, 25), false);
        }
    }

    @Test
    void everyOperatorOnPersonProperties() {
        List<Case> cases = List.of(
                new Case("plan", "exact", "\"pro\"", "pro"),
                new Case("plan", "is_not", "\"pro\"", "pro"),
                new Case("email", "icontains", "\"@INTERNAL\"", "@INTERNAL"),
                new Case("email", "not_icontains", "\"@internal\"", "@internal"),
                new Case("email", "regex", "\"^p[0-9]+@\"", "^p[0-9]+@"),
                new Case("email", "not_regex", "\"^p[0-9]+@\"", "^p[0-9]+@"),
                new Case("age", "gt", "40", 40), new Case("age", "lte", "30", 30),
                new Case("age", "between", "[20, 25]", new double[] {20, 25}),
                new Case("plan", "is_set", "\"is_set\"", null),
                new Case("plan", "is_not_set", "\"is_not_set\"", null));
        for (Case c : cases) {
            String filter = "[{\"key\": %s, \"operator\": \"%s\", \"value\": %s, \"type\": \"person\"}]".formatted(q(c.key()), c.operator(), c.valueJson());
            JsonNode r = f.runA(trends("{\"event\": \"$pageview\", \"properties\": " + filter + "}", "day", "2025-03-01", "2025-03-31", ""));
            assertSeries(c.toString(), r, expect("$pageview", o.filter(c.key(), c.operator(), c.oracleValue(), true), "total", null, "day",
                    "2025-03-01", "2025-03-31", null, 25), false);
        }
    }

    @Test
    void hostileKeysAndValuesFilterExactlyAndInjectNothing() {
        for (String key : Dataset.WEIRD_KEYS) {
            for (String value : Dataset.WEIRD_VALUES) {
                String filter = "[{\"key\": %s, \"operator\": \"exact\", \"value\": %s}]".formatted(q(key), q(value));
                JsonNode r = f.runA(trends("{\"event\": null}", "month", "2025-02-01", "2025-03-31", ", \"properties\": " + filter));
                assertSeries(r, expect(null, o.filter(key, "exact", value, false), "total", null, "month", "2025-02-01", "2025-03-31", null, 25), false);
            }
            String filter = "[{\"key\": %s, \"operator\": \"icontains\", \"value\": %s, \"type\": \"person\"}]".formatted(q(key), q("%_'\\"));
            JsonNode r = f.runA(trends("{\"event\": null}", "month", "2025-02-01", "2025-03-31", ", \"properties\": " + filter));
            assertSeries(r, expect(null, o.filter(key, "icontains", "%_'\\", true), "total", null, "month", "2025-02-01", "2025-03-31", null, 25), false);
        }
        // still all there
        JsonNode all = f.runA(trends("{\"event\": null}", "month", "2025-01-01", "2025-03-31", ""));
        assertThat(all.get("results").get(0).get("count").asLong()).isEqualTo(o.events().size());
    }

    @Test
    void nestedAndOrGroups() {
        String props = """
                {"type": "OR", "values": [
                   {"type": "AND", "values": [{"key": "$browser", "value": "Chrome"}, {"key": "plan", "value": "pro", "type": "person"}]},
                   {"type": "AND", "values": [{"key": "amount", "operator": "gt", "value": 90}]}]}""";
        JsonNode r = f.runA(trends("{\"event\": null}", "day", "2025-03-01", "2025-03-31", ", \"properties\": " + props));
        Predicate<Ev> expected = o.filter("$browser", "exact", "Chrome", false).and(o.filter("plan", "exact", "pro", true))
                .or(o.filter("amount", "gt", 90, false));
        assertSeries(r, expect(null, expected, "total", null, "day", "2025-03-01", "2025-03-31", null, 25), false);
    }

    @Test
    void seriesAndQueryFiltersCombine() {
        String series = "{\"event\": \"$pageview\", \"properties\": [{\"key\": \"$browser\", \"value\": \"Chrome\"}]}";
        JsonNode r = f.runA(trends(series, "day", "2025-03-01", "2025-03-31",
                ", \"properties\": [{\"key\": \"age\", \"operator\": \"lt\", \"value\": 40, \"type\": \"person\"}]"));
        assertSeries(r, expect("$pageview", o.filter("$browser", "exact", "Chrome", false).and(o.filter("age", "lt", 40, true)),
                "total", null, "day", "2025-03-01", "2025-03-31", null, 25), false);
    }

    @Test
    void mergedPersonsCountOnce() {
        // persons with an anonymous past (overrides) are single actors
        JsonNode r = f.runA(trends("{\"event\": null, \"math\": \"dau\"}", "month", "2025-02-01", "2025-03-31", ""));
        Map<String, double[]> expected = expect(null, e -> true, "dau", null, "month", "2025-02-01", "2025-03-31", null, 25);
        assertSeries(r, expected, false);
        long actors = o.events().stream().map(o::actor).distinct().count();
        long distinctIds = o.events().stream().map(Ev::distinctId).distinct().count();
        assertThat(actors).isLessThan(distinctIds);
        assertThat(r.get("results").get(0).get("data").get(0).asDouble() + r.get("results").get(0).get("data").get(1).asDouble())
                .isGreaterThanOrEqualTo(actors);
    }

    @Test
    void formulaCombinesSeriesPerBucket() {
        JsonNode r = f.runA(trends("{\"event\": \"purchase\"}, {\"event\": \"$pageview\", \"math\": \"dau\"}", "day", "2025-03-01", "2025-03-10",
                ", \"trendsFilter\": {\"formula\": \"(A * 100) / B - 1\"}"));
        double[] a = expect("purchase", e -> true, "total", null, "day", "2025-03-01", "2025-03-10", null, 25).get("");
        double[] b = expect("$pageview", e -> true, "dau", null, "day", "2025-03-01", "2025-03-10", null, 25).get("");
        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) expected[i] = b[i] == 0 ? -1 : a[i] * 100 / b[i] - 1;
        assertSeries(r, Map.of("", expected), false);
    }

    @Test
    void aggregatedDisplaysGiveOneNumberForTheWholeRange() {
        for (String math : List.of("total", "dau", "weekly_active", "sum", "median")) {
            boolean prop = math.equals("sum") || math.equals("median");
            String series = "{\"event\": \"$pageview\", \"math\": \"" + math + "\"" + (prop ? ", \"math_property\": \"amount\"" : "") + "}";
            JsonNode r = f.runA(trends(series, "day", "2025-03-01", "2025-03-20", ", \"trendsFilter\": {\"display\": \"BoldNumber\"}"));
            List<Ev> in = o.events().stream().filter(e -> e.event().equals("$pageview"))
                    .filter(e -> OracleTrends.within(o, e, start("2025-03-01"), end("2025-03-20"))).toList();
            double expected = OracleTrends.aggregate(o, in, math.equals("weekly_active") ? "dau" : math, prop ? "amount" : null);
            JsonNode s0 = r.get("results").get(0);
            assertThat(s0.get("aggregated_value").asDouble()).as(math).isCloseTo(expected, within(1e-6));
            assertThat(s0.get("data")).isEmpty();
        }
        JsonNode pie = f.runA(trends("{\"event\": null, \"math\": \"dau\"}", "week", "2025-03-01", "2025-03-20",
                ", \"trendsFilter\": {\"display\": \"ActionsPie\"}, \"breakdownFilter\": {\"breakdown\": \"$browser\"}"));
        for (JsonNode s0 : pie.get("results")) {
            String label = s0.get("breakdown_value").asText();
            List<Ev> in = o.events().stream().filter(e -> OracleTrends.within(o, e, start("2025-03-01"), end("2025-03-20")))
                    .filter(e -> label.equals(java.util.Objects.requireNonNullElse(Oracle.text(e.props(), "$browser"), OracleTrends.NULL))).toList();
            assertThat(s0.get("aggregated_value").asDouble()).as(label).isEqualTo(OracleTrends.aggregate(o, in, "dau", null));
        }
    }

    @Test
    void theCumulativeLineAddsUpAndCountsEachPersonOnceFromTheStartOfTheRange() {
        String cumulative = ", \"trendsFilter\": {\"display\": \"ActionsLineGraphCumulative\"}";
        double[] plain = expect("$pageview", e -> true, "total", null, "day", "2025-03-01", "2025-03-20", null, 25).get("");
        JsonNode total = f.runA(trends("{\"event\": \"$pageview\"}", "day", "2025-03-01", "2025-03-20", cumulative))
                .get("results").get(0).get("data");
        double running = 0;
        for (int i = 0; i < plain.length; i++) {
            running += plain[i];
            assertThat(total.get(i).asDouble()).as("total, bucket " + i).isEqualTo(running);
        }
        // unique persons: everyone seen from the start up to the bucket; by day (activity masks) and
        // by hour over four days (more buckets than a mask holds)
        for (String interval : List.of("day", "hour")) {
            String to = interval.equals("day") ? "2025-03-20" : "2025-03-04";
            JsonNode data = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"dau\"}", interval, "2025-03-01", to, cumulative))
                    .get("results").get(0).get("data");
            // an hourly range ends at the hour date_to names, not at the end of that day
            var rangeEnd = interval.equals("day") ? end(to) : start(to);
            var buckets = OracleTrends.buckets(interval, start("2025-03-01"), rangeEnd);
            assertThat(data).hasSize(buckets.size());
            for (int i = 0; i < buckets.size(); i++) {
                var bucketEnd = OracleTrends.next(interval, buckets.get(i)).minusNanos(1000);
                var upTo = bucketEnd.isAfter(rangeEnd) ? rangeEnd : bucketEnd;
                List<Ev> seen = o.events().stream().filter(e -> e.event().equals("$pageview"))
                        .filter(e -> OracleTrends.within(o, e, start("2025-03-01"), upTo)).toList();
                assertThat(data.get(i).asDouble()).as(interval + " bucket " + i).isEqualTo(OracleTrends.aggregate(o, seen, "dau", null));
            }
        }
        // with a breakdown, per value
        JsonNode split = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"dau\"}", "day", "2025-03-01", "2025-03-10",
                cumulative + ", \"breakdownFilter\": {\"breakdown\": \"$browser\", \"breakdown_limit\": 100}")).get("results");
        assertThat(split.size()).isGreaterThan(1);
        for (JsonNode line : split) {
            String label = line.get("breakdown_value").asText();
            for (int i = 0; i < 10; i++) {
                var upTo = end("2025-03-01").plusDays(i);
                List<Ev> seen = o.events().stream().filter(e -> e.event().equals("$pageview"))
                        .filter(e -> label.equals(java.util.Objects.requireNonNullElse(Oracle.text(e.props(), "$browser"), OracleTrends.NULL)))
                        .filter(e -> OracleTrends.within(o, e, start("2025-03-01"), upTo)).toList();
                assertThat(line.get("data").get(i).asDouble()).as(label + " bucket " + i).isEqualTo(OracleTrends.aggregate(o, seen, "dau", null));
            }
        }
        // a person's own value, hourly (more buckets than a mask holds), and a tail folded into "other"
        for (String breakdown : List.of("{\"breakdown\": \"plan\", \"breakdown_type\": \"person\"}", "{\"breakdown\": \"$browser\", \"breakdown_limit\": 2}")) {
            boolean byPerson = breakdown.contains("person");
            JsonNode lines = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"dau\"}", "hour", "2025-03-01", "2025-03-04",
                    cumulative + ", \"breakdownFilter\": " + breakdown)).get("results");
            var plainLabels = expect("$pageview", e -> true, "total", null, "hour", "2025-03-01", "2025-03-04",
                    byPerson ? e -> Oracle.text(o.personProps(e), "plan") : e -> Oracle.text(e.props(), "$browser"), byPerson ? 25 : 2).keySet();
            for (JsonNode l : lines) {
                String label = l.get("breakdown_value").asText();
                java.util.function.Predicate<Ev> hasLabel = e -> {
                    String v = java.util.Objects.requireNonNullElse(byPerson ? Oracle.text(o.personProps(e), "plan") : Oracle.text(e.props(), "$browser"), OracleTrends.NULL);
                    return label.equals(OracleTrends.OTHER) ? !plainLabels.contains(v) : label.equals(v);
                };
                List<Ev> seen = o.events().stream().filter(e -> e.event().equals("$pageview")).filter(hasLabel)
                        .filter(e -> OracleTrends.within(o, e, start("2025-03-01"), start("2025-03-04"))).toList();
                JsonNode data = l.get("data");
                assertThat(data.get(data.size() - 1).asDouble()).as(breakdown + " " + label).isEqualTo(OracleTrends.aggregate(o, seen, "dau", null));
            }
        }
        // the persons behind a point are the ones it counts
        String source = trends("{\"event\": \"$pageview\", \"math\": \"dau\"}", "day", "2025-03-01", "2025-03-20", cumulative);
        JsonNode actors = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + source
                + ", \"day\": \"2025-03-06\", \"series\": 0}, \"limit\": 10000}");
        JsonNode line = f.runA(source).get("results").get(0).get("data");
        assertThat((double) actors.get("results").size()).isEqualTo(line.get(5).asDouble()).isGreaterThan(0);
    }

    @Test
    void smoothingAveragesEachPointWithThoseBeforeIt() {
        for (String display : List.of("ActionsLineGraph", "ActionsLineGraphCumulative")) {
            JsonNode data = f.runA(trends("{\"event\": \"$pageview\"}", "day", "2025-03-01", "2025-03-20",
                    ", \"trendsFilter\": {\"smoothingIntervals\": 7, \"display\": \"" + display + "\"}")).get("results").get(0).get("data");
            double[] plain = expect("$pageview", e -> true, "total", null, "day", "2025-03-01", "2025-03-20", null, 25).get("");
            double running = 0;
            for (int i = 0; i < plain.length; i++) {
                double sum = 0;
                int n = Math.min(i + 1, 7);
                for (int k = i - n + 1; k <= i; k++) sum += plain[k];
                double smooth = Math.floor(sum / n);
                running += smooth;
                // the cumulative line adds up the smoothed points
                assertThat(data.get(i).asDouble()).as(display + " bucket " + i).isEqualTo(display.endsWith("Cumulative") ? running : smooth);
            }
        }
    }

    /**
     * First time for user: each person once, on the day of their first $pageview ever, if that
     * falls in the range and (first_time_for_user) passes the filters, or (first_matching_event_for_user)
     * on the day of their first $pageview that passes them.
     */
    @Test
    void firstTimeForUserCountsEachPersonOnTheDayOfTheirFirstEvent() {
        String from = "2025-03-01", to = "2025-03-20";
        String chrome = ", \"properties\": [{\"key\": \"$browser\", \"value\": \"Chrome\"}]";
        for (String math : List.of("first_time_for_user", "first_matching_event_for_user")) {
            for (String filter : List.of("", chrome)) {
                Predicate<Ev> passes = filter.isEmpty() ? e -> true : e -> "Chrome".equals(Oracle.text(e.props(), "$browser"));
                Map<String, Ev> first = new java.util.HashMap<>();
                o.events().stream().filter(e -> e.event().equals("$pageview"))
                        .filter(e -> !e.ts().isAfter(end(to).atZone(o.zone).toInstant()))
                        .filter(e -> math.equals("first_time_for_user") || passes.test(e))
                        .sorted(java.util.Comparator.comparing(Ev::ts))
                        .forEach(e -> first.putIfAbsent(o.actor(e), e));
                double[] want = new double[20];
                for (Ev e : first.values()) {
                    if (!passes.test(e) || !OracleTrends.within(o, e, start(from), end(to))) continue;
                    want[(int) java.time.temporal.ChronoUnit.DAYS.between(start(from).toLocalDate(), o.local(e.ts()).toLocalDate())]++;
                }
                assertThat(Shapes.sum(want)).as(math + filter).isPositive();
                JsonNode data = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"" + math + "\"" + filter + "}", "day", from, to, ""))
                        .get("results").get(0).get("data");
                for (int i = 0; i < want.length; i++) assertThat(data.get(i).asDouble()).as(math + filter + " day " + i).isEqualTo(want[i]);
            }
        }
        // the persons behind a day are those whose first time it was
        String source = trends("{\"event\": \"$pageview\", \"math\": \"first_time_for_user\"}", "day", from, to, "");
        JsonNode line = f.runA(source).get("results").get(0).get("data");
        JsonNode actors = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + source
                + ", \"day\": \"2025-03-03\", \"series\": 0}, \"limit\": 10000}");
        assertThat((double) actors.get("results").size()).isEqualTo(line.get(2).asDouble());
        // split by the browser of that first event: the values add up to the whole
        JsonNode split = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"first_time_for_user\"}", "day", from, to,
                ", \"breakdownFilter\": {\"breakdown\": \"$browser\"}")).get("results");
        double whole = 0;
        for (JsonNode l : split) whole += l.get("count").asDouble();
        assertThat(whole).isEqualTo(Shapes.sum(toArray(line)));
    }

    private static double[] toArray(JsonNode data) {
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) out[i] = data.get(i).asDouble();
        return out;
    }

    /** Several breakdowns: one series per combination of values, ranked and folded into "other" as one breakdown is. */
    @Test
    void severalBreakdownsSplitByEveryCombination() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Function<Ev, String> pair = e -> {
            try {
                return json.writeValueAsString(java.util.Arrays.asList(
                        java.util.Objects.requireNonNullElse(Oracle.text(e.props(), "$browser"), OracleTrends.NULL),
                        java.util.Objects.requireNonNullElse(Oracle.text(o.personProps(e), "plan"), OracleTrends.NULL)));
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        };
        String other = json.writeValueAsString(List.of(OracleTrends.OTHER, OracleTrends.OTHER));
        String breakdowns = ", \"breakdownFilter\": {\"breakdowns\": [{\"property\": \"$browser\", \"type\": \"event\"},"
                + " {\"property\": \"plan\", \"type\": \"person\"}], \"breakdown_limit\": 5}";
        for (String math : List.of("total", "dau")) {
            JsonNode r = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"" + math + "\"}", "week", "2025-02-01", "2025-03-31", breakdowns));
            Map<String, double[]> want = new LinkedHashMap<>();
            expect("$pageview", e -> true, math, null, "week", "2025-02-01", "2025-03-31", pair, 5)
                    .forEach((k, v) -> want.put(k.equals(OracleTrends.OTHER) ? other : k, v));
            assertThat(want).hasSize(6);
            Map<String, double[]> got = new LinkedHashMap<>();
            for (JsonNode line : r.get("results")) {
                JsonNode value = line.get("breakdown_value");
                assertThat(value.isArray()).isTrue();
                assertThat(line.get("label").asText()).isEqualTo(value.get(0).asText() + "::" + value.get(1).asText());
                got.put(value.toString(), toArray(line.get("data")));
            }
            assertThat(got.keySet()).as(math).containsExactlyElementsOf(want.keySet());
            want.forEach((k, v) -> assertThat(got.get(k)).as(math + " " + k).containsExactly(v));
        }
        // the persons behind one combination on one week
        JsonNode line = f.runA(trends("{\"event\": \"$pageview\", \"math\": \"dau\"}", "week", "2025-02-01", "2025-03-31", breakdowns))
                .get("results").get(0);
        String source = trends("{\"event\": \"$pageview\", \"math\": \"dau\"}", "week", "2025-02-01", "2025-03-31", breakdowns);
        int busiest = 0;
        for (int i = 0; i < line.get("data").size(); i++) if (line.get("data").get(i).asDouble() > line.get("data").get(busiest).asDouble()) busiest = i;
        JsonNode actors = f.runA("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": " + source
                + ", \"day\": " + line.get("days").get(busiest) + ", \"breakdown\": " + line.get("breakdown_value") + ", \"series\": 0}, \"limit\": 10000}");
        assertThat((double) actors.get("results").size()).isEqualTo(line.get("data").get(busiest).asDouble()).isPositive();
        // funnels and retention split by one breakdown only
        String funnel = "{\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"$pageview\"}, {\"event\": \"signup\"}]" + breakdowns + "}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.runA(funnel))
                .isInstanceOfSatisfying(InvalidQuery.class, e -> assertThat(e.attr()).isEqualTo("breakdownFilter.breakdowns"));
    }

    @Test
    void compareAddsThePreviousPeriod() {
        JsonNode r = f.runA(trends("{\"event\": \"$pageview\"}", "day", "2025-03-15", "2025-03-21", ", \"compareFilter\": {\"compare\": true}"));
        JsonNode results = r.get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("compare_label").asText()).isEqualTo("current");
        assertThat(results.get(1).get("compare_label").asText()).isEqualTo("previous");
        assertThat(results.get(1).get("days").get(0).asText()).isEqualTo("2025-03-08");
        double[] prev = expect("$pageview", e -> true, "total", null, "day", "2025-03-08", "2025-03-14", null, 25).get("");
        for (int i = 0; i < prev.length; i++) assertThat(results.get(1).get("data").get(i).asDouble()).isEqualTo(prev[i]);
    }

    @Test
    void projectsNeverSeeEachOthersEvents() {
        JsonNode rb = f.run(Fixture.B, trends("{\"event\": null, \"math\": \"dau\"}", "month", "2025-02-01", "2025-03-31",
                ", \"breakdownFilter\": {\"breakdown\": \"plan\", \"breakdown_type\": \"person\"}"));
        assertSeries(rb, OracleTrends.trend(f.b, null, e -> true, "dau", null, "month", start("2025-02-01"), end("2025-03-31"),
                e -> Oracle.text(f.b.personProps(e), "plan"), 25), true);
        JsonNode tb = f.run(Fixture.B, trends("{\"event\": null}", "month", "2025-01-01", "2025-03-31", ""));
        assertThat(tb.get("results").get(0).get("count").asLong()).isEqualTo(f.b.events().size());
    }

    @Test
    void testAccountFiltersApplyOnlyWhenAsked() {
        f.store.setTestAccountFilters(Fixture.A, "[{\"key\": \"email\", \"operator\": \"not_icontains\", \"value\": \"@internal.test\", \"type\": \"person\"}]");
        try {
            JsonNode on = f.runA(trends("{\"event\": \"$pageview\"}", "day", "2025-03-01", "2025-03-31", ", \"filterTestAccounts\": true"));
            assertSeries(on, expect("$pageview", o.filter("email", "not_icontains", "@internal.test", true), "total", null, "day",
                    "2025-03-01", "2025-03-31", null, 25), false);
            JsonNode off = f.runA(trends("{\"event\": \"$pageview\"}", "day", "2025-03-01", "2025-03-31", ""));
            assertSeries(off, expect("$pageview", e -> true, "total", null, "day", "2025-03-01", "2025-03-31", null, 25), false);
        } finally {
            f.store.setTestAccountFilters(Fixture.A, "[]");
        }
    }
}
