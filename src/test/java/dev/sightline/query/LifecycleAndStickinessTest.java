package dev.sightline.query;

import static dev.sightline.query.Fixture.end;
import static dev.sightline.query.Fixture.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.Dataset.Ev;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LifecycleAndStickinessTest {
    private final Fixture f = Fixture.get();
    private final Oracle o = f.a;

    /** status → counts per bucket, from the definition. */
    private Map<String, long[]> lifecycle(Oracle o, Predicate<Ev> series, String interval, LocalDateTime from, LocalDateTime to) {
        List<LocalDateTime> buckets = OracleTrends.buckets(interval, from, to);
        LocalDateTime before = switch (interval) {
            case "hour" -> buckets.getFirst().minusHours(1);
            case "day" -> buckets.getFirst().minusDays(1);
            case "week" -> buckets.getFirst().minusWeeks(1);
            default -> buckets.getFirst().minusMonths(1);
        };
        Map<String, TreeSet<LocalDateTime>> active = new HashMap<>();
        Map<String, Instant> firstRead = new HashMap<>();
        for (Ev e : o.events()) {
            if (!series.test(e) || e.personMode().equals("propertyless") || !OracleTrends.within(o, e, before, to)) continue;
            active.computeIfAbsent(o.actor(e), k -> new TreeSet<>()).add(OracleTrends.floor(interval, o.local(e.ts())));
            firstRead.merge(o.actor(e), e.ts(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<String, long[]> out = new HashMap<>();
        for (String s : LifecycleRunner.STATUSES) out.put(s, new long[buckets.size()]);
        active.forEach((actor, set) -> {
            Instant created = o.createdAt(actor) != null ? o.createdAt(actor) : firstRead.get(actor);
            LocalDateTime createdBucket = OracleTrends.floor(interval, o.local(created));
            LocalDateTime previous = null;
            for (LocalDateTime b : set) {
                String status = previous == null ? (b.equals(createdBucket) ? "new" : "resurrecting")
                        : OracleTrends.next(interval, previous).equals(b) ? "returning" : "resurrecting";
                int i = buckets.indexOf(b);
                if (i >= 0) out.get(status)[i]++;
                LocalDateTime next = OracleTrends.next(interval, b);
                int j = buckets.indexOf(next);
                if (!set.contains(next) && j >= 0) out.get("dormant")[j]--;
                previous = b;
            }
        });
        return out;
    }

    @ParameterizedTest
    // the last has more intervals than one activity mask holds: the statuses come from a window over rows
    @CsvSource({"day,2025-03-01,2025-03-20", "week,2025-02-23,2025-03-31", "month,2025-02-01,2025-03-31", "hour,2025-03-09,2025-03-09 23:00:00",
            "hour,2025-03-07,2025-03-09 23:00:00"})
    void lifecycleMatchesTheDefinition(String interval, String from, String to) {
        JsonNode r = f.runA("""
                {"kind": "LifecycleQuery", "series": [{"kind": "EventsNode", "event": "$pageview"}], "interval": "%s",
                 "dateRange": {"date_from": "%s", "date_to": "%s"}}""".formatted(interval, from, to));
        LocalDateTime toL = interval.equals("hour") ? start(to.substring(0, 10)).plusHours(23) : end(to);
        Map<String, long[]> expected = lifecycle(o, e -> e.event().equals("$pageview"), interval, start(from), toL);
        JsonNode results = r.get("results");
        assertThat(results).hasSize(4);
        for (int s = 0; s < 4; s++) {
            String status = LifecycleRunner.STATUSES.get(s);
            JsonNode series = results.get(s);
            assertThat(series.get("status").asText()).isEqualTo(status);
            assertThat(series.get("label").asText()).isEqualTo("$pageview - " + status);
            long[] want = expected.get(status);
            assertThat(series.get("data")).hasSize(want.length);
            for (int i = 0; i < want.length; i++) assertThat(series.get("data").get(i).asLong()).as("%s bucket %d", status, i).isEqualTo(want[i]);
        }
        assertThat(java.util.Arrays.stream(expected.get("new")).sum()).isPositive();
        assertThat(java.util.Arrays.stream(expected.get("dormant")).sum()).isNegative();
    }

    @Test
    void lifecycleWithFiltersAndToggles() {
        JsonNode r = f.runA("""
                {"kind": "LifecycleQuery", "series": [{"event": null}], "interval": "week",
                 "properties": [{"key": "plan", "value": "free", "type": "person"}],
                 "dateRange": {"date_from": "2025-03-02", "date_to": "2025-03-29"},
                 "lifecycleFilter": {"toggledLifecycles": ["new", "dormant"]}}""");
        Map<String, long[]> expected = lifecycle(o, o.filter("plan", "exact", "free", true), "week", start("2025-03-02"), end("2025-03-29"));
        assertThat(r.get("results")).hasSize(2);
        for (JsonNode series : r.get("results")) {
            long[] want = expected.get(series.get("status").asText());
            for (int i = 0; i < want.length; i++) assertThat(series.get("data").get(i).asLong()).isEqualTo(want[i]);
        }
    }

    private long[] stickiness(Oracle o, Predicate<Ev> series, String interval, LocalDateTime from, LocalDateTime to, boolean cumulative) {
        List<LocalDateTime> buckets = OracleTrends.buckets(interval, from, to);
        Map<String, java.util.Set<LocalDateTime>> seen = new HashMap<>();
        for (Ev e : o.events()) {
            if (series.test(e) && OracleTrends.within(o, e, from, to)) {
                seen.computeIfAbsent(o.actor(e), k -> new java.util.HashSet<>()).add(OracleTrends.floor(interval, o.local(e.ts())));
            }
        }
        long[] out = new long[buckets.size()];
        for (var s : seen.values()) {
            if (cumulative) for (int k = 0; k < s.size(); k++) out[k]++;
            else out[s.size() - 1]++;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"day,false", "day,true", "week,false"})
    void stickinessHistogramsActiveIntervals(String interval, boolean cumulative) {
        JsonNode r = f.runA("""
                {"kind": "StickinessQuery", "series": [{"event": "$pageview"}, {"event": "purchase", "properties": [{"key": "amount", "operator": "gt", "value": 30}]}],
                 "interval": "%s", "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-28"},
                 "stickinessFilter": {"computedAs": "%s"}}""".formatted(interval, cumulative ? "cumulative" : "non_cumulative"));
        List<Predicate<Ev>> series = List.of(e -> e.event().equals("$pageview"),
                e -> e.event().equals("purchase") && o.filter("amount", "gt", 30, false).test(e));
        for (int s = 0; s < 2; s++) {
            long[] want = stickiness(o, series.get(s), interval, start("2025-03-01"), end("2025-03-28"), cumulative);
            JsonNode got = r.get("results").get(s);
            assertThat(got.get("data")).hasSize(want.length);
            for (int k = 0; k < want.length; k++) assertThat(got.get("data").get(k).asLong()).as("series %d, %d intervals", s, k + 1).isEqualTo(want[k]);
            assertThat(got.get("labels").get(0).asText()).isEqualTo("1 " + interval);
            assertThat(got.get("days").get(1).asInt()).isEqualTo(2);
        }
    }

    @Test
    void stickinessOverMoreDaysThanOneActivityMaskHolds() {
        JsonNode r = f.runA("""
                {"kind": "StickinessQuery", "series": [{"event": "$pageview"}], "interval": "day",
                 "dateRange": {"date_from": "2025-01-10", "date_to": "2025-03-28"}}""");
        long[] want = stickiness(o, e -> e.event().equals("$pageview"), "day", start("2025-01-10"), end("2025-03-28"), false);
        assertThat(want).hasSizeGreaterThan(64);
        JsonNode got = r.get("results").get(0).get("data");
        assertThat(got).hasSize(want.length);
        for (int k = 0; k < want.length; k++) assertThat(got.get(k).asLong()).as("%d days", k + 1).isEqualTo(want[k]);
    }
}
