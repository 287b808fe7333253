package dev.sightline.transfer;

import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbEvents;
import dev.sightline.store.duckdb.DuckDbExport;
import dev.sightline.store.duckdb.DuckDbIngest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A fresh data directory with the real store and pipeline (no HTTP), as the import command wires them. */
final class ImportFixture implements AutoCloseable {
    static final long PROJECT = 1;

    final Path dir;
    final Database db;
    final DuckDbEvents events;
    final Pipeline pipeline;

    ImportFixture() {
        try {
            dir = Files.createTempDirectory("sightline-import");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = Database.open(dir);
        events = new DuckDbEvents(db);
        pipeline = new Pipeline(new DuckDbIngest(db), List.of(), Pipeline.Settings.defaults(), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    EventImport importer() {
        return new EventImport(pipeline, PROJECT);
    }

    DuckDbExport export() {
        return new DuckDbExport(db);
    }

    @Override
    public void close() {
        pipeline.close();
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
