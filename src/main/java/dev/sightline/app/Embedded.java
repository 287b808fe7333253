package dev.sightline.app;

import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbEvents;
import dev.sightline.store.duckdb.DuckDbMeta;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;

/**
 * The data directory opened for ingestion: database, stores and the pipeline with its stages,
 * wired once for the server and for the commands that write without it (demo, import).
 * DuckDB lets one process own the file, so those commands run while the server is stopped.
 */
final class Embedded implements AutoCloseable {
    final Database db;
    final DuckDbMeta meta;
    final DuckDbEvents events;
    final Pipeline pipeline;

    private Embedded(Database db, DuckDbMeta meta, DuckDbEvents events, Pipeline pipeline) {
        this.db = db;
        this.meta = meta;
        this.events = events;
        this.pipeline = pipeline;
    }

    static Embedded open(Config config, MeterRegistry metrics, Clock clock) {
        Database db = Database.open(config.dataDir());
        DuckDbMeta meta = new DuckDbMeta(db);
        DuckDbEvents events = new DuckDbEvents(db);
        Pipeline pipeline = new Pipeline(events, List.of(),
                new Pipeline.Settings(config.queueCapacity(), config.maxBatchEvents(), config.dedupCapacity()), metrics, clock);
        return new Embedded(db, meta, events, pipeline);
    }

    /** Commits every accepted event, then closes the database. */
    @Override
    public void close() {
        pipeline.close();
        db.close();
    }
}
