package dev.sightline.app;

import dev.sightline.store.Project;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbExport;
import dev.sightline.store.duckdb.DuckDbMeta;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a project's events (and persons) as PostHog-format JSON lines, while the server is stopped.")
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();

    @Option(names = "--out", required = true, description = "Events file; gzipped with --gzip or a name ending in .gz.")
    Path out;

    @Option(names = "--persons", description = "Also write the persons (uuid, distinct ids, properties) to this file.")
    Path persons;

    @Option(names = "--project-id", description = "Project to export (default: the first project).")
    Long projectId;

    @Option(names = "--gzip", description = "Compress the output files.")
    boolean gzip;

    @Override
    public Integer call() {
        try (Database db = Database.open(data.dataDir)) {
            DuckDbMeta meta = new DuckDbMeta(db);
            Optional<Project> project = projectId == null ? meta.projects().stream().findFirst() : meta.project(projectId);
            if (project.isEmpty()) {
                System.err.println(projectId == null ? "the data directory holds no project" : "no project with id " + projectId);
                return 2;
            }
            DuckDbExport export = new DuckDbExport(db);
            long id = project.get().id();
            long events = export.events(id, out, compressed(out));
            System.out.printf("%,d events of '%s' (id %d) written to %s%n", events, project.get().name(), id, out);
            if (persons != null) {
                long n = export.persons(id, persons, compressed(persons));
                System.out.printf("%,d persons written to %s%n", n, persons);
            }
        }
        return 0;
    }

    private boolean compressed(Path file) {
        return gzip || file.toString().endsWith(".gz");
    }
}
