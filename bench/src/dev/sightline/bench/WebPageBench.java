package dev.sightline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.account.Accounts;
import dev.sightline.account.Role;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbAccounts;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench/run web-page}: the web analytics page in Debian's chromium over the dataset that
 * {@code bench/run web} generates (its N events, personless visitors, January to March 2025): a
 * copy of it gets the organization, project and user a set-up page would make, the server runs
 * as its own process, and {@code e2e/web-page-bench.mjs} times the page on the dataset's last
 * month from navigation start, beside the tiles' own API time measured by {@code bench/run web}.
 */
public final class WebPageBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The dataset's last month, as the page's URL holds a fixed range. */
    private static final String PAGE_QUERY = "date_from=2025-03-01&date_to=2025-03-31";

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        int runs = 5;
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i].replace("M", "000000").replace("k", "000"));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--smoke" -> { events = 50_000; runs = 1; smoke = true; }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: bench/run web-page [--events N] [--runs R] [--smoke]");
            }
        }
        Path dataset = Path.of("bench/results/tmp/web-data-v2-" + events);
        if (!Files.exists(dataset.resolve("sightline.duckdb"))) {
            throw new IllegalStateException(dataset + " is missing: run bench/run web" + (smoke ? " --smoke" : " --events " + events) + " first (it generates it)");
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path work = Path.of("bench/results/tmp/web-page-" + stamp);
        Path data = work.resolve("data");
        Files.createDirectories(data);
        Files.copy(dataset.resolve("sightline.duckdb"), data.resolve("sightline.duckdb"));
        try (Database db = Database.open(data)) {
            DuckDbMeta meta = new DuckDbMeta(db);
            long org = meta.createOrganization("Bench");
            long project = meta.createProject(org, "Web shop", ServerProcess.DEFAULT_TOKEN, "UTC").id();
            if (project != 1) throw new IllegalStateException("the dataset's events are project 1's, the new project is " + project);
            new Accounts(new DuckDbAccounts(db), meta, Clock.systemUTC()).createUser(org, PageBench.EMAIL, "Bench", PageBench.PASSWORD, Role.ADMIN);
        }
        JsonNode measured;
        try (ServerProcess server = ServerProcess.builder(data).classpath(ReadBench.Options.DEFAULT_JAR.toString()).log(work.resolve("server.log")).readyTimeout(Duration.ofMinutes(5)).start()) {
            server.awaitWarm(Duration.ofMinutes(2));
            measured = PageBench.node("web-page-bench.mjs", Duration.ofMinutes(10), server.baseUrl(), PageBench.EMAIL, PageBench.PASSWORD, "1",
                    PAGE_QUERY, Integer.toString(runs));
            server.terminate(Duration.ofMinutes(2));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "web-page");
        out.put("timestamp", Instant.now().toString());
        out.put("smoke", smoke);
        out.put("machine", Machine.describe());
        out.put("config", Map.of("events", events, "runs", runs, "page", "/project/1/web?" + PAGE_QUERY));
        out.put("figures", JSON.convertValue(measured, Map.class));
        Path written = ResultFile.write(Path.of("bench/results"), "web-page", stamp, smoke, true, out);
        System.out.printf("web analytics page (%,d events): %s%n", events, measured);
        System.err.println("wrote " + written);
        ReadBench.deleteRecursively(work);
    }
}
