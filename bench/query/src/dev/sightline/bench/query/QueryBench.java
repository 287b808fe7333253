package dev.sightline.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.QueryService;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbQueries;
import dev.sightline.store.duckdb.MaterializedProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Times each insight kind on a generated dataset: N events over 90 days for P persons (skewed:
 * a few persons have many events), 5% of events from an anonymous distinct id merged through
 * overrides, event properties ($browser in its enrichment column as the server stores it; amount,
 * $current_url, $session_id in the JSON) and person properties.
 */
public final class QueryBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-31T23:00:00Z");

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        long persons = 200_000;
        int repeat = 4;
        boolean smoke = false;
        String only = null;
        // --results NAME: the figures of this (part of the) run go to bench/results/NAME.md, kept like a full run's
        String results = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--persons" -> persons = Long.parseLong(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--smoke" -> { events = 100_000; persons = 2_000; repeat = 2; smoke = true; }
                case "--only" -> only = args[++i];
                case "--results" -> results = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // A server answers with compiled code; so that "cold" means DuckDB's first run over this data and not
        // the JVM's first run of the engine's code, every question first runs a few times over a small dataset.
        long warmupEvents = 100_000, warmupPersons = 2_000;
        boolean warmup = !smoke && (events != warmupEvents || persons != warmupPersons);
        if (warmup) warmUp(Path.of("bench/results/tmp/query-data-" + warmupEvents + "-" + warmupPersons), warmupEvents, warmupPersons, only);
        Path dir = Path.of("bench/results/tmp/query-data-" + events + "-" + persons);
        boolean fresh = !Files.exists(dir.resolve("sightline.duckdb"));
        try (Database db = Database.open(dir)) {
            long t0 = System.nanoTime();
            if (fresh) generate(db, events, persons);
            double genSeconds = (System.nanoTime() - t0) / 1e9;
            // merges leave overrides that the server folds into the events every few minutes; start from that state
            long folded = new DuckDbIngest(db).compactOverrides();
            DuckDbQueries store = new DuckDbQueries(db);
            QueryService plainService = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(NOW, ZoneOffset.UTC));
            StringBuilder out = new StringBuilder();
            out.append("# Query engine benchmark\n\n")
                    .append("- dataset: ").append(events).append(" events, ").append(persons).append(" persons, 90 days, project timezone Europe/Berlin")
                    .append(fresh ? String.format(" (generated in %.1f s)", genSeconds) : " (reused)").append('\n')
                    .append("- merges' overrides folded into the events before timing (as the server does every few minutes): ").append(folded).append(" events rewritten by this run (0 once an earlier run folded them)\n")
                    .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores visible to the JVM, shared\n")
                    .append("- load average when the timings started (other work shares the machine): ").append(load()).append('\n')
                    .append(warmup ? "- the JVM was warmed first: every question ran 20 times over a separate 100k-event dataset, untimed\n" : "")
                    .append("- each question runs ").append(repeat).append(" times through QueryService without the result cache (engine), and as hand-written DuckDB SQL on the same file (ceiling);")
                    .append(" cold = first run, warm = median of the rest; \"same answer\" compares the total of the answer's numbers\n\n")
                    .append("| question | engine cold ms | engine warm ms | hand SQL cold ms | hand SQL warm ms | engine / SQL (warm) | same answer |\n|---|---:|---:|---:|---:|---:|---|\n");
            // the same figures as JSON, beside the other benchmarks' result files
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("benchmark", results == null ? "query" : results);
            json.put("timestamp", Instant.now().toString());
            json.put("smoke", smoke);
            json.put("events", events);
            json.put("persons", persons);
            json.put("repeat", repeat);
            json.put("cores", Runtime.getRuntime().availableProcessors());
            json.put("load_average_at_start", load());
            List<Map<String, Object>> questions = new ArrayList<>();
            json.put("questions", questions);
            // the last questions read materialized properties: materialized here once, kept in the reused dataset
            long m0 = System.nanoTime();
            boolean added = false;
            for (String key : MATERIALIZED) added |= MaterializedProperties.materialize(db, key).added();
            double materializeSeconds = (System.nanoTime() - m0) / 1e9;
            Map<String, String> columns = MaterializedProperties.load(db);
            QueryService columnService = new QueryService(new DuckDbDialect(columns), store, store, store, Clock.fixed(NOW, ZoneOffset.UTC));
            String materializedNote = "- the last question reads " + MATERIALIZED + " from a column of its own (`sightline materialize`), and so does its hand SQL; "
                    + (added ? String.format("materializing it took %.1f s here", materializeSeconds) : "they were materialized by an earlier run") + "\n";
            // only a run that asks the materialized question says how it reads it
            String part = only;
            if (part == null || withColumns(columns).stream().anyMatch(c -> c.name().contains(part))) {
                out.insert(out.indexOf("\n| question"), materializedNote);
            }
            json.put("materialized", MATERIALIZED);
            if (added) json.put("materialize_seconds", Math.round(materializeSeconds * 10) / 10.0);
            List<Case> all = new ArrayList<>(cases());
            all.addAll(withColumns(columns));
            // cohorts: the definition computed on its own, and a trends query filtered by it (docs/cohorts.md)
            dev.sightline.cohort.Cohorts cohorts = new dev.sightline.cohort.Cohorts(new dev.sightline.store.duckdb.DuckDbCohorts(db), new DuckDbDialect(), store,
                    id -> java.time.ZoneId.of("Europe/Berlin"), Clock.fixed(NOW, ZoneOffset.UTC));
            QueryService cohortService = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(NOW, ZoneOffset.UTC), cohorts);
            all.addAll(cohortCases(cohorts));
            for (Case c : all) {
                if (only != null && !c.name().contains(only)) continue;
                QueryService service = c.cohorts() ? cohortService : c.columns() ? columnService : plainService;
                List<Long> engine = new ArrayList<>();
                JsonNode answer = null;
                for (int r = 0; r < repeat; r++) {
                    long s = System.nanoTime();
                    if (c.estimate()) {
                        // the cohort's definition compiled and counted, as the editor's estimate and a recalculation do
                        long n = cohorts.estimate(1, JSON.readTree(c.query()), null);
                        engine.add((System.nanoTime() - s) / 1_000_000);
                        answer = JSON.valueToTree(List.of(Map.of("aggregated_value", n)));
                        continue;
                    }
                    Map<String, Object> result = service.run(1, "Europe/Berlin", JSON.readTree("{\"refresh\": true, \"query\": " + c.query() + "}"));
                    engine.add((System.nanoTime() - s) / 1_000_000);
                    answer = JSON.valueToTree(result.get("results"));
                }
                List<Long> hand = new ArrayList<>();
                double handTotal = 0;
                if (c.handSql() != null) {
                    for (int r = 0; r < repeat; r++) {
                        long s = System.nanoTime();
                        double total = 0;
                        try (Connection conn = db.connect(); Statement st = conn.createStatement(); java.sql.ResultSet rs = st.executeQuery(c.handSql())) {
                            int last = rs.getMetaData().getColumnCount();
                            while (rs.next()) total += rs.getObject(last) instanceof Number n ? n.doubleValue() : 0;
                        }
                        hand.add((System.nanoTime() - s) / 1_000_000);
                        handTotal = total;
                    }
                }
                String same = c.engineTotal() == null || c.handSql() == null ? "-"
                        : Math.abs(c.engineTotal().applyAsDouble(answer) - handTotal) <= 1e-6 * Math.max(1, Math.abs(handTotal)) ? "yes"
                        : String.format("NO (%.2f vs %.2f)", c.engineTotal().applyAsDouble(answer), handTotal);
                long ew = warm(engine);
                String line = c.handSql() == null
                        ? String.format("| %s | %d | %d | - | - | - | - |%n", c.name(), engine.getFirst(), ew)
                        : String.format("| %s | %d | %d | %d | %d | %.2f | %s |%n", c.name(), engine.getFirst(), ew, hand.getFirst(), warm(hand),
                                ew / (double) Math.max(1, warm(hand)), same);
                System.out.print(line);
                out.append(line);
                Map<String, Object> q = new java.util.LinkedHashMap<>();
                q.put("question", c.name());
                q.put("engine_cold_ms", engine.getFirst());
                q.put("engine_warm_ms", ew);
                if (c.handSql() != null) {
                    q.put("hand_sql_cold_ms", hand.getFirst());
                    q.put("hand_sql_warm_ms", warm(hand));
                    q.put("engine_over_hand_sql", Math.round(1000.0 * ew / Math.max(1, warm(hand))) / 1000.0);
                }
                q.put("same_answer", same);
                questions.add(q);
            }
            out.append("\nload average at the end: ").append(load()).append('\n');
            Files.createDirectories(Path.of("bench/results"));
            // a smoke run checks the harness; its figures mean nothing and stay out of the results
            // the default size keeps the name docs/benchmarks.md cites; other sizes get their own file
            String size = events == 10_000_000 && persons == 200_000 ? ""
                    : "-" + (events % 1_000_000 == 0 ? events / 1_000_000 + "M" : Long.toString(events));
            // a part of the questions (--only, while working on one) is kept aside like a smoke run
            smoke |= only != null && results == null;
            String name = results == null ? "query" : results;
            Path file = Path.of(smoke ? "bench/results/tmp/" + name + "-smoke.md" : "bench/results/" + name + size + ".md");
            Files.writeString(file, out.toString());
            System.out.println("wrote " + file);
            String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
            Path jsonFile = Path.of(smoke ? "bench/results/tmp/" + name + "-smoke.json" : "bench/results/" + name + "-" + stamp + ".json");
            String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
            Files.writeString(jsonFile, text);
            if (!smoke) Files.writeString(Path.of("bench/results/" + name + "-latest.json"), text);
            System.out.println("wrote " + jsonFile);
        }
    }

    private static void warmUp(Path dir, long events, long persons, String only) throws Exception {
        boolean fresh = !Files.exists(dir.resolve("sightline.duckdb"));
        try (Database db = Database.open(dir)) {
            if (fresh) generate(db, events, persons);
            DuckDbQueries store = new DuckDbQueries(db);
            QueryService service = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(NOW, ZoneOffset.UTC));
            for (Case c : cases()) {
                if (only != null && !c.name().contains(only)) continue;
                for (int r = 0; r < 20; r++) service.run(1, "Europe/Berlin", JSON.readTree("{\"refresh\": true, \"query\": " + c.query() + "}"));
            }
        }
    }

    /** The median of the runs after the first (the first is the cold run), or the only run. */
    private static long warm(List<Long> runs) {
        List<Long> rest = new ArrayList<>(runs.size() > 1 ? runs.subList(1, runs.size()) : runs);
        rest.sort(null);
        return rest.get(rest.size() / 2);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** One benchmark question: the engine's query, the same question as hand-written DuckDB SQL, and how to compare answers. */
    /** @param columns asked with the materialized properties read from their columns (engine and hand SQL alike) */
    /**
     * @param cohorts  asked of a QueryService that reads the project's cohorts
     * @param estimate {@code query} is a cohort definition (filters JSON), computed and counted
     */
    record Case(String name, String query, String handSql, java.util.function.ToDoubleFunction<JsonNode> engineTotal, boolean columns,
                boolean cohorts, boolean estimate) {
        Case(String name, String query, String handSql, java.util.function.ToDoubleFunction<JsonNode> engineTotal) {
            this(name, query, handSql, engineTotal, false, false, false);
        }

        Case(String name, String query, String handSql, java.util.function.ToDoubleFunction<JsonNode> engineTotal, boolean columns) {
            this(name, query, handSql, engineTotal, columns, false, false);
        }
    }

    /** The behavioural cohort: performed $pageview at least 3 times in the last 30 days, and plan = pro. */
    static final String ACTIVE_PRO = """
            {"properties": {"type": "AND", "values": [
              {"type": "behavioral", "key": "$pageview", "event_type": "events", "value": "performed_event_multiple",
               "operator": "gte", "operator_value": 3, "time_value": 30, "time_interval": "day"},
              {"type": "person", "key": "plan", "value": "pro", "operator": "exact"}]}}""";

    /**
     * The cohort computed, and a trends query filtered by it, beside hand-written SQL. The cohort is
     * saved once in the dataset (found again by name); 30 days back is counted on Berlin's wall clock.
     */
    private static List<Case> cohortCases(dev.sightline.cohort.Cohorts cohorts) throws Exception {
        long id = cohorts.list(1).stream().filter(c -> c.name().equals("bench: active pro")).map(dev.sightline.cohort.Cohort::id).findFirst()
                .orElseGet(() -> {
                    try {
                        return cohorts.create(1, new dev.sightline.cohort.Cohorts.Draft("bench: active pro", "", JSON.readTree(ACTIVE_PRO),
                                com.fasterxml.jackson.databind.node.NullNode.getInstance(), false, java.util.Optional.empty())).id();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        java.time.Instant from = NOW.atZone(java.time.ZoneId.of("Europe/Berlin")).minusDays(30).toInstant();
        String ts = "TIMESTAMP '" + from.toString().replace('T', ' ').replace("Z", "") + "'";
        String members = "SELECT a.p FROM (SELECT " + WHO + " AS p FROM " + EV + " WHERE e.project_id = 1 AND e.event = '$pageview' AND e.timestamp >= " + ts
                + " AND e.timestamp <= TIMESTAMP '2025-03-31 23:00:00' GROUP BY 1 HAVING count(*) >= 3) a"
                + " JOIN persons pp ON pp.project_id = 1 AND pp.uuid = a.p AND pp.properties ->> 'plan' = 'pro'";
        List<Case> q = new ArrayList<>();
        q.add(new Case("cohort: $pageview >= 3 times in 30 d AND plan = pro, computed", ACTIVE_PRO, "SELECT count(*) FROM (" + members + ")",
                QueryBench::sumData, false, true, true));
        q.add(new Case("trends total, day, 30 d, filtered by that cohort", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], \"dateRange\": {\"date_from\": \"-30d\"}"
                + ", \"properties\": [{\"type\": \"cohort\", \"key\": \"id\", \"value\": " + id + ", \"operator\": \"in\"}]}",
                "SELECT " + day("e.timestamp") + ", count(*) FROM " + EV + " WHERE " + D30 + " AND e.event = '$pageview' AND " + WHO + " IN (" + members + ") GROUP BY 1",
                QueryBench::sumData, false, true, false));
        return q;
    }

    /** Keys materialized for the last questions, as a team would for the properties it breaks down and sums by. */
    static final List<String> MATERIALIZED = List.of("amount");

    /** The sum again, with {@link #MATERIALIZED} read from its column. */
    private static List<Case> withColumns(Map<String, String> columns) {
        String range = "\"dateRange\": {\"date_from\": \"-30d\"}";
        List<Case> q = new ArrayList<>();
        q.add(new Case("trends sum(amount), week, 90 d, amount materialized", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"purchase\", \"math\": \"sum\", \"math_property\": \"amount\"}], \"interval\": \"week\", \"dateRange\": {\"date_from\": \"-90d\"}}",
                "SELECT " + week("e.timestamp") + ", sum(TRY_CAST(e." + columns.get("amount") + " AS DOUBLE)) FROM events e WHERE e.project_id = 1"
                        + " AND e.timestamp >= TIMESTAMP '2024-12-31 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999' AND e.event = 'purchase' GROUP BY 1",
                QueryBench::sumData, true));
        return q;
    }

    // The dataset's Europe/Berlin offsets: +1 h until the change of 2025-03-30 01:00 UTC, then +2 h.
    private static String local(String c) {
        return "(" + c + " + CASE WHEN " + c + " < TIMESTAMP '2025-03-30 01:00:00' THEN INTERVAL 1 HOUR ELSE INTERVAL 2 HOUR END)";
    }

    private static String day(String c) {
        return "date_trunc('day', " + local(c) + ")";
    }

    private static String week(String c) {
        return "(date_trunc('week', " + local(c) + " + INTERVAL 1 DAY) - INTERVAL 1 DAY)";
    }

    /** Events with the person each counts as: merges' overrides first (the table is emptied by compaction). */
    private static final String EV = "events e LEFT JOIN person_distinct_id_overrides o ON o.project_id = e.project_id AND o.distinct_id = e.distinct_id";
    private static final String WHO = "coalesce(o.person_id, e.person_id)";
    /** -30d in the project's zone: from 2025-03-02 00:00 Berlin to the end of today, 2025-04-01. */
    private static final String D30 = "e.project_id = 1 AND e.timestamp >= TIMESTAMP '2025-03-01 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999'";

    private static double sumData(JsonNode results) {
        double s = 0;
        for (JsonNode r : results) {
            if (r.has("aggregated_value")) s += r.get("aggregated_value").asDouble();
            else for (JsonNode v : r.path("data")) s += v.asDouble();
        }
        return s;
    }

    private static List<Case> cases() {
        String range = "\"dateRange\": {\"date_from\": \"-30d\"}";
        List<Case> q = new ArrayList<>();
        q.add(new Case("trends total, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range + "}",
                "SELECT " + day("e.timestamp") + ", count(*) FROM events e WHERE " + D30 + " AND e.event = '$pageview' GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("trends dau, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"dau\"}], " + range + "}",
                "SELECT d, count(*) FROM (SELECT DISTINCT " + day("e.timestamp") + " AS d, " + WHO + " AS p FROM " + EV + " WHERE " + D30
                        + " AND e.event = '$pageview') GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("trends weekly_active, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"weekly_active\"}], " + range + "}",
                "WITH pd AS (SELECT DISTINCT " + WHO + " AS p, " + day("e.timestamp") + " AS d FROM " + EV
                        + " WHERE e.project_id = 1 AND e.timestamp >= TIMESTAMP '2025-02-23 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999' AND e.event = '$pageview')"
                        + " SELECT b.d, count(DISTINCT pd.p) FROM (SELECT unnest(generate_series(TIMESTAMP '2025-03-02', TIMESTAMP '2025-04-01', INTERVAL 1 DAY)) AS d) b"
                        + " JOIN pd ON pd.d BETWEEN b.d - INTERVAL 6 DAY AND b.d GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("trends dau, BoldNumber, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"dau\"}], " + range
                + ", \"trendsFilter\": {\"display\": \"BoldNumber\"}}",
                "SELECT count(DISTINCT " + WHO + ") FROM " + EV + " WHERE " + D30 + " AND e.event = '$pageview'",
                QueryBench::sumData));
        q.add(new Case("trends sum(amount), week, 90 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"purchase\", \"math\": \"sum\", \"math_property\": \"amount\"}], \"interval\": \"week\", \"dateRange\": {\"date_from\": \"-90d\"}}",
                "SELECT " + week("e.timestamp") + ", sum(TRY_CAST(e.properties ->> '$.amount' AS DOUBLE)) FROM events e WHERE e.project_id = 1"
                        + " AND e.timestamp >= TIMESTAMP '2024-12-31 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999' AND e.event = 'purchase' GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("trends breakdown event $browser", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range + ", \"breakdownFilter\": {\"breakdown\": \"$browser\"}}",
                "SELECT " + day("e.timestamp") + ", e.ep_browser, count(*) FROM events e WHERE " + D30 + " AND e.event = '$pageview' GROUP BY 1, 2",
                QueryBench::sumData));
        // a property only the JSON holds
        q.add(new Case("trends breakdown event $current_url, from the JSON", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range + ", \"breakdownFilter\": {\"breakdown\": \"$current_url\"}}",
                "SELECT " + day("e.timestamp") + ", e.properties ->> '$.\"$current_url\"', count(*) FROM events e WHERE " + D30 + " AND e.event = '$pageview' GROUP BY 1, 2",
                QueryBench::sumData));
        q.add(new Case("trends breakdown person plan, dau", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"dau\"}], " + range
                + ", \"breakdownFilter\": {\"breakdown\": \"plan\", \"breakdown_type\": \"person\"}}",
                "SELECT d, plan, count(*) FROM (SELECT DISTINCT " + day("e.timestamp") + " AS d, " + WHO + " AS p FROM " + EV + " WHERE " + D30
                        + " AND e.event = '$pageview') x LEFT JOIN (SELECT uuid, properties ->> 'plan' AS plan FROM persons WHERE project_id = 1) pp ON pp.uuid = x.p GROUP BY 1, 2",
                QueryBench::sumData));
        q.add(new Case("trends event + person filters", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"properties\": [{\"key\": \"$browser\", \"value\": \"Chrome\"}]}], " + range
                + ", \"properties\": [{\"key\": \"plan\", \"value\": \"pro\", \"type\": \"person\"}]}",
                "SELECT " + day("e.timestamp") + ", count(*) FROM " + EV + " WHERE " + D30 + " AND e.event = '$pageview' AND e.ep_browser = 'Chrome'"
                        + " AND " + WHO + " IN (SELECT uuid FROM persons WHERE project_id = 1 AND properties ->> 'plan' = 'pro') GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("funnel 3 steps, 14 d window, 30 d", "{\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"$pageview\"}, {\"event\": \"signup\"}, {\"event\": \"purchase\"}], " + range + "}",
                // each signup advances the latest attempt begun before it (within the window); each such attempt's first purchase after its signup
                "WITH s AS (SELECT " + WHO + " AS p, e.timestamp AS ts, e.event AS ev FROM " + EV + " WHERE " + D30 + " AND e.event IN ('$pageview', 'signup', 'purchase')),"
                        + " a AS (SELECT p, ts AS t0 FROM s WHERE ev = '$pageview'), b AS (SELECT p, ts FROM s WHERE ev = 'signup'), c AS (SELECT p, ts FROM s WHERE ev = 'purchase'),"
                        + " ab AS (SELECT b.p, a.t0, min(b.ts) AS t1 FROM b ASOF JOIN a ON a.p = b.p AND b.ts >= a.t0 WHERE b.ts <= a.t0 + INTERVAL 14 DAY GROUP BY 1, 2),"
                        + " per AS (SELECT ab.p, max(CASE WHEN c.ts IS NOT NULL AND c.ts <= ab.t0 + INTERVAL 14 DAY THEN 3 ELSE 2 END) AS depth FROM ab ASOF LEFT JOIN c ON c.p = ab.p AND c.ts >= ab.t1 GROUP BY 1)"
                        + " SELECT 1, count(DISTINCT p) FROM a UNION ALL SELECT 2, count(*) FROM per UNION ALL SELECT 3, count(*) FILTER (WHERE depth = 3) FROM per",
                r -> { double s = 0; for (JsonNode step : r) s += step.get("count").asDouble(); return s; }));
        q.add(new Case("funnel 2 steps, breakdown $browser", "{\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"signup\"}, {\"event\": \"purchase\"}], " + range
                + ", \"breakdownFilter\": {\"breakdown\": \"$browser\"}}",
                // first touch: the browser of each person's first signup; everyone who entered, plus those who converted
                "WITH s AS (SELECT " + WHO + " AS p, e.timestamp AS ts, e.event AS ev, e.ep_browser AS v FROM " + EV + " WHERE " + D30
                        + " AND e.event IN ('signup', 'purchase')), a AS (SELECT p, ts AS t0 FROM s WHERE ev = 'signup'), b AS (SELECT p, ts FROM s WHERE ev = 'purchase'),"
                        + " conv AS (SELECT DISTINCT b.p FROM b ASOF JOIN a ON a.p = b.p AND b.ts >= a.t0 WHERE b.ts <= a.t0 + INTERVAL 14 DAY),"
                        + " pb AS (SELECT p, arg_min_null(v, ts) AS bd FROM s WHERE ev = 'signup' GROUP BY p)"
                        + " SELECT pb.bd, count(*) + count(conv.p) FROM pb LEFT JOIN conv ON conv.p = pb.p GROUP BY 1",
                r -> { double s = 0; for (JsonNode group : r) for (JsonNode step : group) s += step.get("count").asDouble(); return s; }));
        q.add(new Case("retention weekly first time, 8 weeks", "{\"kind\": \"RetentionQuery\", \"dateRange\": {\"date_from\": \"-56d\"}, \"retentionFilter\": {\"targetEntity\": {\"id\": \"signup\", \"type\": \"events\"}, \"returningEntity\": {\"id\": \"$pageview\", \"type\": \"events\"}, \"retentionType\": \"retention_first_time\", \"period\": \"Week\", \"totalIntervals\": 8}}",
                "WITH f AS (SELECT " + WHO + " AS p, min(e.timestamp) AS ft FROM " + EV + " WHERE e.project_id = 1 AND e.event = 'signup' AND e.timestamp <= TIMESTAMP '2025-04-05 21:59:59.999999' GROUP BY 1),"
                        + " t AS (SELECT p, " + week("ft") + " AS c FROM f WHERE ft >= TIMESTAMP '2025-02-01 23:00:00'),"
                        + " r AS (SELECT DISTINCT " + WHO + " AS p, " + week("e.timestamp") + " AS b FROM " + EV + " WHERE e.project_id = 1 AND e.event = '$pageview'"
                        + " AND e.timestamp >= TIMESTAMP '2025-02-01 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-05 21:59:59.999999')"
                        + " SELECT c, c, count(*) FROM t GROUP BY 1 UNION ALL SELECT t.c, r.b, count(*) FROM t JOIN r ON r.p = t.p AND r.b > t.c AND r.b < t.c + INTERVAL 8 WEEK GROUP BY 1, 2",
                QueryBench::sumRetention));
        q.add(new Case("retention daily recurring, 14 days", "{\"kind\": \"RetentionQuery\", \"dateRange\": {\"date_from\": \"-14d\"}, \"retentionFilter\": {\"targetEntity\": {\"id\": \"$pageview\", \"type\": \"events\"}, \"returningEntity\": {\"id\": \"$pageview\", \"type\": \"events\"}, \"retentionType\": \"retention_recurring\", \"period\": \"Day\", \"totalIntervals\": 14}}",
                "WITH pd AS (SELECT DISTINCT " + WHO + " AS p, " + day("e.timestamp") + " AS d FROM " + EV + " WHERE e.project_id = 1 AND e.event = '$pageview'"
                        + " AND e.timestamp >= TIMESTAMP '2025-03-17 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999')"
                        + " SELECT a.d, b.d, count(*) FROM pd a JOIN pd b ON b.p = a.p AND b.d >= a.d AND b.d < a.d + INTERVAL 14 DAY GROUP BY 1, 2",
                QueryBench::sumRetention));
        q.add(new Case("lifecycle, week, 8 weeks", "{\"kind\": \"LifecycleQuery\", \"series\": [{\"event\": \"$pageview\"}], \"interval\": \"week\", \"dateRange\": {\"date_from\": \"-56d\"}}",
                "WITH pw AS (SELECT DISTINCT " + WHO + " AS p, " + week("e.timestamp") + " AS w FROM " + EV + " WHERE e.project_id = 1 AND e.event = '$pageview'"
                        + " AND e.timestamp >= TIMESTAMP '2025-01-25 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-05 21:59:59.999999'),"
                        + " s AS (SELECT p, w, lag(w) OVER (PARTITION BY p ORDER BY w) AS prev, lead(w) OVER (PARTITION BY p ORDER BY w) AS nxt FROM pw)"
                        + " SELECT s.w, CASE WHEN s.prev IS NULL AND " + week("pp.created_at") + " = s.w THEN 'new' WHEN s.prev = s.w - INTERVAL 7 DAY THEN 'returning' ELSE 'resurrecting' END, count(*)"
                        + " FROM s LEFT JOIN persons pp ON pp.project_id = 1 AND pp.uuid = s.p WHERE s.w >= TIMESTAMP '2025-02-02' GROUP BY 1, 2"
                        + " UNION ALL SELECT s.w + INTERVAL 7 DAY, 'dormant', -count(*) FROM s WHERE (s.nxt IS NULL OR s.nxt > s.w + INTERVAL 7 DAY)"
                        + " AND s.w + INTERVAL 7 DAY BETWEEN TIMESTAMP '2025-02-02' AND TIMESTAMP '2025-03-30' GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("stickiness, day, 30 d", "{\"kind\": \"StickinessQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range + "}",
                "SELECT k, count(*) FROM (SELECT " + WHO + " AS p, count(DISTINCT " + day("e.timestamp") + ") AS k FROM " + EV + " WHERE " + D30 + " AND e.event = '$pageview' GROUP BY 1) GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("paths $pageview, 7 d", "{\"kind\": \"PathsQuery\", \"dateRange\": {\"date_from\": \"-7d\"}, \"pathsFilter\": {\"includeEventTypes\": [\"$pageview\"]}}",
                // sessions split at 30 minutes, repeats collapsed, the first five steps of each
                "WITH v AS (SELECT " + WHO + " AS p, e.timestamp AS ts, e.properties ->> '$.\"$current_url\"' AS u FROM " + EV + " WHERE e.project_id = 1 AND e.event = '$pageview'"
                        + " AND e.timestamp >= TIMESTAMP '2025-03-24 23:00:00' AND e.timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999'),"
                        + " i AS (SELECT p, ts, CASE WHEN length(u) > 1 AND suffix(u, '/') THEN u[:-2] ELSE u END AS item FROM v WHERE u IS NOT NULL),"
                        + " g AS (SELECT *, CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > INTERVAL 30 MINUTE THEN 1 ELSE 0 END AS brk, lag(item) OVER w AS prev FROM i WINDOW w AS (PARTITION BY p ORDER BY ts)),"
                        + " s AS (SELECT *, sum(brk) OVER (PARTITION BY p ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sess FROM g),"
                        + " k AS (SELECT * FROM s WHERE brk = 1 OR item <> prev),"
                        + " n AS (SELECT item, row_number() OVER w AS step, lead(item) OVER w AS nxt FROM k WINDOW w AS (PARTITION BY p, sess ORDER BY ts))"
                        + " SELECT step || '_' || item, (step + 1) || '_' || nxt, count(*) AS c FROM n WHERE nxt IS NOT NULL AND step < 5 GROUP BY 1, 2 ORDER BY c DESC LIMIT 50",
                r -> { double s = 0; for (JsonNode e : r) s += e.get("value").asDouble(); return s; }));
        q.add(new Case("events: latest 100 purchases", "{\"kind\": \"EventsQuery\", \"select\": [\"*\", \"person.properties.plan\"], \"event\": \"purchase\", \"limit\": 100}",
                "SELECT x.uuid, x.event, x.timestamp, x.properties, pp.properties ->> 'plan' FROM (SELECT e.uuid, e.event, e.timestamp, e.properties, " + WHO + " AS p FROM " + EV
                        + " WHERE e.project_id = 1 AND e.event = 'purchase' ORDER BY e.timestamp DESC, e.uuid LIMIT 101) x LEFT JOIN persons pp ON pp.project_id = 1 AND pp.uuid = x.p",
                null));
        q.add(new Case("events: counts by event, 30 d", "{\"kind\": \"EventsQuery\", \"select\": [\"event\", \"count()\"], \"after\": \"-30d\"}",
                "SELECT e.event, count(*) FROM events e WHERE e.project_id = 1 AND e.timestamp >= TIMESTAMP '2025-03-02 00:00:00' GROUP BY 1 ORDER BY 2 DESC",
                r -> { double s = 0; for (JsonNode row : r) s += row.get(1).asDouble(); return s; }));
        q.add(new Case("trends dau cumulative, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"dau\"}], " + range
                + ", \"trendsFilter\": {\"display\": \"ActionsLineGraphCumulative\"}}",
                // each person counted on their first day, then running totals over every day of the range
                "WITH f AS (SELECT p, min(d) AS d FROM (SELECT DISTINCT " + day("e.timestamp") + " AS d, " + WHO + " AS p FROM " + EV + " WHERE " + D30
                        + " AND e.event = '$pageview') GROUP BY p), n AS (SELECT d, count(*) AS c FROM f GROUP BY d)"
                        + " SELECT b.d, sum(coalesce(n.c, 0)) OVER (ORDER BY b.d) FROM (SELECT unnest(generate_series(TIMESTAMP '2025-03-02', TIMESTAMP '2025-04-01', INTERVAL 1 DAY)) AS d) b"
                        + " LEFT JOIN n ON n.d = b.d",
                QueryBench::sumData));
        q.add(new Case("trends first_time_for_user, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"first_time_for_user\"}], " + range + "}",
                // each person's first pageview ever, counted on its day when it falls in the range
                "SELECT " + day("t") + ", count(*) FROM (SELECT " + WHO + " AS p, min(e.timestamp) AS t FROM " + EV
                        + " WHERE e.project_id = 1 AND e.timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999' AND e.event = '$pageview' GROUP BY 1)"
                        + " WHERE t >= TIMESTAMP '2025-03-01 23:00:00' GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("trends two breakdowns, $browser x person plan", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range
                + ", \"breakdownFilter\": {\"breakdowns\": [{\"property\": \"$browser\", \"type\": \"event\"}, {\"property\": \"plan\", \"type\": \"person\"}]}}",
                // every combination that occurs (fewer than the engine's limit of 25), counted per day
                "SELECT " + day("e.timestamp") + ", e.ep_browser, pp.properties ->> 'plan', count(*) FROM " + EV
                        + " LEFT JOIN persons pp ON pp.project_id = 1 AND pp.uuid = " + WHO + " WHERE " + D30 + " AND e.event = '$pageview' GROUP BY 1, 2, 3",
                QueryBench::sumData));
        q.add(new Case("trends with a session filter, duration > 300 s", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range
                + ", \"properties\": [{\"type\": \"session\", \"key\": \"$session_duration\", \"operator\": \"gt\", \"value\": 300}]}",
                // each session's duration from all its events, for the sessions with an event in the range
                "SELECT " + day("e.timestamp") + ", count(*) FROM events e WHERE " + D30 + " AND e.event = '$pageview' AND e.session_id IN ("
                        + "SELECT s.session_id FROM events s WHERE s.project_id = 1 AND s.session_id IN (SELECT session_id FROM events WHERE project_id = 1"
                        + " AND timestamp >= TIMESTAMP '2025-03-01 23:00:00' AND timestamp <= TIMESTAMP '2025-04-01 21:59:59.999999')"
                        + " GROUP BY 1 HAVING CAST(epoch(max(s.timestamp)) - epoch(min(s.timestamp)) AS BIGINT) > 300) GROUP BY 1",
                QueryBench::sumData));
        q.add(new Case("actors of one trends day", "{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"signup\"}], " + range + "}, \"day\": \"2025-03-20\"}, \"limit\": 100}",
                // the same page as the engine's: the first 100 persons in id order, each with its distinct ids
                "SELECT pp.uuid, pp.properties, pp.created_at, pp.is_identified, (SELECT list(d.distinct_id ORDER BY d.distinct_id) FROM person_distinct_ids d"
                        + " WHERE d.project_id = 1 AND d.person_id = pp.uuid) FROM (SELECT DISTINCT " + WHO + " AS p FROM " + EV + " WHERE e.project_id = 1 AND e.event = 'signup'"
                        + " AND e.timestamp >= TIMESTAMP '2025-03-19 23:00:00' AND e.timestamp < TIMESTAMP '2025-03-20 23:00:00' ORDER BY CAST(p AS VARCHAR) LIMIT 100) x"
                        + " JOIN persons pp ON pp.project_id = 1 AND pp.uuid = x.p",
                null));
        return q;
    }

    private static double sumRetention(JsonNode results) {
        double s = 0;
        for (JsonNode row : results) for (JsonNode v : row.path("values")) s += v.get("count").asDouble();
        return s;
    }

    /**
     * Generated inside DuckDB: far faster than appending rows from Java. Stored in time order, as
     * the server appends events in arrival order, which is close to time order.
     */
    private static void generate(Database db, long events, long persons) throws Exception {
        System.out.println("generating " + events + " events for " + persons + " persons...");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.42)");
            s.execute("""
                    INSERT INTO persons
                    SELECT 1, CAST(md5('p' || i) AS UUID),
                           json_object('plan', CASE i %% 3 WHEN 0 THEN 'free' WHEN 1 THEN 'pro' ELSE NULL END,
                                       'email', 'user' || i || CASE WHEN i %% 50 = 0 THEN '@internal.test' ELSE '@example.com' END,
                                       'age', 18 + i %% 50)::VARCHAR,
                           true, TIMESTAMP '2024-12-01' + to_seconds(CAST(i * 7776000 / %d AS BIGINT)), 1
                    FROM range(%d) t(i)""".formatted(persons, persons));
            s.execute("INSERT INTO person_distinct_ids SELECT 1, 'user-' || i, CAST(md5('p' || i) AS UUID), 1 FROM range(%d) t(i)".formatted(persons));
            s.execute("INSERT INTO person_distinct_ids SELECT 1, 'anon-' || i, CAST(md5('p' || i) AS UUID), 2 FROM range(%d) t(i) WHERE i %% 20 = 0".formatted(persons));
            s.execute("INSERT INTO person_distinct_id_overrides SELECT 1, 'anon-' || i, CAST(md5('p' || i) AS UUID), 2 FROM range(%d) t(i) WHERE i %% 20 = 0".formatted(persons));
            s.execute("""
                    INSERT INTO events (project_id, uuid, event, distinct_id, timestamp, created_at, properties, person_id, person_properties, person_mode, session_id, ep_browser)
                    SELECT 1, uuid(), ev, did, ts, ts,
                           json_object('amount', round(b * 200, 1), '$current_url', 'https://shop.test/' || CAST(floor(b * 8) AS INT),
                                       '$session_id', sid)::VARCHAR,
                           CASE WHEN anon THEN CAST(md5('ghost' || p) AS UUID) ELSE CAST(md5('p' || p) AS UUID) END, '{}', 'full', sid,
                           -- as the server stores an enriched $browser: in its column, not in the JSON
                           CASE WHEN b < 0.5 THEN 'Chrome' WHEN b < 0.7 THEN 'Safari' WHEN b < 0.85 THEN 'Firefox' WHEN b < 0.95 THEN 'Edge' ELSE NULL END
                    FROM (
                        SELECT p, r, b, anon,
                               CASE WHEN r < 0.6 THEN '$pageview' WHEN r < 0.7 THEN 'signup' WHEN r < 0.8 THEN 'purchase' ELSE 'custom_' || CAST(floor(r * 40) AS INT) END AS ev,
                               CASE WHEN anon THEN 'anon-' || p ELSE 'user-' || p END AS did,
                               ts, 's-' || p || '-' || CAST(epoch(ts) / 1800 AS BIGINT) AS sid
                        FROM (
                            SELECT CAST(floor(pow(random(), 2) * %d) AS BIGINT) AS p, random() AS r, random() AS b,
                                   TIMESTAMP '2025-01-01' + to_microseconds(CAST(random() * 7776000000000 AS BIGINT)) AS ts,
                                   random() < 0.05 AS anon0
                            FROM range(%d)) g0,
                        LATERAL (SELECT anon0 AND p %% 20 = 0 AS anon)
                    ) ORDER BY ts""".formatted(persons, events));
        }
        // written around the ingest path, so the sessions' spans ingest keeps are built here
        db.rebuildSessionSpans();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }
}
