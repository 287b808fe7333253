package dev.sightline.query;

import static dev.sightline.query.Fixture.end;
import static dev.sightline.query.Fixture.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.Dataset.Ev;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathsQueryTest {
    private final Fixture f = Fixture.get();
    private final Oracle o = f.a;

    /** edge "src -> dst" → count, written from the definition. */
    private Map<String, Integer> edges(List<String> types, Optional<String> startPoint, Optional<String> endPoint, int stepLimit, List<String> exclude) {
        Map<String, List<Ev>> byActor = new HashMap<>();
        for (Ev e : o.events()) {
            if (!OracleTrends.within(o, e, start("2025-03-01"), end("2025-03-31"))) continue;
            boolean pageview = e.event().equals("$pageview");
            boolean screen = e.event().equals("$screen");
            if (pageview && types.contains("$pageview") || screen && types.contains("$screen")
                    || !pageview && !screen && types.contains("custom_event")) {
                byActor.computeIfAbsent(o.actor(e), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Integer> out = new HashMap<>();
        for (List<Ev> evs : byActor.values()) {
            evs.sort(Comparator.comparing(Ev::ts));
            List<List<String>> sessions = new ArrayList<>();
            Ev previous = null;
            for (Ev e : evs) {
                String name = e.event().equals("$pageview") ? Oracle.text(e.props(), "$current_url")
                        : e.event().equals("$screen") ? Oracle.text(e.props(), "$screen_name") : e.event();
                if (name == null) continue;
                if (name.length() > 1 && name.endsWith("/")) name = name.substring(0, name.length() - 1);
                if (previous == null || e.ts().getEpochSecond() - previous.ts().getEpochSecond() > 1800) sessions.add(new ArrayList<>());
                previous = e;
                List<String> s = sessions.getLast();
                if (exclude.contains(name) || !s.isEmpty() && s.getLast().equals(name)) continue;
                s.add(name);
            }
            for (List<String> s : sessions) {
                int a = startPoint.map(s::indexOf).orElse(0);
                if (a < 0) continue;
                List<String> rest = s.subList(a, s.size());
                if (endPoint.isPresent()) {
                    int b = rest.indexOf(endPoint.get());
                    if (b < 0) continue;
                    rest = rest.subList(0, b + 1);
                    if (startPoint.isEmpty() && rest.size() > stepLimit) rest = rest.subList(rest.size() - stepLimit, rest.size());
                }
                if (rest.size() > stepLimit) rest = rest.subList(0, stepLimit);
                for (int i = 0; i + 1 < rest.size(); i++) out.merge((i + 1) + "_" + rest.get(i) + " -> " + (i + 2) + "_" + rest.get(i + 1), 1, Integer::sum);
            }
        }
        return out;
    }

    private void check(String pathsFilter, Map<String, Integer> expected) {
        JsonNode r = f.runA("""
                {"kind": "PathsQuery", "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-31"},
                 "pathsFilter": {%s, "edgeLimit": 10000}}""".formatted(pathsFilter));
        Map<String, Integer> got = new HashMap<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode e : r.get("results")) {
            got.put(e.get("source").asText() + " -> " + e.get("target").asText(), e.get("value").asInt());
            assertThat(e.get("value").asLong()).isLessThanOrEqualTo(previous);
            previous = e.get("value").asLong();
            assertThat(e.get("average_conversion_time").asDouble()).isGreaterThanOrEqualTo(0);
        }
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void pageviewPaths() {
        Map<String, Integer> expected = edges(List.of("$pageview"), Optional.empty(), Optional.empty(), 5, List.of());
        assertThat(expected).isNotEmpty();
        check("\"includeEventTypes\": [\"$pageview\"]", expected);
    }

    @Test
    void customEventPathsWithStartExclusionsAndLimit() {
        check("\"includeEventTypes\": [\"custom_event\", \"$pageview\"], \"startPoint\": \"signup\", \"stepLimit\": 3, \"excludeEvents\": [\"https://a.test/docs\"]",
                edges(List.of("custom_event", "$pageview"), Optional.of("signup"), Optional.empty(), 3, List.of("https://a.test/docs")));
    }

    @Test
    void pathsEndingSomewhere() {
        check("\"includeEventTypes\": [\"custom_event\"], \"endPoint\": \"purchase\", \"stepLimit\": 4",
                edges(List.of("custom_event"), Optional.empty(), Optional.of("purchase"), 4, List.of()));
    }

    @Test
    void pathsFromSessionStartsWithExclusionsAndStartsWithout() {
        // an excluded item between two repeats makes them collapse; each variant numbers and pairs steps its own way
        check("\"includeEventTypes\": [\"custom_event\", \"$pageview\"], \"stepLimit\": 3, \"excludeEvents\": [\"https://a.test/docs\"]",
                edges(List.of("custom_event", "$pageview"), Optional.empty(), Optional.empty(), 3, List.of("https://a.test/docs")));
        check("\"includeEventTypes\": [\"custom_event\", \"$pageview\"], \"startPoint\": \"signup\", \"stepLimit\": 3",
                edges(List.of("custom_event", "$pageview"), Optional.of("signup"), Optional.empty(), 3, List.of()));
    }
}
