package dev.sightline.app;

import dev.sightline.store.Project;
import dev.sightline.transfer.EventImport;
import dev.sightline.transfer.ImportSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import PostHog-format events (JSON lines or CSV with uuid,event,distinct_id,timestamp,properties;",
                "gzipped or not) into a project while the server is stopped. Timestamps are kept as given."})
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();

    @Parameters(index = "0", description = "The file to import.")
    Path file;

    @Option(names = "--project-id", description = "Project to import into (default: the first project).")
    Long projectId;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(file)) {
            System.err.println("cannot read " + file);
            return 2;
        }
        Config config = Config.defaults(data.dataDir);
        try (Embedded core = Embedded.open(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            Bootstrap.ensureDefaults(core.meta, config, System.out);
            Project project = projectId == null ? core.meta.projects().getFirst() : core.meta.project(projectId).orElse(null);
            if (project == null) {
                System.err.println("no project with id " + projectId);
                return 2;
            }
            long before = core.events.count(project.id());
            long size = Math.max(1, Files.size(file));
            ProgressBar bar = ProgressBar.onConsole("import");
            ImportSummary summary;
            try (InputStream in = Files.newInputStream(file)) {
                summary = new EventImport(core.pipeline, project.id()).from(in, (rows, bytes) -> bar.update(rows, (double) bytes / size));
            } catch (IllegalArgumentException e) {
                System.err.println("\n" + e.getMessage());
                return 2;
            }
            bar.finish(summary.rows());
            long added = core.events.count(project.id()) - before;
            // accepted events the store already held (same uuid) are not stored twice
            System.out.printf("%nImported into '%s' (id %d): %,d rows read, %,d accepted, %,d new events stored, %,d rejected%n",
                    project.name(), project.id(), summary.rows(), summary.accepted(), added, summary.rejectedTotal());
            summary.rejected().forEach((reason, n) -> System.out.printf("  rejected %-28s %,d%n", reason, n));
            return 0;
        }
    }
}
