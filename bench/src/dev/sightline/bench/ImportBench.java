package dev.sightline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.demo.DemoTraffic;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code bench/run import}: N demo events (the demo generator, a fixed seed) written to a
 * gzipped JSON-lines file, then {@code sightline import} run on it as its own process into a
 * fresh data directory and timed end to end (JVM start, decoding, capture validation,
 * enrichment, person processing, commits), beside DuckDB's Appender writing the same rows into a
 * table of the server's events shape in the same run. Figures go to
 * {@code bench/results/import-<timestamp>.json} and {@code import-latest.json}; {@code --smoke}
 * runs a tiny size into {@code bench/results/tmp/}.
 */
public final class ImportBench {
    private static final long SEED = 20261129L;
    private static final Instant END = Instant.parse("2026-11-29T00:00:00Z");
    private static final int DAYS = 28;

    record Options(long events, boolean gzip, boolean smoke, Path jar) {
        static Options parse(String[] args) {
            long events = 1_000_000;
            boolean eventsSet = false;
            boolean gzip = true;
            boolean smoke = false;
            Path jar = Path.of("target/sightline.jar");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--events" -> { events = Counts.parse(args[++i]); eventsSet = true; }
                    case "--no-gzip" -> gzip = false;
                    case "--smoke" -> smoke = true;
                    case "--jar" -> jar = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: bench/run import [--events N] [--no-gzip] [--smoke]");
                }
            }
            if (smoke && !eventsSet) events = 2_000;
            return new Options(events, gzip, smoke, jar);
        }

    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path results = Path.of("bench/results");
        Path work = results.resolve("tmp").resolve("import-" + stamp);
        Files.createDirectories(work);

        // 1. the input file, from the demo generator; large ones are kept for the next run (the
        //    generator is deterministic, and at 10M events it takes longer than the import)
        boolean keep = !o.smoke() && o.events() >= 1_000_000;
        Path file = keep
                ? results.resolve("tmp").resolve("import-input-" + o.events() + "-" + SEED + (o.gzip() ? ".jsonl.gz" : ".jsonl"))
                : work.resolve(o.gzip() ? "events.jsonl.gz" : "events.jsonl");
        Path countFile = Path.of(file + ".count");
        long generateStart = System.nanoTime();
        long generated;
        boolean reused = keep && Files.exists(countFile);
        if (reused) {
            generated = Long.parseLong(Files.readString(countFile).trim());
            log("reusing %s (%,d events, %.1f MB)", file, generated, Files.size(file) / 1e6);
        } else {
            try (OutputStream raw = Files.newOutputStream(file);
                 OutputStream out = new BufferedOutputStream(o.gzip() ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16)) {
                generated = new DemoTraffic(new DemoTraffic.Settings(SEED, o.events(), END, DAYS, Optional.empty())).writeJsonLines(out);
            }
            if (keep) Files.writeString(countFile, Long.toString(generated));
        }
        double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
        if (!reused) log("generated %,d events in %.1fs into %s (%.1f MB)", generated, generateSeconds, file, Files.size(file) / 1e6);

        // 2. sightline import, end to end, as a user runs it
        Path data = work.resolve("data");
        Path output = work.resolve("import.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", o.jar().toString(), "import", file.toString(), "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        long importStart = System.nanoTime();
        Process process = pb.start();
        Duration cpu = Duration.ZERO;
        while (!process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            cpu = process.info().totalCpuDuration().orElse(cpu); // the last reading before it exits
        }
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        if (process.exitValue() != 0) throw new IllegalStateException("sightline import failed; see " + output);
        String summary = Files.readAllLines(output).stream().filter(l -> l.startsWith("Imported into")).findFirst().orElse("?");
        long stored = countEvents(data);
        if (stored != generated) throw new IllegalStateException("import stored " + stored + " events, expected " + generated);
        log("sightline import: %,d events in %.1fs = %,.0f events/s (%s)", stored, importSeconds, stored / importSeconds, summary);

        // 3. the storage ceiling: the same rows through DuckDB's Appender, same table shape
        AppenderCeiling.Shape shape = AppenderCeiling.Shape.of(database(data));
        int commitEvery = (int) Math.min(generated, 100_000);
        AppenderCeiling.Result appender;
        try (Rows rows = new Rows(file)) {
            appender = AppenderCeiling.run(shape, work, generated, rows, commitEvery);
        }
        log("appender ceiling: %,.0f events/s", appender.eventsPerSecond());

        double importRate = stored / importSeconds;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "import");
        out.put("timestamp", Instant.now().toString());
        out.put("smoke", o.smoke());
        out.put("machine", Machine.describe());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("events", generated);
        config.put("generator", "DemoTraffic seed " + SEED + ", " + DAYS + " days to " + END);
        config.put("file_bytes", Files.size(file));
        config.put("gzip", o.gzip());
        out.put("config", config);
        Map<String, Object> generation = new LinkedHashMap<>();
        if (reused) {
            generation.put("reused", file.toString());
        } else {
            generation.put("seconds", round(generateSeconds));
            generation.put("events_per_second", round(generated / generateSeconds));
        }
        out.put("generation", generation);
        Map<String, Object> imported = new LinkedHashMap<>();
        imported.put("seconds", round(importSeconds));
        imported.put("events_per_second", round(importRate));
        imported.put("process_cpu_seconds", round(cpu.toMillis() / 1e3));
        imported.put("stored_events", stored);
        imported.put("summary", summary);
        out.put("sightline_import", imported);
        Map<String, Object> ceiling = new LinkedHashMap<>();
        ceiling.put("events_per_second", round(appender.eventsPerSecond()));
        ceiling.put("seconds", round(appender.seconds()));
        ceiling.put("commit_every", appender.commitEvery());
        out.put("ceiling_duckdb_appender", ceiling);
        out.put("import_share_of_appender_ceiling", round(importRate / appender.eventsPerSecond()));

        log("wrote %s", ResultFile.write(results, "import", stamp, o.smoke(), true, out));

        System.out.printf("%n| measure | events/s |%n|---|---:|%n");
        System.out.printf("| `sightline import` end to end, %,d demo events (%s JSON lines) | %,.0f |%n",
                generated, o.gzip() ? "gzipped" : "plain", importRate);
        System.out.printf("| ceiling: DuckDB Appender, same rows and table, commit every %,d | %,.0f |%n",
                commitEvery, appender.eventsPerSecond());
        System.out.printf("%nimport = %.0f%% of the appender ceiling%n", 100 * importRate / appender.eventsPerSecond());
        if (!o.smoke()) deleteRecursively(work);
    }

    /** The file's events as the Appender ceiling's rows, read lazily (parsing is not timed there). */
    private static final class Rows implements Supplier<EventGenerator.Event>, AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final BufferedReader reader;

        Rows(Path file) throws IOException {
            InputStream in = Files.newInputStream(file);
            if (file.toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        }

        @Override
        public EventGenerator.Event get() {
            try {
                JsonNode e = JSON.readTree(reader.readLine());
                return new EventGenerator.Event(UUID.fromString(e.get("uuid").asText()), e.get("event").asText(),
                        e.get("distinct_id").asText(), Instant.parse(e.get("timestamp").asText()), e.get("properties").toString());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static Path database(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(p -> p.toString().endsWith(".duckdb")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no .duckdb file in " + data));
        }
    }

    private static long countEvents(Path data) throws Exception {
        try (Connection c = IngestBench.readOnly(database(data));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(DISTINCT uuid) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            paths.sort((a, b) -> b.getNameCount() - a.getNameCount());
            for (Path p : paths) Files.delete(p);
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("[bench] " + format + "%n", args);
    }
}
