package dev.sightline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.duckdb.Database;
import dev.sightline.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bench/run reads}: how fast the API answers the person questions with many events stored:
 * a heavy person's first timeline page, the persons list and a persons search, and the events
 * list. The data is written straight into a fresh database with DuckDB SQL (the ingest paths have
 * their own benchmarks); then the real server runs on it as a separate process and is asked over
 * HTTP. Each figure stands beside hand-written DuckDB SQL for the same question, run on the same
 * file in this process before the server starts (one process may own the file at a time).
 */
public final class ReadBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Options(long events, int persons, int heavyEvents, int repeats, boolean smoke, Path jar) {
        static final Path DEFAULT_JAR = Path.of("target/sightline.jar");

        static Options parse(String[] args) {
            long events = 10_000_000;
            int persons = 200_000;
            int heavy = 10_000;
            int repeats = 20;
            boolean smoke = false;
            Path jar = DEFAULT_JAR;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--events" -> events = Counts.parse(args[++i]);
                    case "--persons" -> persons = (int) Counts.parse(args[++i]);
                    case "--heavy" -> heavy = (int) Counts.parse(args[++i]);
                    case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                    case "--jar" -> jar = Path.of(args[++i]);
                    case "--smoke" -> smoke = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: bench/run reads [--events N] [--persons P] [--heavy H] [--repeats R] [--jar J] [--smoke]");
                }
            }
            if (smoke) {
                events = 20_000;
                persons = 2_000;
                heavy = 500;
                repeats = 2;
            }
            return new Options(events, persons, heavy, repeats, smoke, jar);
        }

    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path results = Path.of("bench/results");
        Path work = results.resolve("tmp").resolve("reads-" + stamp);
        Path data = work.resolve("data");
        Files.createDirectories(data);

        long t0 = System.nanoTime();
        fill(data, o);
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        log("filled %,d events, %,d persons in %.1f s", o.events(), o.persons(), fillSeconds);

        Map<String, Map<String, Object>> figures = new LinkedHashMap<>();
        Path file = data.resolve("sightline.duckdb");
        // ceilings: the same questions as hand-written SQL on the same file
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), readOnly())) {
            figures.put("timeline_first_page", sql(c, o, """
                    SELECT uuid, event, distinct_id, timestamp, properties FROM events
                    WHERE project_id = 1 AND distinct_id IN ('heavy-laptop', 'heavy-phone', 'heavy@example.com')
                    ORDER BY timestamp DESC, uuid DESC LIMIT 101"""));
            figures.put("persons_list_first_page", sql(c, o, """
                    WITH page AS (SELECT uuid, properties, created_at FROM persons WHERE project_id = 1
                                  ORDER BY created_at DESC, uuid DESC LIMIT 101)
                    SELECT p.*, d.distinct_id FROM page p LEFT JOIN person_distinct_ids d
                    ON d.project_id = 1 AND d.person_id = p.uuid"""));
            figures.put("persons_search_email", sql(c, o, """
                    SELECT uuid, properties FROM persons WHERE project_id = 1
                    AND json_extract_string(properties, '/email') ILIKE '%user-4242@%' ORDER BY created_at DESC LIMIT 101"""));
            figures.put("events_list_first_page", sql(c, o, """
                    SELECT uuid, event, distinct_id, timestamp, properties FROM events WHERE project_id = 1
                    ORDER BY timestamp DESC, uuid DESC LIMIT 101"""));
        }

        try (ServerProcess server = ServerProcess.builder(data).classpath(o.jar().toString())
                .log(work.resolve("server.log")).readyTimeout(Duration.ofMinutes(5)).start()) {
            // the user-agent parser builds on a core for ~20 s after start: not what a read costs
            server.awaitWarm(Duration.ofMinutes(2));
            HttpClient http = HttpClient.newHttpClient();
            String api = server.baseUrl() + "/api/projects/1";
            String heavy = personUuid(http, server, api + "/persons/?distinct_id=heavy-laptop");
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("timeline_first_page", api + "/persons/" + heavy + "/timeline/");
            urls.put("persons_list_first_page", api + "/persons/");
            urls.put("persons_search_email", api + "/persons/?search=user-4242%40");
            urls.put("events_list_first_page", api + "/events/");
            for (var entry : urls.entrySet()) {
                Map<String, Object> f = figures.get(entry.getKey());
                Map<String, Object> measured = http(http, server, entry.getValue(), o);
                f.put("api", measured);
                f.put("api_over_sql_warm", round((double) measured.get("warm_median_ms") / (double) f.get("warm_median_ms")));
            }
            JsonNode page = get(http, server, urls.get("timeline_first_page"));
            if (page.get("results").size() != 100) throw new IllegalStateException("the heavy person's timeline page is not full");
            server.terminate(Duration.ofMinutes(2));
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "reads");
        out.put("timestamp", Instant.now().toString());
        out.put("smoke", o.smoke());
        out.put("machine", Machine.describe());
        out.put("config", Map.of("jar", o.jar().toString(), "events", o.events(), "persons", o.persons(), "heavy_person_events", o.heavyEvents(),
                "repeats", o.repeats(), "fill_seconds", round(fillSeconds)));
        out.put("figures", figures);
        // another build's run (--jar) is a comparison, not this build's latest figures
        Path written = ResultFile.write(results, "reads", stamp, o.smoke(), o.jar().equals(Options.DEFAULT_JAR), out);

        System.out.printf("%n| question (%,d events, %,d persons) | API cold ms | API warm median ms | SQL ceiling warm median ms | API / SQL |%n|---|---:|---:|---:|---:|%n",
                o.events(), o.persons());
        for (var e : figures.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> a = (Map<String, Object>) e.getValue().get("api");
            System.out.printf("| %s | %.1f | %.1f | %.1f | %.2f |%n", e.getKey(), a.get("cold_ms"), a.get("warm_median_ms"),
                    e.getValue().get("warm_median_ms"), e.getValue().get("api_over_sql_warm"));
        }
        log("wrote %s", written);
        if (!o.smoke()) deleteRecursively(data);
    }

    /**
     * Events in time order, as ingestion appends them: persons spread evenly, 30% anonymous
     * (personless) events, and one heavy person with three distinct ids (two devices and an email)
     * whose events are spread over the whole table.
     */
    static void fill(Path data, Options o) throws Exception {
        Database.open(data).close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + data.resolve("sightline.duckdb").toAbsolutePath());
             Statement s = c.createStatement()) {
            long every = Math.max(2, o.events() / o.heavyEvents());
            s.execute("INSERT INTO persons SELECT 1, md5('person-' || i)::UUID, "
                    + "json_object('email', 'user-' || i || '@example.com', 'name', 'User ' || i, 'plan', (['free','team','enterprise'])[1 + i % 3]), "
                    + "true, TIMESTAMP '2025-01-01' + to_seconds(i * 60), 0 FROM range(" + o.persons() + ") t(i)");
            s.execute("INSERT INTO persons VALUES (1, md5('heavy')::UUID, '{\"email\":\"heavy@example.com\"}', true, TIMESTAMP '2024-12-01', 0)");
            s.execute("INSERT INTO person_distinct_ids SELECT 1, 'user-' || i, md5('person-' || i)::UUID, 0 FROM range(" + o.persons() + ") t(i)");
            s.execute("INSERT INTO person_distinct_ids VALUES (1, 'heavy-laptop', md5('heavy')::UUID, 0), "
                    + "(1, 'heavy-phone', md5('heavy')::UUID, 1), (1, 'heavy@example.com', md5('heavy')::UUID, 1)");
            // every number spliced here is a parsed integer option, never text from outside
            s.execute("INSERT INTO events (project_id, uuid, event, distinct_id, timestamp, created_at, properties, person_id, "
                    + "person_properties, person_mode, session_id, usage_class, ep_browser) "
                    + "SELECT 1, uuid(), "
                    + "(['$pageview', '$pageview', 'button clicked', 'feature used', 'signed up', '$pageleave'])[1 + (i % 6)], "
                    + "CASE WHEN i % " + every + " = 0 THEN (['heavy-laptop', 'heavy-phone', 'heavy@example.com'])[1 + ((i // " + every + ") % 3)] "
                    + "WHEN i % 10 < 3 THEN 'anon-' || (i % 500000) "
                    + "ELSE 'user-' || (hash(i) % " + o.persons() + ") END, "
                    + "TIMESTAMP '2026-01-01' + to_microseconds(i * 250000), "
                    + "TIMESTAMP '2026-01-01' + to_microseconds(i * 250000), "
                    + "'{\"$current_url\":\"https://app.example.com/p/' || (i % 40) || '\",\"plan\":\"team\"}', "
                    + "NULL, '{}', CASE WHEN i % 10 < 3 THEN 'propertyless' ELSE 'full' END, "
                    + "'s-' || (i // 40), CASE WHEN i % 10 < 3 THEN 'anonymous' ELSE 'identified' END, "
                    // as the server stores an enriched $browser: in its column, and the API puts it back
                    + "'Chrome' "
                    + "FROM range(" + o.events() + ") t(i)");
            s.execute("CHECKPOINT");
        }
    }

    private static Map<String, Object> sql(Connection c, Options o, String query) throws Exception {
        return timed(o, () -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
                int n = 0;
                while (rs.next()) n++;
                return n;
            }
        });
    }

    private static Map<String, Object> http(HttpClient http, ServerProcess server, String url, Options o) throws Exception {
        return timed(o, () -> get(http, server, url).get("results").size());
    }

    private static Map<String, Object> timed(Options o, Callable<Integer> question) throws Exception {
        long start = System.nanoTime();
        int rows = question.call();
        double cold = (System.nanoTime() - start) / 1e6;
        double[] warm = new double[o.repeats()];
        for (int i = 0; i < warm.length; i++) {
            long t = System.nanoTime();
            question.call();
            warm[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(warm);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("cold_ms", round(cold));
        m.put("warm_median_ms", round(warm[warm.length / 2]));
        m.put("warm_max_ms", round(warm[warm.length - 1]));
        return m;
    }

    private static String personUuid(HttpClient http, ServerProcess server, String url) throws Exception {
        JsonNode results = get(http, server, url).get("results");
        if (results.isEmpty()) throw new IllegalStateException("no heavy person");
        return results.get(0).get("uuid").asText();
    }

    private static JsonNode get(HttpClient http, ServerProcess server, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + server.personalKey()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static Properties readOnly() {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        return p;
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void log(String format, Object... args) {
        System.err.printf("[bench] " + format + "%n", args);
    }
}
