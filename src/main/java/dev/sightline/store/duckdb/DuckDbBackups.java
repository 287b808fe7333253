package dev.sightline.store.duckdb;

import dev.sightline.store.Backups;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** Backups of the open database (see {@link DatabaseCopy#backup}); one at a time. */
public final class DuckDbBackups implements Backups {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Database db;
    private final java.time.Clock clock;

    public DuckDbBackups(Database db, java.time.Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public synchronized Backup backup(Optional<Path> directory) {
        Path dir = directory.orElseGet(() -> db.dataDir().resolve("backups").resolve(NAME.format(clock.instant())));
        return DatabaseCopy.backup(db, dir);
    }
}
