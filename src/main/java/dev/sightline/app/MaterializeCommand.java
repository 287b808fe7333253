package dev.sightline.app;

import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.MaterializedProperties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "materialize", mixinStandardHelpOptions = true,
        description = {"Give event properties that queries read often a column of their own, while the server is stopped.",
                "Breakdowns, sums and filters then read that column instead of every event's JSON. Without keys: list them."})
final class MaterializeCommand implements Callable<Integer> {
    @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();

    @Parameters(arity = "0..*", paramLabel = "KEY", description = "Event property keys, e.g. '$browser' amount")
    List<String> keys = List.of();

    @Override
    public Integer call() {
        try (Database db = Database.open(data.dataDir)) {
            for (String key : keys) {
                System.out.printf("materializing '%s': filling the column for every stored event...%n", key);
                long started = System.nanoTime();
                var outcome = MaterializedProperties.materialize(db, key, true);
                System.out.println();
                if (!outcome.added()) {
                    System.out.printf("'%s' has a column already (%s)%n", key, outcome.column());
                } else {
                    System.out.printf("'%s' → %s: %,d events filled in %.1f s%n", key, outcome.column(), outcome.eventsFilled(),
                            (System.nanoTime() - started) / 1e9);
                }
            }
            Map<String, String> all = MaterializedProperties.load(db);
            System.out.println(all.isEmpty() ? "no materialized properties" : "materialized properties: " + all.keySet());
        }
        return 0;
    }
}
