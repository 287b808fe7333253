package dev.sightline.app;

import dev.sightline.demo.DemoTraffic;
import dev.sightline.store.Project;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create a \"Demo project\" filled with a SaaS product's realistic traffic ending now (while the server is stopped),",
                "or with --out write that traffic to a file of PostHog-format JSON lines instead."})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();

    @Option(names = "--events", defaultValue = "300000", description = "How many events (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--days", defaultValue = "28", description = "How many days of traffic, ending now (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "The same seed gives the same traffic (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Write JSON lines to this file (gzipped when it ends in .gz) instead of creating a project.")
    Path out;

    @Option(names = "--end", description = "With --out: when the traffic ends (ISO-8601; default now). Fixes the output for a seed.")
    Instant end;

    @Override
    public Integer call() throws IOException {
        if (out != null) return writeFile();
        Config config = Config.defaults(data.dataDir);
        try (Embedded core = Embedded.open(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            Bootstrap.ensureDefaults(core.meta, config, System.out);
            Project project = DemoProject.create(core.meta, new dev.sightline.store.duckdb.DuckDbInsights(core.db), days);
            DemoProject.fill(project, core.pipeline, new DemoProject.Options(events, days, seed), System.out);
        }
        return 0;
    }

    private int writeFile() throws IOException {
        Instant until = Optional.ofNullable(end).orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS));
        DemoTraffic traffic = new DemoTraffic(new DemoTraffic.Settings(seed, events, until, days, Optional.empty()));
        try (OutputStream file = Files.newOutputStream(out);
             OutputStream stream = out.toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file;
             OutputStream buffered = new BufferedOutputStream(stream, 1 << 16)) {
            long n = traffic.writeJsonLines(buffered);
            System.err.printf("%,d events written to %s%n", n, out);
        }
        return 0;
    }
}
