package dev.sightline.app;

import dev.sightline.store.Backups;
import dev.sightline.store.duckdb.DatabaseCopy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Put a backup (see sightline backup) in place as the database of a new data directory.")
final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();

    @Option(names = "--from", required = true, description = "The backup's directory.")
    Path from;

    @Override
    public Integer call() {
        Backups.Backup restored = DatabaseCopy.restore(from, data.dataDir);
        System.out.printf("restored %,d events and %,d persons into %s (%,d bytes)%n", restored.events(), restored.persons(),
                restored.directory(), restored.bytes());
        return 0;
    }
}
