package dev.sightline.app;

import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DatabaseCopy;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Rewrite the database file from its live rows, while the server is stopped.",
                "Deleted rows leave the file's bytes only so (the server does it itself at start after a person's deletion)."})
final class CompactCommand implements Callable<Integer> {
    @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();

    @Override
    public Integer call() {
        if (!Files.exists(data.dataDir.resolve("sightline.duckdb"))) {
            System.err.println("no database in " + data.dataDir);
            return 1;
        }
        // opening checks that no server owns the file (and compacts already when a deletion asked for it)
        boolean pending = DatabaseCopy.erasurePending(data.dataDir);
        Database.open(data.dataDir).close();
        long shrunk = pending ? 0 : DatabaseCopy.compact(data.dataDir);
        System.out.printf("compacted %s%s%n", data.dataDir, shrunk > 0 ? String.format(" (%,d bytes smaller)", shrunk) : "");
        return 0;
    }
}
