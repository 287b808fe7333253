package dev.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.store.Project;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbEvents;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `sightline demo` and `server --demo`, at a tiny size, end to end through the pipeline into the store. */
class DemoModeTest {
    @TempDir
    Path dir;

    static String run(String... args) {
        return captureOut(() -> new CommandLine(new Main()).execute(args));
    }

    static String captureOut(Supplier<Integer> command) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThat(command.get()).isZero();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoCommandCreatesTheDemoProjectAndPrintsItsTokenAndId() {
        Path data = dir.resolve("data");
        String out = run("demo", "--events", "3000", "--days", "3", "--data-dir", data.toString());

        try (Database db = Database.open(data)) {
            DuckDbMeta meta = new DuckDbMeta(db);
            Project demo = meta.projects().stream().filter(p -> p.name().equals("Demo project")).findFirst().orElseThrow();
            assertThat(out).contains("id " + demo.id()).contains(demo.token());
            DuckDbEvents events = new DuckDbEvents(db);
            assertThat(events.count(demo.id())).isEqualTo(3000);
            // the default project of a fresh data directory stays empty
            assertThat(events.count(meta.projects().getFirst().id())).isZero();
        }
    }

    @Test
    void serverDemoModeFillsTheDemoProjectThroughTheRunningServersPipeline() {
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            Sightline s = server.sightline();
            Project demo = DemoProject.create(s.meta(), new dev.sightline.store.duckdb.DuckDbInsights(s.core().db), 2);
            captureOut(() -> {
                DemoProject.fill(demo, s.core().pipeline, new DemoProject.Options(2_000, 2, 42), System.out);
                return 0;
            });
            JsonNode page = server.getJson("/api/projects/" + demo.id() + "/events/?limit=5");
            assertThat(page.get("results")).hasSize(5);
            Instant newest = Instant.parse(page.get("results").get(0).get("timestamp").asText());
            // "ending now": the newest demo event is from the last day and not in the future
            assertThat(newest).isBefore(Instant.now()).isAfter(Instant.now().minusSeconds(86_400));
            assertThat(DemoProject.existing(s.meta())).contains(demo);
        }
    }

    @Test
    void demoOutWritesTheSameGzippedFileForTheSameSeedAndEnd() throws IOException {
        Path a = dir.resolve("a.jsonl.gz");
        Path b = dir.resolve("b.jsonl.gz");
        for (Path file : List.of(a, b)) {
            run("demo", "--events", "2000", "--days", "2", "--seed", "9", "--end", "2026-11-29T00:00:00Z", "--out", file.toString());
        }
        byte[] first = new GZIPInputStream(Files.newInputStream(a)).readAllBytes();
        assertThat(first).isEqualTo(new GZIPInputStream(Files.newInputStream(b)).readAllBytes());
        assertThat(new String(first, StandardCharsets.UTF_8).lines().count()).isEqualTo(2000);
    }
}
