package dev.sightline.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.QueryService;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times each insight kind on a generated dataset: N events over 90 days for P persons (skewed:
 * a few persons have many events), 5% of events from an anonymous distinct id merged through
 * overrides, JSON properties ($browser, amount, $current_url, $session_id) and person properties.
 */
public final class QueryBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-31T23:00:00Z");

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        long persons = 200_000;
        int repeat = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--persons" -> persons = Long.parseLong(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--smoke" -> { events = 100_000; persons = 2_000; repeat = 1; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Path.of("bench/results/tmp/query-data-" + events + "-" + persons);
        boolean fresh = !Files.exists(dir.resolve("sightline.duckdb"));
        try (Database db = Database.open(dir)) {
            long t0 = System.nanoTime();
            if (fresh) generate(db, events, persons);
            double genSeconds = (System.nanoTime() - t0) / 1e9;
            DuckDbQueries store = new DuckDbQueries(db);
            QueryService service = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(NOW, ZoneOffset.UTC));
            Map<String, String> queries = queries();
            StringBuilder out = new StringBuilder();
            out.append("# Query engine benchmark\n\n")
                    .append("- dataset: ").append(events).append(" events, ").append(persons).append(" persons, 90 days, project timezone Europe/Berlin")
                    .append(fresh ? String.format(" (generated in %.1f s)", genSeconds) : " (reused)").append('\n')
                    .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores visible to the JVM, shared\n")
                    .append("- load average when the timings started (other work shares the machine): ").append(load()).append('\n')
                    .append("- each query runs ").append(repeat).append(" times without the result cache; the table gives the median and the first run\n\n")
                    .append("| query | median ms | first ms | result size |\n|---|---:|---:|---:|\n");
            for (var q : queries.entrySet()) {
                List<Long> times = new ArrayList<>();
                int size = 0;
                for (int r = 0; r < repeat; r++) {
                    long s = System.nanoTime();
                    Map<String, Object> result = service.run(1, "Europe/Berlin", JSON.readTree("{\"refresh\": true, \"query\": " + q.getValue() + "}"));
                    times.add((System.nanoTime() - s) / 1_000_000);
                    JsonNode tree = JSON.valueToTree(result.get("results"));
                    size = tree == null ? 0 : tree.size();
                }
                long first = times.getFirst();
                times.sort(null);
                String line = String.format("| %s | %d | %d | %d |%n", q.getKey(), times.get(times.size() / 2), first, size);
                System.out.print(line);
                out.append(line);
            }
            out.append("\nload average at the end: ").append(load()).append('\n');
            Files.createDirectories(Path.of("bench/results"));
            Path file = Path.of("bench/results/query.md");
            Files.writeString(file, out.toString());
            System.out.println("wrote " + file);
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static Map<String, String> queries() {
        String range = "\"dateRange\": {\"date_from\": \"-30d\"}";
        Map<String, String> q = new LinkedHashMap<>();
        q.put("trends total, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range + "}");
        q.put("trends dau, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"dau\"}], " + range + "}");
        q.put("trends weekly_active, day, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"weekly_active\"}], " + range + "}");
        q.put("trends dau, BoldNumber, 30 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"dau\"}], " + range + ", \"trendsFilter\": {\"display\": \"BoldNumber\"}}");
        q.put("trends sum(amount), week, 90 d", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"purchase\", \"math\": \"sum\", \"math_property\": \"amount\"}], \"interval\": \"week\", \"dateRange\": {\"date_from\": \"-90d\"}}");
        q.put("trends breakdown event $browser", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range + ", \"breakdownFilter\": {\"breakdown\": \"$browser\"}}");
        q.put("trends breakdown person plan, dau", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"math\": \"dau\"}], " + range + ", \"breakdownFilter\": {\"breakdown\": \"plan\", \"breakdown_type\": \"person\"}}");
        q.put("trends event + person filters", "{\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"$pageview\", \"properties\": [{\"key\": \"$browser\", \"value\": \"Chrome\"}]}], " + range
                + ", \"properties\": [{\"key\": \"plan\", \"value\": \"pro\", \"type\": \"person\"}]}");
        q.put("funnel 3 steps, 14 d window, 30 d", "{\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"$pageview\"}, {\"event\": \"signup\"}, {\"event\": \"purchase\"}], " + range + "}");
        q.put("funnel 2 steps, breakdown $browser", "{\"kind\": \"FunnelsQuery\", \"series\": [{\"event\": \"signup\"}, {\"event\": \"purchase\"}], " + range + ", \"breakdownFilter\": {\"breakdown\": \"$browser\"}}");
        q.put("retention weekly first time, 8 weeks", "{\"kind\": \"RetentionQuery\", \"dateRange\": {\"date_from\": \"-56d\"}, \"retentionFilter\": {\"targetEntity\": {\"id\": \"signup\", \"type\": \"events\"}, \"returningEntity\": {\"id\": \"$pageview\", \"type\": \"events\"}, \"retentionType\": \"retention_first_time\", \"period\": \"Week\", \"totalIntervals\": 8}}");
        q.put("retention daily recurring, 14 days", "{\"kind\": \"RetentionQuery\", \"dateRange\": {\"date_from\": \"-14d\"}, \"retentionFilter\": {\"targetEntity\": {\"id\": \"$pageview\", \"type\": \"events\"}, \"returningEntity\": {\"id\": \"$pageview\", \"type\": \"events\"}, \"retentionType\": \"retention_recurring\", \"period\": \"Day\", \"totalIntervals\": 14}}");
        q.put("lifecycle, week, 8 weeks", "{\"kind\": \"LifecycleQuery\", \"series\": [{\"event\": \"$pageview\"}], \"interval\": \"week\", \"dateRange\": {\"date_from\": \"-56d\"}}");
        q.put("stickiness, day, 30 d", "{\"kind\": \"StickinessQuery\", \"series\": [{\"event\": \"$pageview\"}], " + range + "}");
        q.put("paths $pageview, 7 d", "{\"kind\": \"PathsQuery\", \"dateRange\": {\"date_from\": \"-7d\"}, \"pathsFilter\": {\"includeEventTypes\": [\"$pageview\"]}}");
        q.put("events: latest 100 purchases", "{\"kind\": \"EventsQuery\", \"select\": [\"*\", \"person.properties.plan\"], \"event\": \"purchase\", \"limit\": 100}");
        q.put("events: counts by event, 30 d", "{\"kind\": \"EventsQuery\", \"select\": [\"event\", \"count()\"], \"after\": \"-30d\"}");
        q.put("actors of one trends day", "{\"kind\": \"ActorsQuery\", \"source\": {\"kind\": \"InsightActorsQuery\", \"source\": {\"kind\": \"TrendsQuery\", \"series\": [{\"event\": \"signup\"}], " + range + "}, \"day\": \"2025-03-20\"}, \"limit\": 100}");
        return q;
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
                    INSERT INTO events (project_id, uuid, event, distinct_id, timestamp, created_at, properties, person_id, person_properties, person_mode, session_id)
                    SELECT 1, uuid(), ev, did, ts, ts,
                           json_object('$browser', CASE WHEN b < 0.5 THEN 'Chrome' WHEN b < 0.7 THEN 'Safari' WHEN b < 0.85 THEN 'Firefox' WHEN b < 0.95 THEN 'Edge' ELSE NULL END,
                                       'amount', round(b * 200, 1), '$current_url', 'https://shop.test/' || CAST(floor(b * 8) AS INT),
                                       '$session_id', sid)::VARCHAR,
                           CASE WHEN anon THEN CAST(md5('ghost' || p) AS UUID) ELSE CAST(md5('p' || p) AS UUID) END, '{}', 'full', sid
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
            s.execute("CHECKPOINT");
        }
    }
}
