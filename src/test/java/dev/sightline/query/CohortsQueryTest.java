package dev.sightline.query;

import static dev.sightline.query.Fixture.end;
import static dev.sightline.query.Fixture.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sightline.cohort.Cohort;
import dev.sightline.cohort.Cohorts;
import dev.sightline.query.Dataset.Ev;
import dev.sightline.store.duckdb.DuckDbCohorts;
import dev.sightline.store.duckdb.DuckDbDialect;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every cohort criterion on the shared seeded dataset (project A is in America/New_York, with
 * merged persons whose old events carry a person that no longer exists, and events stored without
 * a person), against a plain-Java computation over the raw events; then cohorts inside insights.
 */
class CohortsQueryTest {
    private final Fixture f = Fixture.get();
    private final Oracle o = f.a;
    private final Cohorts cohorts = new Cohorts(new DuckDbCohorts(f.db), new DuckDbDialect(), f.store,
            id -> id == Fixture.A ? Fixture.ZONE_A : id == EDGES ? PARIS : Fixture.ZONE_B, Clock.fixed(Dataset.NOW, ZoneOffset.UTC));
    /** A project of its own for hand-placed events at the windows' edges, in Paris time. */
    private static final long EDGES = 903;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private final QueryService service = new QueryService(new DuckDbDialect(), f.store, f.store, f.store,
            Clock.fixed(Dataset.NOW, ZoneOffset.UTC), cohorts);

    // --- the oracle: persons of project A, and who each event counts for ---

    private Set<String> everyone() {
        return f.data.persons.get(Fixture.A).keySet().stream().map(UUID::toString).collect(Collectors.toSet());
    }

    /** Each person's times of {@code event} (events passing {@code filter}), by the person they count for now. */
    private Map<String, List<Instant>> times(String event, Predicate<Ev> filter) {
        Set<String> all = everyone();
        Map<String, List<Instant>> out = new HashMap<>();
        for (Ev e : o.events()) {
            if (!e.event().equals(event) || !filter.test(e)) continue;
            String who = o.actor(e);
            if (all.contains(who)) out.computeIfAbsent(who, k -> new java.util.ArrayList<>()).add(e.ts());
        }
        return out;
    }

    private static Instant back(int n, ChronoUnit unit) {
        return Dataset.NOW.atZone(Fixture.ZONE_A).minus(n, unit).toInstant();
    }

    private static boolean in(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && !t.isAfter(to);
    }

    private Set<String> counted(String event, Predicate<Ev> filter, Instant from, Predicate<Long> count) {
        Map<String, List<Instant>> t = times(event, filter);
        Set<String> out = new HashSet<>();
        for (String p : everyone()) {
            long n = t.getOrDefault(p, List.of()).stream().filter(x -> in(x, from, Dataset.NOW)).count();
            if (count.test(n)) out.add(p);
        }
        return out;
    }

    private Set<String> personsWhere(Predicate<JsonNode> props) {
        return f.data.persons.get(Fixture.A).values().stream().filter(p -> props.test(p.props())).map(p -> p.id().toString())
                .collect(Collectors.toSet());
    }

    // --- the engine ---

    private Cohort create(String name, String filtersJson) {
        try {
            return cohorts.create(Fixture.A, new Cohorts.Draft(name, "", Fixture.JSON.readTree(filtersJson), NullNode.getInstance(), false,
                    Optional.empty()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> members(Cohort c) {
        Set<String> out = new HashSet<>();
        f.store.query(cohorts.members(Fixture.A, c.id()), rs -> out.add(rs.getObject(1).toString()));
        return out;
    }

    private static String one(String criterion) {
        return "{\"properties\": {\"type\": \"OR\", \"values\": [{\"type\": \"AND\", \"values\": [" + criterion + "]}]}}";
    }

    private static String behavioral(String value, String event, int time, String interval, String extra) {
        return """
                {"type": "behavioral", "key": "%s", "event_type": "events", "value": "%s", "time_value": %d, "time_interval": "%s" %s}"""
                .formatted(event, value, time, interval, extra);
    }

    private void check(String name, String criterion, Set<String> expected) {
        Cohort c = create(name, one(criterion));
        assertThat(expected).as("the scenario %s must select someone and not everyone", name).isNotEmpty().isNotEqualTo(everyone());
        assertThat(members(c)).as(name).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(c.count()).as(name + " stored count").contains((long) expected.size());
        assertThat(c.errorsCalculating()).isZero();
    }

    @Test
    void performedAnEventInTheLastDays() {
        check("pageview 7d", behavioral("performed_event", "$pageview", 7, "day", ""),
                counted("$pageview", e -> true, back(7, ChronoUnit.DAYS), n -> n > 0));
    }

    @Test
    void performedAtLeastAtMostExactlyWithEventFilters() {
        Predicate<Ev> chrome = e -> "Chrome".equals(Oracle.text(e.props(), "$browser"));
        String filters = ", \"event_filters\": [{\"key\": \"$browser\", \"value\": \"Chrome\", \"operator\": \"exact\", \"type\": \"event\"}]";
        check("gte", behavioral("performed_event_multiple", "$pageview", 3, "week", ", \"operator\": \"gte\", \"operator_value\": 3" + filters),
                counted("$pageview", chrome, back(3, ChronoUnit.WEEKS), n -> n >= 3));
        check("lte", behavioral("performed_event_multiple", "$pageview", 14, "day", ", \"operator\": \"lte\", \"operator_value\": 1" + filters),
                counted("$pageview", chrome, back(14, ChronoUnit.DAYS), n -> n <= 1));
        check("exact", behavioral("performed_event_multiple", "$pageview", 1, "month", ", \"operator\": \"exact\", \"operator_value\": 2"),
                counted("$pageview", e -> true, back(1, ChronoUnit.MONTHS), n -> n == 2));
    }

    @Test
    void didNotPerform() {
        check("no purchase", behavioral("performed_event", "purchase", 10, "day", ", \"negation\": true"),
                counted("purchase", e -> true, back(10, ChronoUnit.DAYS), n -> n == 0));
    }

    @Test
    void performedForTheFirstTime() {
        Instant from = back(12, ChronoUnit.DAYS);
        Set<String> expected = times("signup", e -> true).entrySet().stream()
                .filter(t -> t.getValue().stream().filter(x -> !x.isAfter(Dataset.NOW)).min(Instant::compareTo).map(m -> !m.isBefore(from)).orElse(false))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        check("first signup", behavioral("performed_event_first_time", "signup", 12, "day", ""), expected);
    }

    @Test
    void stoppedAndRestarted() {
        Instant start = back(21, ChronoUnit.DAYS);
        Instant mid = back(7, ChronoUnit.DAYS);
        Map<String, List<Instant>> pv = times("$pageview", e -> true);
        Set<String> stopped = pv.entrySet().stream().filter(t -> t.getValue().stream().anyMatch(x -> in(x, start, mid.minusNanos(1000)))
                && t.getValue().stream().noneMatch(x -> in(x, mid, Dataset.NOW))).map(Map.Entry::getKey).collect(Collectors.toSet());
        check("stopped", behavioral("stopped_performing_event", "$pageview", 21, "day", ", \"seq_time_value\": 7, \"seq_time_interval\": \"day\""), stopped);

        Map<String, List<Instant>> buy = times("purchase", e -> true);
        Instant gapFrom = back(14, ChronoUnit.DAYS);
        Instant recent = back(4, ChronoUnit.DAYS);
        Set<String> restarted = buy.entrySet().stream().filter(t -> t.getValue().stream().anyMatch(x -> x.isBefore(gapFrom))
                && t.getValue().stream().noneMatch(x -> in(x, gapFrom, recent.minusNanos(1000)))
                && t.getValue().stream().anyMatch(x -> in(x, recent, Dataset.NOW))).map(Map.Entry::getKey).collect(Collectors.toSet());
        check("restarted", behavioral("restarted_performing_event", "purchase", 14, "day", ", \"seq_time_value\": 4, \"seq_time_interval\": \"day\""),
                restarted);
    }

    @Test
    void performedRegularly() {
        Map<String, List<Instant>> pv = times("$pageview", e -> true);
        Set<String> expected = new HashSet<>();
        for (var t : pv.entrySet()) {
            Set<Integer> periods = new HashSet<>();
            for (Instant x : t.getValue()) {
                for (int k = 0; k < 4; k++) {
                    Instant lo = back(k + 1, ChronoUnit.WEEKS);
                    Instant hi = back(k, ChronoUnit.WEEKS);
                    if (!x.isBefore(lo) && (k == 0 ? !x.isAfter(hi) : x.isBefore(hi))) periods.add(k);
                }
            }
            if (periods.size() >= 3) expected.add(t.getKey());
        }
        check("regularly", behavioral("performed_event_regularly", "$pageview", 1, "week", ", \"min_periods\": 3, \"total_periods\": 4"), expected);
    }

    @Test
    void personPropertiesWithTheQueryEnginesOperators() {
        check("pro", "{\"type\": \"person\", \"key\": \"plan\", \"value\": [\"pro\"], \"operator\": \"exact\"}",
                personsWhere(p -> "pro".equals(Oracle.text(p, "plan"))));
        check("no plan", "{\"type\": \"person\", \"key\": \"plan\", \"operator\": \"is_not_set\"}", personsWhere(p -> Oracle.text(p, "plan") == null));
        check("staff", "{\"type\": \"person\", \"key\": \"email\", \"value\": \"internal\", \"operator\": \"icontains\"}",
                personsWhere(p -> Oracle.text(p, "email").contains("internal")));
        check("older", "{\"type\": \"person\", \"key\": \"age\", \"value\": 40, \"operator\": \"gt\"}",
                personsWhere(p -> p.get("age").asInt() > 40));
        check("not free", "{\"type\": \"person\", \"key\": \"plan\", \"value\": \"free\", \"operator\": \"exact\", \"negation\": true}",
                personsWhere(p -> !"free".equals(Oracle.text(p, "plan"))));
    }

    @Test
    void nestedGroupsAndCohortsInCohorts() {
        Set<String> pro = personsWhere(p -> "pro".equals(Oracle.text(p, "plan")));
        Set<String> active = counted("$pageview", e -> true, back(30, ChronoUnit.DAYS), n -> n >= 3);
        Set<String> signedUp = counted("signup", e -> true, back(40, ChronoUnit.DAYS), n -> n > 0);
        String tree = """
                {"properties": {"type": "OR", "values": [
                  {"type": "AND", "values": [
                    {"type": "person", "key": "plan", "value": ["pro"], "operator": "exact"},
                    %s]},
                  {"type": "AND", "values": [%s]}]}}""".formatted(
                behavioral("performed_event_multiple", "$pageview", 30, "day", ", \"operator\": \"gte\", \"operator_value\": 3"),
                behavioral("performed_event", "signup", 40, "day", ", \"negation\": true"));
        Set<String> expected = new HashSet<>(pro);
        expected.retainAll(active);
        Set<String> noSignup = new HashSet<>(everyone());
        noSignup.removeAll(signedUp);
        expected.addAll(noSignup);
        Cohort nested = create("tree", tree);
        assertThat(members(nested)).containsExactlyInAnyOrderElementsOf(expected);

        Cohort proCohort = create("pro users", one("{\"type\": \"person\", \"key\": \"plan\", \"value\": \"pro\", \"operator\": \"exact\"}"));
        Set<String> proSigned = new HashSet<>(pro);
        proSigned.retainAll(signedUp);
        check("pro who signed up", "{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + proCohort.id() + "}, "
                + behavioral("performed_event", "signup", 40, "day", ""), proSigned);
        Set<String> notPro = new HashSet<>(everyone());
        notPro.removeAll(pro);
        check("not pro", "{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + proCohort.id() + ", \"negation\": true}", notPro);
    }

    @Test
    void circularReferencesAndBadCriteriaAreRefusedNamingTheField() {
        Cohort a = create("a", one("{\"type\": \"person\", \"key\": \"plan\", \"value\": \"pro\", \"operator\": \"exact\"}"));
        Cohort b = create("b", one("{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + a.id() + "}"));
        assertThatThrownBy(() -> cohorts.update(Fixture.A, a.id(), new Cohorts.Patch(Optional.empty(), Optional.empty(),
                Optional.of(Fixture.JSON.readTree(one("{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + b.id() + "}"))), Optional.empty(),
                Optional.empty()))).isInstanceOfSatisfying(InvalidQuery.class, e -> {
                    assertThat(e.attr()).isEqualTo("filters");
                    assertThat(e.getMessage()).contains("circular");
                });
        assertThatThrownBy(() -> create("self", one("{\"type\": \"cohort\", \"key\": \"id\", \"value\": 987654}")))
                .isInstanceOfSatisfying(InvalidQuery.class, e -> assertThat(e.getMessage()).contains("987654"));
        assertThatThrownBy(() -> create("bad", one("{\"type\": \"person\", \"key\": \"plan\", \"value\": \"x\"}, "
                + behavioral("performed_event", "$pageview", 0, "day", ""))))
                .isInstanceOfSatisfying(InvalidQuery.class, e -> assertThat(e.attr()).isEqualTo("filters.properties.values[0].values[1].time_value"));
        assertThatThrownBy(() -> create("bad", one(behavioral("performed_event", "$pageview", 3, "fortnight", ""))))
                .isInstanceOfSatisfying(InvalidQuery.class, e -> assertThat(e.attr()).isEqualTo("filters.properties.values[0].values[0].time_interval"));
        assertThatThrownBy(() -> create("bad", one(behavioral("performed_event_multiple", "$pageview", 3, "day", ", \"operator\": \"most\""))))
                .isInstanceOfSatisfying(InvalidQuery.class, e -> assertThat(e.attr()).isEqualTo("filters.properties.values[0].values[0].operator"));
        assertThatThrownBy(() -> create("bad", one("{\"type\": \"person\", \"key\": \"plan\", \"value\": \"x\", \"operator\": \"sounds_like\"}")))
                .isInstanceOfSatisfying(InvalidQuery.class, e -> assertThat(e.attr()).isEqualTo("filters.properties.values[0].values[0]"));
        assertThatThrownBy(() -> create("bad", "{\"properties\": {\"type\": \"AND\", \"values\": []}}"))
                .isInstanceOfSatisfying(InvalidQuery.class, e -> assertThat(e.attr()).isEqualTo("filters.properties"));
    }

    @Test
    void legacyGroupsAreAccepted() throws Exception {
        Cohort c = cohorts.create(Fixture.A, new Cohorts.Draft("legacy", "", NullNode.getInstance(), Fixture.JSON.readTree("""
                [{"properties": [{"key": "plan", "value": "pro", "operator": "exact", "type": "person"}]},
                 {"event_id": "purchase", "days": 5, "count": 2, "count_operator": "gte"}]"""), false, Optional.empty()));
        Set<String> expected = personsWhere(p -> "pro".equals(Oracle.text(p, "plan")));
        expected.addAll(counted("purchase", e -> true, back(5, ChronoUnit.DAYS), n -> n >= 2));
        assertThat(members(c)).containsExactlyInAnyOrderElementsOf(expected);
    }

    // --- cohorts inside insights ---

    private JsonNode run(String query) {
        try {
            return Fixture.JSON.valueToTree(service.run(Fixture.A, Fixture.ZONE_A.getId(), Fixture.JSON.readTree("{\"query\": " + query + "}")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] data(JsonNode series) {
        double[] d = new double[series.get("data").size()];
        for (int i = 0; i < d.length; i++) d[i] = series.get("data").get(i).asDouble();
        return d;
    }

    private static void same(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) assertThat(actual[i]).as(what + " bucket " + i).isCloseTo(expected[i], within(1e-9));
    }

    @Test
    void trendsFilteredAndBrokenDownByCohorts() {
        Cohort active = create("active", one(behavioral("performed_event_multiple", "$pageview", 30, "day", ", \"operator\": \"gte\", \"operator_value\": 3")));
        Cohort pro = create("pro", one("{\"type\": \"person\", \"key\": \"plan\", \"value\": \"pro\", \"operator\": \"exact\"}"));
        Set<String> activeSet = members(active);
        Set<String> proSet = members(pro);
        String range = "\"dateRange\": {\"date_from\": \"2025-03-10\", \"date_to\": \"2025-03-30\"}, \"interval\": \"day\"";
        for (String op : List.of("in", "not_in")) {
            JsonNode r = run("{\"kind\": \"TrendsQuery\", \"series\": [{\"kind\": \"EventsNode\", \"event\": \"$pageview\", \"math\": \"dau\"}], " + range
                    + ", \"properties\": [{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + active.id() + ", \"operator\": \"" + op + "\"}]}");
            Predicate<Ev> passes = e -> activeSet.contains(o.actor(e)) == op.equals("in");
            double[] expected = OracleTrends.trend(o, "$pageview", passes, "dau", null, "day", start("2025-03-10"), end("2025-03-30"), null, 25).get("");
            same(data(r.get("results").get(0)), expected, "dau " + op + " cohort");
        }
        JsonNode r = run("{\"kind\": \"TrendsQuery\", \"series\": [{\"kind\": \"EventsNode\", \"event\": \"$pageview\"}], " + range
                + ", \"breakdownFilter\": {\"breakdown_type\": \"cohort\", \"breakdown\": [" + active.id() + ", " + pro.id() + ", \"all\"]}}");
        Map<String, double[]> byValue = new HashMap<>();
        for (JsonNode s : r.get("results")) byValue.put(s.get("breakdown_value").asText(), data(s));
        Map<String, String> labels = new HashMap<>();
        for (JsonNode s : r.get("results")) labels.put(s.get("breakdown_value").asText(), s.get("label").asText());
        assertThat(labels).containsEntry(Long.toString(active.id()), "active").containsEntry(Long.toString(pro.id()), "pro").containsEntry("all", "All users");
        assertThat(byValue.keySet()).containsExactlyInAnyOrder(Long.toString(active.id()), Long.toString(pro.id()), "all");
        Set<String> all = everyone();
        for (var c : Map.of(Long.toString(active.id()), activeSet, Long.toString(pro.id()), proSet, "all", all).entrySet()) {
            double[] expected = OracleTrends.trend(o, "$pageview", e -> c.getValue().contains(o.actor(e)), "total", null, "day",
                    start("2025-03-10"), end("2025-03-30"), null, 25).get("");
            same(byValue.get(c.getKey()), expected, "breakdown " + c.getKey());
        }
    }

    @Test
    void retentionWithCohortsSideBySide() {
        Cohort pro = create("pro r", one("{\"type\": \"person\", \"key\": \"plan\", \"value\": \"pro\", \"operator\": \"exact\"}"));
        Cohort free = create("free r", one("{\"type\": \"person\", \"key\": \"plan\", \"value\": \"free\", \"operator\": \"exact\"}"));
        String base = """
                {"kind": "RetentionQuery", "dateRange": {"date_from": "2025-03-01", "date_to": "2025-03-28"},
                 "retentionFilter": {"period": "Week", "totalIntervals": 4, "retentionType": "retention_recurring",
                   "targetEntity": {"id": "$pageview", "type": "events"}, "returningEntity": {"id": "$pageview", "type": "events"}} %s}""";
        JsonNode side = run(base.formatted(", \"breakdownFilter\": {\"breakdown_type\": \"cohort\", \"breakdown\": [" + pro.id() + ", " + free.id() + "]}"));
        for (Cohort c : List.of(pro, free)) {
            Set<String> set = members(c);
            JsonNode alone = run(base.formatted(", \"properties\": [{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + c.id() + "}]"));
            List<JsonNode> rows = new java.util.ArrayList<>();
            side.get("results").forEach(row -> {
                if (row.get("breakdown_value").asText().equals(Long.toString(c.id()))) rows.add(row);
            });
            assertThat(rows).allSatisfy(row -> assertThat(row.get("breakdown_label").asText()).isEqualTo(c.name()));
            // a cell of one cohort's block opens that cohort's persons (the builder's drill-down)
            for (int i = 0; i < rows.size(); i++) {
                JsonNode actors = run("{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": "
                        + base.formatted(", \"breakdownFilter\": {\"breakdown_type\": \"cohort\", \"breakdown\": [" + pro.id() + ", " + free.id() + "]}")
                        + ", \"interval\": " + i + ", \"breakdown\": \"" + c.id() + "\"}, \"limit\": 10000}");
                assertThat(actors.get("results")).as("cohort %s row %d's persons", c.name(), i).hasSize(rows.get(i).at("/values/0/count").asInt());
            }
            assertThat(rows).hasSize(alone.get("results").size());
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i).get("values")).as("cohort %s row %d", c.name(), i).isEqualTo(alone.get("results").get(i).get("values"));
                // period 0 of each row: the cohort's members with a pageview in that week, from the raw events
                Instant lo = java.time.LocalDate.parse("2025-03-01").atStartOfDay(Fixture.ZONE_A).toInstant();
                java.time.LocalDateTime weekStart = OracleTrends.floor("week", o.local(lo)).plusWeeks(i);
                Instant a = weekStart.atZone(Fixture.ZONE_A).toInstant();
                Instant b = weekStart.plusWeeks(1).atZone(Fixture.ZONE_A).toInstant();
                long expected = o.events().stream().filter(e -> e.event().equals("$pageview") && !e.ts().isBefore(a) && e.ts().isBefore(b))
                        .map(o::actor).filter(set::contains).distinct().count();
                assertThat(rows.get(i).get("values").get(0).get("count").asLong()).as("cohort %s week %d", c.name(), i).isEqualTo(expected);
            }
        }
    }

    @Test
    void windowEdgesFollowTheProjectsWallClock() {
        // 30 days back from 2025-03-31 11:00 New York time crosses the change to summer time:
        // the window opens at 2025-03-01 11:00 EST = 16:00 UTC, 30 days and one hour before now
        Instant opens = back(30, ChronoUnit.DAYS);
        assertThat(opens).isEqualTo(Instant.parse("2025-03-01T16:00:00Z"));
        Set<String> expected = counted("$pageview", e -> true, opens, n -> n > 0);
        Set<String> utcWindow = counted("$pageview", e -> true, Dataset.NOW.minus(30, ChronoUnit.DAYS), n -> n > 0);
        Cohort c = create("edge", one(behavioral("performed_event", "$pageview", 30, "day", "")));
        assertThat(members(c)).containsExactlyInAnyOrderElementsOf(expected);
        // only meaningful while the dataset has a pageview in that hour; the boundary itself is checked over HTTP
        if (!expected.equals(utcWindow)) assertThat(members(c)).isNotEqualTo(utcWindow);
    }

    @Test
    void eventsExactlyAtAWindowsEdgesInParis() throws Exception {
        // summer time began in Paris on 2025-03-30: 7 days back from 2025-03-31 17:00 CEST is
        // 2025-03-24 17:00 CET = 16:00 UTC, one hour more than 7 x 24 hours
        Instant opens = Instant.parse("2025-03-24T16:00:00Z");
        assertThat(Dataset.NOW.atZone(PARIS).minusDays(7).toInstant()).isEqualTo(opens);
        Map<String, Instant> at = new java.util.LinkedHashMap<>();
        at.put("at-open", opens);
        at.put("just-before", opens.minusNanos(1000));
        at.put("utc-would-count", Instant.parse("2025-03-24T15:30:00Z"));
        at.put("at-now", Dataset.NOW);
        at.put("after-now", Dataset.NOW.plusNanos(1000));
        List<dev.sightline.store.EventRecord> records = new java.util.ArrayList<>();
        Map<String, UUID> ids = new HashMap<>();
        try (var c = f.db.connect(); var ps = c.prepareStatement("INSERT INTO persons VALUES (?, ?, '{}', true, TIMESTAMP '2025-01-01', 1)");
             var pd = c.prepareStatement("INSERT INTO person_distinct_ids VALUES (?, ?, ?, 1)")) {
            for (var e : at.entrySet()) {
                UUID id = UUID.nameUUIDFromBytes(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ids.put(e.getKey(), id);
                ps.setLong(1, EDGES);
                ps.setObject(2, id);
                ps.executeUpdate();
                pd.setLong(1, EDGES);
                pd.setString(2, e.getKey());
                pd.setObject(3, id);
                pd.executeUpdate();
                records.add(new dev.sightline.store.EventRecord(EDGES, UUID.randomUUID(), "$pageview", e.getKey(), e.getValue(), e.getValue(), "{}",
                        Optional.of(id), "{}", Optional.of("full"), Optional.empty(), dev.sightline.store.EventRecord.NO_GROUPS, Optional.empty(), null));
            }
        }
        new dev.sightline.store.duckdb.DuckDbIngest(f.db).commit(records, dev.sightline.identity.PersonChanges.NONE);
        Cohort c = cohorts.create(EDGES, new Cohorts.Draft("edges", "", Fixture.JSON.readTree(one(behavioral("performed_event", "$pageview", 7, "day", ""))),
                NullNode.getInstance(), false, Optional.empty()));
        Set<String> members = new HashSet<>();
        f.store.query(cohorts.members(EDGES, c.id()), rs -> members.add(rs.getObject(1).toString()));
        assertThat(members).containsExactlyInAnyOrder(ids.get("at-open").toString(), ids.get("at-now").toString());
        assertThat(cohorts.get(EDGES, c.id()).orElseThrow().count()).contains(2L);

        // a new event: queries see it at once, the stored count with the next background calculation
        new dev.sightline.store.duckdb.DuckDbIngest(f.db).commit(List.of(new dev.sightline.store.EventRecord(EDGES, UUID.randomUUID(), "$pageview",
                "just-before", opens.plusSeconds(1), opens.plusSeconds(1), "{}", Optional.of(ids.get("just-before")), "{}", Optional.of("full"),
                Optional.empty(), dev.sightline.store.EventRecord.NO_GROUPS, Optional.empty(), null)), dev.sightline.identity.PersonChanges.NONE);
        Set<String> now = new HashSet<>();
        f.store.query(cohorts.members(EDGES, c.id()), rs -> now.add(rs.getObject(1).toString()));
        assertThat(now).hasSize(3);
        assertThat(cohorts.get(EDGES, c.id()).orElseThrow().count()).contains(2L);
        assertThat(cohorts.recalculateAll()).isGreaterThanOrEqualTo(1);
        Cohort after = cohorts.get(EDGES, c.id()).orElseThrow();
        assertThat(after.count()).contains(3L);
        assertThat(after.lastCalculation()).contains(Dataset.NOW);
        assertThat(after.isCalculating()).isFalse();
        assertThat(after.errorsCalculating()).isZero();
    }
}
