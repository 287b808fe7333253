package dev.sightline.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.sightline.testing.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code bench/run ingest}: end-to-end ingest throughput of the real server (a separate process,
 * fresh data directory, posthog-node-like gzip batches over several connections, 200 only after
 * commit), next to two ceilings measured in the same run: DuckDB's Appender alone and a no-op
 * HTTP handler. Figures go to {@code bench/results/ingest-<timestamp>.json} and
 * {@code ingest-latest.json}; {@code --smoke} runs a tiny size into {@code bench/results/tmp/}.
 */
public final class IngestBench {

    record Options(long events, int connections, int batchSize, boolean gzip, boolean smoke, boolean profile,
                   Path jar, int commitEvery, boolean identityMix, boolean compareStages, boolean webVisitors, boolean plainOnly,
                   boolean besidePlain, int enrichmentPairs, int meteringPairs) {

        static Options parse(String[] args) {
            long events = 1_000_000;
            int connections = 8;
            int batch = 100;
            boolean gzip = true;
            boolean smoke = false;
            boolean profile = false;
            boolean identityMix = false;
            boolean compareStages = false;
            boolean webVisitors = false;
            boolean plainOnly = false;
            boolean besidePlain = false;
            int enrichmentPairs = 0;
            int meteringPairs = 0;
            Path jar = Path.of("target/sightline.jar");
            boolean eventsSet = false;
            boolean connectionsSet = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--events" -> { events = Counts.parse(args[++i]); eventsSet = true; }
                    case "--connections" -> { connections = Integer.parseInt(args[++i]); connectionsSet = true; }
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--no-gzip" -> gzip = false;
                    case "--smoke" -> smoke = true;
                    case "--profile" -> profile = true;
                    case "--mix" -> {
                        switch (args[++i]) {
                            case "identity" -> identityMix = true;
                            case "web" -> { identityMix = true; webVisitors = true; }
                            case "server" -> identityMix = false;
                            default -> throw new IllegalArgumentException("--mix is server, identity or web");
                        }
                    }
                    case "--compare-stages" -> compareStages = true;
                    case "--plain-only" -> plainOnly = true;
                    case "--beside-plain" -> besidePlain = true;
                    case "--enrichment-pairs" -> enrichmentPairs = Integer.parseInt(args[++i]);
                    case "--metering-pairs" -> meteringPairs = Integer.parseInt(args[++i]);
                    case "--jar" -> jar = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: bench/run ingest [--events N] [--connections C] [--batch B] [--no-gzip] [--mix server|identity|web] [--compare-stages | --beside-plain | --plain-only | --enrichment-pairs N | --metering-pairs N] [--profile] [--smoke]");
                }
            }
            if (smoke) {
                if (!eventsSet) events = 2_000;
                if (!connectionsSet) connections = 2;
            }
            if (events % batch != 0) throw new IllegalArgumentException("--events must be a multiple of --batch");
            return new Options(events, connections, batch, gzip, smoke, profile, jar, (int) Math.min(events, 100_000),
                    identityMix, compareStages, webVisitors, plainOnly, besidePlain, enrichmentPairs, meteringPairs);
        }

    }

    private static final long SEED = 20260401L;
    private static final Instant START = Instant.parse("2026-04-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path results = Path.of("bench/results");
        Path work = results.resolve("tmp").resolve("ingest-" + stamp);
        Files.createDirectories(work);

        long warmupEvents = o.smoke() ? o.batchSize() * 2L : Math.min(50_000, o.events() / 10 / o.batchSize() * o.batchSize());
        log("preparing %,d events (+%,d warm-up) in batches of %d, gzip=%s", o.events(), warmupEvents, o.batchSize(), o.gzip());
        List<byte[]> warmup = bodies(new EventGenerator(SEED + 1, 100_000, START.minus(Duration.ofDays(1)), o.identityMix(), o.webVisitors()), warmupEvents, o);
        List<byte[]> bodies = bodies(new EventGenerator(SEED, 100_000, START, o.identityMix(), o.webVisitors()), o.events(), o);
        long bodyBytes = bodies.stream().mapToLong(b -> b.length).sum();
        log("%,d request bodies, %.1f MB on the wire", bodies.size(), bodyBytes / 1e6);

        // 1. the server, end to end: with every stage; with --compare-stages also without enrichment
        //    and as plain capture (no enrichment, no persons), on the same requests; with
        //    --beside-plain as plain capture only (half the time of the three at large sizes)
        Map<String, Map<String, Object>> servers = new LinkedHashMap<>();
        if (o.compareStages() || o.besidePlain()) {
            servers.put("plain_capture", runServer(o, work.resolve("plain"), warmup, bodies, warmupEvents,
                    List.of("--enrichment=false", "--person-processing=false")));
        }
        if (o.compareStages()) {
            servers.put("persons_without_enrichment", runServer(o, work.resolve("no-enrichment"), warmup, bodies, warmupEvents,
                    List.of("--enrichment=false")));
        }
        // --enrichment-pairs N: the enrichment's cost from N pairs of runs, each pair persons without
        // enrichment then the full pipeline, back to back, so that a change in the machine's load
        // between runs touches one pair rather than the whole comparison
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (int i = 1; i < o.enrichmentPairs(); i++) {
            Map<String, Object> without = runServer(o, work.resolve("no-enrichment-" + i), warmup, bodies, warmupEvents, List.of("--enrichment=false"));
            Map<String, Object> with = runServer(o, work.resolve("data-" + i), warmup, bodies, warmupEvents, List.of());
            pairs.add(pair(without, with));
            servers.put("persons_without_enrichment_" + i, without);
            servers.put("full_pipeline_" + i, with);
        }
        Map<String, Object> lastWithout = o.enrichmentPairs() > 0
                ? runServer(o, work.resolve("no-enrichment"), warmup, bodies, warmupEvents, List.of("--enrichment=false")) : null;
        if (lastWithout != null) servers.put("persons_without_enrichment", lastWithout);
        // --metering-pairs N: what usage metering costs, from N pairs of runs back to back, each the
        // full pipeline with metering off (--metering=false) then on; the last pair's second run is
        // the main run below
        List<Map<String, Object>> meteringPairs = new ArrayList<>();
        for (int i = 1; i < o.meteringPairs(); i++) {
            Map<String, Object> off = runServer(o, work.resolve("no-metering-" + i), warmup, bodies, warmupEvents, List.of("--metering=false"));
            Map<String, Object> on = runServer(o, work.resolve("metering-" + i), warmup, bodies, warmupEvents, List.of());
            meteringPairs.add(meteringPair(off, on));
            servers.put("full_pipeline_without_metering_" + i, off);
            servers.put("full_pipeline_" + i, on);
        }
        Map<String, Object> lastOff = o.meteringPairs() > 0
                ? runServer(o, work.resolve("no-metering"), warmup, bodies, warmupEvents, List.of("--metering=false")) : null;
        if (lastOff != null) servers.put("full_pipeline_without_metering", lastOff);
        Path data = work.resolve("data");
        // --plain-only: capture and storage alone (no enrichment, no persons), e.g. to compare with the Appender
        Map<String, Object> server = runServer(o, data, warmup, bodies, warmupEvents,
                o.plainOnly() ? List.of("--enrichment=false", "--person-processing=false") : List.of());
        servers.put(o.plainOnly() ? "plain_capture" : "full_pipeline", server);
        if (lastWithout != null) pairs.add(pair(lastWithout, server));
        if (lastOff != null) meteringPairs.add(meteringPair(lastOff, server));
        Path database = databaseFile(data);

        // 2. the storage ceiling: DuckDB's Appender alone, same rows, same table shape
        AppenderCeiling.Shape shape = AppenderCeiling.Shape.of(database);
        EventGenerator again = new EventGenerator(SEED, 100_000, START, o.identityMix(), o.webVisitors());
        AppenderCeiling.Result appender = AppenderCeiling.run(shape, work, o.events(), again::next, o.commitEvery());
        log("appender ceiling: %,.0f events/s", appender.eventsPerSecond());

        // 3. the HTTP ceiling: a no-op handler, same bodies, same senders
        LoadGenerator.Result noop = NoopHttpCeiling.run(bodies, o.batchSize(), o.gzip(), o.connections(), warmup);
        log("no-op HTTP ceiling: %,.0f events/s", noop.eventsPerSecond());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "ingest");
        out.put("timestamp", Instant.now().toString());
        out.put("smoke", o.smoke());
        out.put("machine", Machine.describe());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("events", o.events());
        config.put("warmup_events", warmupEvents);
        config.put("events_per_request", o.batchSize());
        config.put("connections", o.connections());
        config.put("gzip", o.gzip());
        config.put("request_bytes_total", bodyBytes);
        config.put("mean_event_json_bytes", round(jsonBytes(o) / (double) Math.min(o.events(), 10_000)));
        out.put("config", config);
        out.put("server", server);
        out.put("servers", servers);
        if (!pairs.isEmpty()) {
            List<Double> costs = pairs.stream().map(p -> (Double) p.get("enrichment_cost")).sorted().toList();
            double median = costs.size() % 2 == 1 ? costs.get(costs.size() / 2)
                    : (costs.get(costs.size() / 2 - 1) + costs.get(costs.size() / 2)) / 2;
            out.put("enrichment_pairs", pairs);
            out.put("enrichment_cost_median", Math.round(median * 10_000) / 10_000.0);
            log("enrichment cost per pair: %s; median %.1f%%", costs.stream().map(c -> String.format("%.1f%%", 100 * c)).toList(), 100 * median);
        }
        if (!meteringPairs.isEmpty()) {
            out.put("metering_pairs", meteringPairs);
            List<Double> shares = servers.values().stream().filter(v -> ((List<?>) v.get("server_options")).isEmpty())
                    .map(v -> (Double) v.get("metering_share_of_run_time")).toList();
            out.put("metering_share_of_run_time_median", median(shares));
            log("metering's own time on the writer: %s of each run with it; median %.2f%%",
                    shares.stream().map(x -> String.format("%.2f%%", 100 * x)).toList(), 100 * median(shares));
            out.put("metering_cost_median", median(meteringPairs.stream().map(p -> (Double) p.get("metering_cost")).toList()));
            out.put("metering_cpu_cost_median", median(meteringPairs.stream().map(p -> (Double) p.get("metering_cpu_cost")).toList()));
            log("metering cost per pair: %s; median %.1f%% of throughput, %.1f%% of server CPU per event",
                    meteringPairs.stream().map(p -> String.format("%.1f%%", 100 * (Double) p.get("metering_cost"))).toList(),
                    100 * (Double) out.get("metering_cost_median"), 100 * (Double) out.get("metering_cpu_cost_median"));
        }
        config.put("mix", o.webVisitors() ? "web (identity mix; the anonymous 70% carry $ip and a raw user agent for the server to enrich)"
                : o.identityMix() ? "identity (70% anonymous, 30% identified, 5% of persons merge)" : "server (every event person-processed)");
        Map<String, Object> appenderOut = new LinkedHashMap<>();
        appenderOut.put("events_per_second", round(appender.eventsPerSecond()));
        appenderOut.put("seconds", round(appender.seconds()));
        appenderOut.put("commit_every", appender.commitEvery());
        appenderOut.put("table_ddl", shape.createSql());
        Map<String, Object> noopOut = new LinkedHashMap<>();
        putResult(noopOut, noop);
        Map<String, Object> ceilings = new LinkedHashMap<>();
        ceilings.put("duckdb_appender", appenderOut);
        ceilings.put("noop_http", noopOut);
        out.put("ceilings", ceilings);
        double serverRate = (double) server.get("events_per_second");
        out.put("server_share_of_appender_ceiling", round(serverRate / appender.eventsPerSecond()));
        out.put("server_share_of_noop_http_ceiling", round(serverRate / noop.eventsPerSecond()));

        log("wrote %s", ResultFile.write(results, "ingest", stamp, o.smoke(), true, out));

        System.out.printf("%n| measure | events/s | p50 ms | p99 ms |%n|---|---:|---:|---:|%n");
        System.out.printf("| Sightline end to end, %s (%d conns, %d events/request, %s) | %,.0f | %.1f | %.1f |%n",
                o.plainOnly() ? "plain capture" : "full pipeline", o.connections(), o.batchSize(), o.gzip() ? "gzip" : "plain", serverRate,
                server.get("p50_ms"), server.get("p99_ms"));
        for (var entry : servers.entrySet()) {
            if (entry.getValue() == server) continue;
            Map<String, Object> v = entry.getValue();
            System.out.printf("| Sightline %s | %,.0f | %.1f | %.1f |%n", entry.getKey().replace('_', ' '),
                    v.get("events_per_second"), v.get("p50_ms"), v.get("p99_ms"));
        }
        System.out.printf("| ceiling: DuckDB Appender, commit every %,d | %,.0f | | |%n", o.commitEvery(), appender.eventsPerSecond());
        System.out.printf("| ceiling: no-op Javalin handler | %,.0f | %.1f | %.1f |%n",
                noop.eventsPerSecond(), noop.p50Millis(), noop.p99Millis());
        System.out.printf("%nserver = %.0f%% of the appender ceiling, %.0f%% of the no-op HTTP ceiling%n",
                100 * serverRate / appender.eventsPerSecond(), 100 * serverRate / noop.eventsPerSecond());
        if (!o.smoke()) {
            for (String dir : List.of("data", "plain", "no-enrichment", "no-metering")) deleteRecursively(work.resolve(dir));
            for (int i = 1; i < o.meteringPairs(); i++) {
                deleteRecursively(work.resolve("metering-" + i));
                deleteRecursively(work.resolve("no-metering-" + i));
            }
            for (int i = 1; i < o.enrichmentPairs(); i++) {
                deleteRecursively(work.resolve("data-" + i));
                deleteRecursively(work.resolve("no-enrichment-" + i));
            }
        }
        Files.deleteIfExists(work.resolve("appender-ceiling.duckdb"));
    }

    /**
     * One pair of runs of the full pipeline: both rates, the share of throughput metering costs
     * (1 - on / off), and the share of server CPU per event it adds (on / off - 1).
     */
    private static Map<String, Object> meteringPair(Map<String, Object> off, Map<String, Object> on) {
        double a = (double) off.get("events_per_second");
        double b = (double) on.get("events_per_second");
        double cpuOff = (double) off.get("server_cpu_microseconds_per_event");
        double cpuOn = (double) on.get("server_cpu_microseconds_per_event");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("without_metering", a);
        p.put("with_metering", b);
        p.put("ratio", Math.round(b / a * 10_000) / 10_000.0);
        p.put("metering_cost", Math.round((1 - b / a) * 10_000) / 10_000.0);
        p.put("server_cpu_us_per_event_without", cpuOff);
        p.put("server_cpu_us_per_event_with", cpuOn);
        p.put("metering_cpu_cost", Math.round((cpuOn / cpuOff - 1) * 10_000) / 10_000.0);
        return p;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        double m = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return Math.round(m * 10_000) / 10_000.0;
    }

    /** One pair of runs: both rates and the share of throughput the enrichment costs, 1 - full / without. */
    private static Map<String, Object> pair(Map<String, Object> without, Map<String, Object> with) {
        double a = (double) without.get("events_per_second");
        double b = (double) with.get("events_per_second");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("persons_without_enrichment", a);
        p.put("full_pipeline", b);
        p.put("enrichment_cost", Math.round((1 - b / a) * 10_000) / 10_000.0);
        return p;
    }

    /** Starts a server on a fresh data dir with these options, warms it up, sends the bodies, checks every event is stored once. */
    private static Map<String, Object> runServer(Options o, Path data, List<byte[]> warmup, List<byte[]> bodies,
                                                 long warmupEvents, List<String> serverOptions) throws Exception {
        Path work = data.getParent();
        ServerProcess.Builder builder = ServerProcess.builder(data).classpath(o.jar().toString())
                .log(work.resolve(data.getFileName() + "-server.log"));
        serverOptions.forEach(builder::serverOption);
        Path jfr = work.resolve(data.getFileName() + ".jfr");
        if (o.profile()) builder.jvmOption("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("server_options", serverOptions);
        LoadGenerator load = new LoadGenerator(o.connections());
        try (ServerProcess process = builder.start()) {
            String url = process.baseUrl() + "/batch/";
            log("server %s pid %d on %s; waiting for background start-up, then warming up", serverOptions, process.pid(), process.baseUrl());
            process.awaitWarm(Duration.ofMinutes(3));
            if (!warmup.isEmpty()) load.run(url, warmup, o.batchSize(), o.gzip());
            double personWrites0 = personWrites(process);
            double metering0 = metric(process, "sightline_metering_writer_seconds_total") + metric(process, "sightline_metering_store_seconds_total");
            Duration serverCpu0 = cpu(process.pid());
            long clientCpu0 = clientCpuNanos();
            log("sending");
            LoadGenerator.Result r = load.run(url, bodies, o.batchSize(), o.gzip());
            double serverCpu = (cpu(process.pid()).toNanos() - serverCpu0.toNanos()) / 1e9;
            double clientCpu = (clientCpuNanos() - clientCpu0) / 1e9;
            double personWrites = personWrites(process) - personWrites0;
            double metering = metric(process, "sightline_metering_writer_seconds_total") + metric(process, "sightline_metering_store_seconds_total") - metering0;
            int exit = process.terminate(Duration.ofSeconds(120));
            putResult(server, r);
            server.put("person_writes", (long) personWrites);
            server.put("person_writes_per_second", round(personWrites / r.seconds()));
            server.put("server_cpu_seconds", round(serverCpu));
            server.put("load_generator_cpu_seconds", round(clientCpu));
            server.put("server_cpu_microseconds_per_event", round(serverCpu * 1e6 / r.events()));
            // the writer thread's own time in metering (counting, limits, appending and folding counters),
            // measured inside the server: the pipeline's one writer sets the pace, so this share of the
            // run's time bounds what metering takes from throughput, without the noise between two runs
            server.put("metering_writer_seconds", round(metering));
            server.put("metering_microseconds_per_event", round(metering * 1e6 / r.events()));
            server.put("metering_share_of_run_time", Math.round(metering / r.seconds() * 10_000) / 10_000.0);
            server.put("exit_code_after_sigterm", exit);
            log("server %s: %,.0f events/s, %,.0f person writes/s (p50 %.1f ms, p99 %.1f ms), server cpu %.1fs, generator cpu %.1fs, exit %d",
                    serverOptions, r.eventsPerSecond(), personWrites / r.seconds(), r.p50Millis(), r.p99Millis(), serverCpu, clientCpu, exit);
        }
        long[] counted = countEvents(databaseFile(data));
        server.put("stored_events", counted[0]);
        server.put("stored_distinct_uuids", counted[1]);
        long expected = bodies.size() * (long) o.batchSize() + warmupEvents;
        if (counted[0] != expected || counted[1] != expected) {
            throw new IllegalStateException("server stored " + counted[0] + " events (" + counted[1]
                    + " distinct uuids), expected " + expected);
        }
        if (o.profile() && Files.exists(jfr)) {
            Profile.Summary p = Profile.read(jfr);
            server.put("profile_samples", p.samples());
            server.put("profile_share_percent", p.shareByCategory());
            server.put("profile_top_frames", p.topMethods());
            server.put("profile_duckdb_share_percent_by_caller", p.duckDbShareByCaller());
            log("profile: %s; DuckDB time by caller: %s", p.shareByCategory(), p.duckDbShareByCaller());
        }
        return server;
    }

    /** The server's own count of person rows written (persons, distinct ids), from /metrics. */
    private static double personWrites(ServerProcess process) throws Exception {
        return metric(process, "sightline_person_writes_total");
    }

    /** A counter's value from the server's /metrics (0 when it has none). */
    private static double metric(ServerProcess process, String name) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        String body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(process.baseUrl() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
        return 0;
    }

    /** Request bodies: {@code {api_key, batch, sent_at}} envelopes, gzip-compressed like posthog-node's. */
    private static List<byte[]> bodies(EventGenerator generator, long events, Options o) throws IOException {
        List<byte[]> bodies = new ArrayList<>((int) (events / o.batchSize()));
        StringBuilder sb = new StringBuilder(o.batchSize() * 1000);
        for (long done = 0; done < events; done += o.batchSize()) {
            sb.setLength(0);
            sb.append("{\"api_key\":\"").append(ServerProcess.DEFAULT_TOKEN).append("\",\"batch\":[");
            for (int i = 0; i < o.batchSize(); i++) {
                if (i > 0) sb.append(',');
                generator.next().appendJson(sb);
            }
            sb.append("],\"sent_at\":\"").append(Instant.now()).append("\"}");
            byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
            bodies.add(o.gzip() ? gzip(json) : json);
        }
        return bodies;
    }

    private static long jsonBytes(Options o) {
        EventGenerator g = new EventGenerator(SEED, 100_000, START);
        long bytes = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(o.events(), 10_000); i++) {
            sb.setLength(0);
            g.next().appendJson(sb);
            bytes += sb.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static void putResult(Map<String, Object> into, LoadGenerator.Result r) {
        into.put("events_per_second", round(r.eventsPerSecond()));
        into.put("seconds", round(r.seconds()));
        into.put("requests", r.requests());
        into.put("p50_ms", round(r.p50Millis()));
        into.put("p99_ms", round(r.p99Millis()));
        into.put("max_ms", round(r.maxMillis()));
        into.put("retries_after_503", r.retries());
    }

    private static Path databaseFile(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(p -> p.toString().endsWith(".duckdb"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow(() -> new IllegalStateException("no .duckdb file in " + data));
        }
    }

    /** {count, distinct uuids} of the server's events table, read after the server has exited. */
    private static long[] countEvents(Path database) throws Exception {
        try (Connection c = IngestBench.readOnly(database);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT uuid) FROM events")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** The server's database file, opened read-only after the server has exited. */
    static Connection readOnly(Path database) throws java.sql.SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath(), props);
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    private static long clientCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(p);
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("[bench] " + format + "%n", args);
    }
}
