package dev.sightline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.account.Accounts;
import dev.sightline.account.Role;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbAccounts;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run pages}: how fast the web app shows its content in Debian's chromium on
 * localhost, with many events stored: the persons page and the profile of a person with
 * {@code --heavy} events, from navigation to the first row on screen, the median of several runs,
 * both on a first visit (browser cache disabled: the app's JavaScript and CSS are downloaded) and on
 * a return visit (the hashed assets, served {@code immutable}, come from the browser's cache); and
 * the JavaScript each page loads before its content shows (gzipped bytes on the wire).
 * Beside each page, in the same run and browser: the API call the page waits for (the ceiling a
 * page can approach) and the app's empty shell (HTML, JS, CSS, no data).
 */
public final class PageBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String EMAIL = "bench@example.com";
    static final String PASSWORD = "bench password";

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        int persons = 200_000;
        int heavy = 5_000;
        int runs = 7;
        boolean smoke = false;
        Path jar = ReadBench.Options.DEFAULT_JAR;
        Path keep = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Counts.parse(args[++i]);
                case "--persons" -> persons = (int) Counts.parse(args[++i]);
                case "--heavy" -> heavy = (int) Counts.parse(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--keep" -> keep = Path.of(args[++i]);
                case "--smoke" -> smoke = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: bench/run pages [--events N] [--persons P] [--heavy H] [--runs R] [--jar J] [--keep DIR] [--smoke]");
            }
        }
        if (smoke) {
            events = 20_000;
            persons = 2_000;
            heavy = 500;
            runs = 2;
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path results = Path.of("bench/results");
        Path work = results.resolve("tmp").resolve("pages-" + stamp);
        // --keep DIR: fill DIR once and reuse it in later runs (to compare builds over the same store)
        boolean reuse = keep != null && Files.exists(Database.file(keep));
        Path data = keep != null ? keep : work.resolve("data");
        Files.createDirectories(data);
        Files.createDirectories(work);

        long t0 = System.nanoTime();
        if (!reuse) ReadBench.fill(data, new ReadBench.Options(events, persons, heavy, 1, smoke, jar));
        // the organization, project and user a real install would have after its set-up page
        if (!reuse) try (Database db = Database.open(data)) {
            DuckDbMeta meta = new DuckDbMeta(db);
            long org = meta.createOrganization("Bench");
            meta.createProject(org, "Default project", ServerProcess.DEFAULT_TOKEN, "UTC");
            new Accounts(new DuckDbAccounts(db), meta, Clock.systemUTC()).createUser(org, EMAIL, "Bench", PASSWORD, Role.ADMIN);
        }
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf("filled %,d events, %,d persons in %.1f s%n", events, persons, fillSeconds);

        JsonNode measured;
        try (ServerProcess server = ServerProcess.builder(data).classpath(jar.toString())
                .log(work.resolve("server.log")).readyTimeout(Duration.ofMinutes(5)).start()) {
            server.awaitWarm(Duration.ofMinutes(2));
            String heavyUuid = JSON.readTree(new java.net.URI(server.baseUrl() + "/api/projects/1/persons/?distinct_id=heavy-laptop").toURL()
                            .openConnection() instanceof java.net.HttpURLConnection c ? read(c) : "{}")
                    .at("/results/0/id").asText();
            Map<String, Object> suggestions = suggestions(server, runs);
            long dashboard = dashboard(server);
            JsonNode dashboardFigures = node("dashboard-bench.mjs", Duration.ofMinutes(10), server.baseUrl(), EMAIL, PASSWORD, "1",
                    Long.toString(dashboard), Integer.toString(DASHBOARD_INSIGHTS.size()), Integer.toString(runs));
            measured = node("pages-bench.mjs", Duration.ofMinutes(10), server.baseUrl(), EMAIL, PASSWORD, "1", heavyUuid, Integer.toString(runs));
            ((com.fasterxml.jackson.databind.node.ObjectNode) measured).set("property_value_suggestions", JSON.valueToTree(suggestions));
            ((com.fasterxml.jackson.databind.node.ObjectNode) measured).set("dashboard_of_insights", dashboardFigures);
            server.terminate(Duration.ofMinutes(2));
        }
        // what the erasure time costs (app/ErasureWindow): the server is away while the file is
        // rewritten from its live rows, as it is when a deletion is pending
        long fileBytes = Files.size(Database.file(data));
        long c0 = System.nanoTime();
        dev.sightline.store.duckdb.DatabaseCopy.compact(data);
        double compactSeconds = (System.nanoTime() - c0) / 1e9;
        ((com.fasterxml.jackson.databind.node.ObjectNode) measured).set("store_rewrite", JSON.valueToTree(Map.of(
                "seconds", Math.round(compactSeconds * 10) / 10.0, "file_mib_before", fileBytes >> 20,
                "file_mib_after", Files.size(Database.file(data)) >> 20)));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "pages");
        out.put("timestamp", Instant.now().toString());
        out.put("smoke", smoke);
        out.put("machine", Machine.describe());
        out.put("config", Map.of("events", events, "persons", persons, "heavy_person_events", heavy, "runs", runs,
                "fill_seconds", Math.round(fillSeconds * 10) / 10.0));
        out.put("figures", JSON.convertValue(measured, Map.class));
        Path written = ResultFile.write(results, "pages", stamp, smoke, jar.equals(ReadBench.Options.DEFAULT_JAR), out);

        System.out.printf("%n| page (%,d events, %,d persons) | content shown, first visit (cold cache), median ms | content shown, return visit (warm cache), median ms "
                + "| first contentful paint, cold / warm ms | API call the page waits for, median ms | JS before content, gzipped kB |%n|---|---:|---:|---:|---:|---:|%n",
                events, persons);
        for (Iterator<Map.Entry<String, JsonNode>> it = measured.get("pages").properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode p = e.getValue();
            System.out.printf("| %s | %.0f | %.0f | %.0f / %.0f | %s | %.1f |%n", e.getKey(), p.get("content_cold_median_ms").asDouble(),
                    p.get("content_warm_median_ms").asDouble(), p.get("fcp_cold_median_ms").asDouble(), p.get("fcp_warm_median_ms").asDouble(),
                    p.has("api_median_ms") ? "%.0f".formatted(p.get("api_median_ms").asDouble()) : "—", p.get("js_gzip_kb").asDouble());
        }
        System.out.printf("| the app's empty shell (sign-in page, no data) | %d | %d | | | |%n", measured.get("shell_cold_median_ms").asInt(),
                measured.get("shell_warm_median_ms").asInt());
        System.out.printf("%nproperty value suggestions: %s%n", measured.get("property_value_suggestions"));
        System.out.printf("dashboard of %d insights: %s%n", DASHBOARD_INSIGHTS.size(), measured.get("dashboard_of_insights"));
        System.out.printf("rewriting the store from its live rows (the erasure time's pause): %s%n", measured.get("store_rewrite"));
        System.err.println("wrote " + written);
        if (!smoke && keep == null) ReadBench.deleteRecursively(data);
    }

    /**
     * What a property picker waits for while someone types: the values of a person property and of
     * an event property, first read (computed from the newest rows) and then per keystroke (a prefix).
     */
    private static Map<String, Object> suggestions(ServerProcess server, int runs) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] q : new String[][] {{"person", "plan", "te"}, {"event", "$current_url", "p/1"}}) {
            String base = server.baseUrl() + "/api/projects/1/property_values/?type=" + q[0] + "&key=" + java.net.URLEncoder.encode(q[1], StandardCharsets.UTF_8);
            double first = timeMs(http, base);
            List<Double> typed = new java.util.ArrayList<>();
            for (int i = 0; i < Math.max(5, runs * 3); i++) {
                String prefix = q[2].substring(0, 1 + i % q[2].length());
                typed.add(timeMs(http, base + "&value=" + java.net.URLEncoder.encode(prefix, StandardCharsets.UTF_8)));
            }
            java.util.Collections.sort(typed);
            out.put(q[0] + ":" + q[1], Map.of("first_ms", Math.round(first * 10) / 10.0,
                    "per_keystroke_median_ms", Math.round(typed.get(typed.size() / 2) * 10) / 10.0,
                    "per_keystroke_max_ms", Math.round(typed.getLast() * 10) / 10.0));
        }
        return out;
    }

    private static double timeMs(java.net.http.HttpClient http, String url) throws Exception {
        long t = System.nanoTime();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Authorization", "Bearer " + ServerProcess.DEFAULT_PERSONAL_KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        return (System.nanoTime() - t) / 1e6;
    }

    private static final String MONTH = "\"dateRange\":{\"date_from\":\"2026-01-01\",\"date_to\":\"2026-01-31\"}";

    /** Eight insights over the filled month, as a team's morning dashboard would hold them. */
    static final List<String> DASHBOARD_INSIGHTS = List.of(
            trends("{\"event\":\"$pageview\",\"math\":\"total\"}", ""),
            trends("{\"event\":\"$pageview\",\"math\":\"dau\"}", ""),
            trends("{\"event\":\"$pageview\",\"math\":\"total\"}", ",\"breakdownFilter\":{\"breakdown\":\"$browser\",\"breakdown_type\":\"event\"}"),
            trends("{\"event\":\"feature used\",\"math\":\"weekly_active\"}", ""),
            "{\"kind\":\"FunnelsQuery\",\"series\":[{\"kind\":\"EventsNode\",\"event\":\"$pageview\"},{\"kind\":\"EventsNode\",\"event\":\"button clicked\"},"
                    + "{\"kind\":\"EventsNode\",\"event\":\"signed up\"}]," + MONTH + "}",
            "{\"kind\":\"RetentionQuery\"," + MONTH + ",\"retentionFilter\":{\"period\":\"Week\",\"totalIntervals\":4,"
                    + "\"targetEntity\":{\"id\":\"signed up\",\"type\":\"events\"},\"returningEntity\":{\"id\":\"feature used\",\"type\":\"events\"}}}",
            "{\"kind\":\"LifecycleQuery\",\"series\":[{\"kind\":\"EventsNode\",\"event\":\"feature used\"}],\"interval\":\"week\"," + MONTH + "}",
            "{\"kind\":\"StickinessQuery\",\"series\":[{\"kind\":\"EventsNode\",\"event\":\"button clicked\"}],\"interval\":\"day\"," + MONTH + "}");

    private static String trends(String series, String extra) {
        return "{\"kind\":\"TrendsQuery\",\"series\":[" + series.replace("{", "{\"kind\":\"EventsNode\",") + "],\"interval\":\"day\"," + MONTH + extra + "}";
    }

    /** The dashboard the page bench opens: the insights above, made through the API as the web app makes them. */
    private static long dashboard(ServerProcess server) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long id = post(http, server, "/dashboards/", "{\"name\":\"Bench overview\"}").get("id").asLong();
        for (int i = 0; i < DASHBOARD_INSIGHTS.size(); i++) {
            post(http, server, "/insights/", "{\"name\":\"Bench insight " + (i + 1) + "\",\"query\":" + DASHBOARD_INSIGHTS.get(i)
                    + ",\"dashboards\":[" + id + "]}");
        }
        return id;
    }

    private static JsonNode post(java.net.http.HttpClient http, ServerProcess server, String path, String body) throws Exception {
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/projects/1" + path))
                .header("Authorization", "Bearer " + ServerProcess.DEFAULT_PERSONAL_KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String read(java.net.HttpURLConnection c) throws java.io.IOException {
        c.setRequestProperty("Authorization", "Bearer " + ServerProcess.DEFAULT_PERSONAL_KEY);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs a node script of e2e/ (where playwright-core is installed) and reads the JSON it prints. */
    static JsonNode node(String script, Duration timeout, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("node", Path.of("e2e", script).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("pages", ".out");
        Process p = new ProcessBuilder(command).directory(Path.of("e2e").toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not finish within " + timeout);
        }
        if (p.exitValue() != 0) throw new IllegalStateException(script + " exited " + p.exitValue() + ": " + Files.readString(out));
        return JSON.readTree(Files.readString(out));
    }
}
