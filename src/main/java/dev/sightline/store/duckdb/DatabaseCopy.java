package dev.sightline.store.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import dev.sightline.store.Backups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database file written afresh from another's live rows ({@code COPY FROM DATABASE}): tables,
 * views and constraints, from one snapshot. Two uses:
 * <ul>
 *   <li>compaction: DuckDB leaves deleted rows in their row groups and freed blocks uncleared, so
 *       what a deletion removed stays in the file's bytes; a copy holds none of it. After a
 *       person's deletion the data directory is marked ({@value #ERASURE_PENDING}) and compacted
 *       the next time the database is opened, or by {@code sightline compact};</li>
 *   <li>backups ({@code POST /api/backup}, {@code sightline backup}): a consistent copy of a
 *       database in use, and {@code sightline restore} to put one in place.</li>
 * </ul>
 */
public final class DatabaseCopy {
    private static final Logger log = LoggerFactory.getLogger(DatabaseCopy.class);
    /** In the data directory: deleted data still to be compacted out of the file. */
    static final String ERASURE_PENDING = "erasure-pending";

    private DatabaseCopy() {}

    /** Writes the live rows of {@code c}'s database into the new file {@code target}, from one snapshot; returns its events and persons. */
    static long[] copy(Connection c, Path target) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ATTACH " + literal(target.toAbsolutePath().toString()) + " AS sightline_copy");
            try {
                s.execute("COPY FROM DATABASE \"" + currentDatabase(s).replace("\"", "\"\"") + "\" TO sightline_copy");
                try (var rs = s.executeQuery("SELECT (SELECT count(*) FROM sightline_copy.events), (SELECT count(*) FROM sightline_copy.persons)")) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            } finally {
                s.execute("DETACH sightline_copy");
            }
        }
    }

    /** The file a backup directory holds. */
    public static final String BACKUP_FILE = "sightline.duckdb";

    /**
     * A backup of an open database into {@code directory}: a new database file written from one
     * snapshot on a connection of its own, so the writer goes on committing meanwhile.
     */
    static Backups.Backup backup(Database db, Path directory) {
        long started = System.nanoTime();
        try {
            if (Files.exists(directory) && (!Files.isDirectory(directory) || Files.list(directory).findAny().isPresent())) {
                throw new IllegalArgumentException(directory + " exists and is not an empty directory");
            }
            Files.createDirectories(directory);
            Path file = directory.resolve(BACKUP_FILE);
            long[] counts;
            try (Connection c = db.connect()) {
                counts = copy(c, file);
            }
            Backups.Backup backup = new Backups.Backup(directory.toAbsolutePath(), Files.size(file), counts[0], counts[1],
                    (System.nanoTime() - started) / 1_000_000);
            Files.writeString(directory.resolve("backup.json"), String.format(
                    "{\"created_at\": \"%s\", \"events\": %d, \"persons\": %d, \"bytes\": %d}%n",
                    java.time.Instant.now(), backup.events(), backup.persons(), backup.bytes()));
            log.info("backed up {} events and {} persons into {} ({} bytes) in {} ms", backup.events(), backup.persons(),
                    directory, backup.bytes(), backup.millis());
            return backup;
        } catch (SQLException e) {
            throw new StorageException("backing up into " + directory + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("backing up into " + directory + " failed: " + e, e);
        }
    }

    /**
     * Puts a backup in place as the database of {@code dataDir}, which must hold none yet, and
     * opens it once (bringing an older backup's schema up to date). Returns what it holds.
     */
    public static Backups.Backup restore(Path from, Path dataDir) {
        long started = System.nanoTime();
        Path source = from.resolve(BACKUP_FILE);
        Path target = Database.file(dataDir);
        try {
            if (!Files.isRegularFile(source)) throw new IllegalArgumentException("no backup in " + from + " (" + BACKUP_FILE + " is missing)");
            if (Files.exists(target)) throw new IllegalArgumentException(dataDir + " already holds a database: restore into a new --data-dir");
            Files.createDirectories(dataDir);
            Files.copy(source, target);
            try (Database db = Database.open(dataDir); Connection c = db.connect(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM persons)")) {
                rs.next();
                return new Backups.Backup(dataDir.toAbsolutePath(), Files.size(target), rs.getLong(1), rs.getLong(2),
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (SQLException e) {
            throw new StorageException("restoring " + from + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("restoring " + from + " failed: " + e, e);
        }
    }

    private static String currentDatabase(Statement s) throws SQLException {
        try (var rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Whether deleted data waits to be compacted out of the data directory's file. */
    public static boolean erasurePending(Path dataDir) {
        return Files.exists(dataDir.resolve(ERASURE_PENDING));
    }

    /**
     * Rewrites the data directory's database file from its live rows, replacing it at once (an
     * atomic rename); the process must own the file (no server on it). A crash midway leaves the
     * old file and the mark, so the next open compacts again. Returns the bytes the file shrank by.
     */
    public static long compact(Path dataDir) {
        Path file = Database.file(dataDir);
        Path fresh = file.resolveSibling(file.getFileName() + ".compacting");
        try {
            Files.deleteIfExists(fresh);
            Files.deleteIfExists(fresh.resolveSibling(fresh.getFileName() + ".wal"));
            long before = Files.size(file);
            long started = System.nanoTime();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath())) {
                copy(c, fresh);
                try (Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT");
                }
            }
            // closed and checkpointed: a WAL left now would be the old file's, never to be replayed into the new one
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(dataDir.resolve(ERASURE_PENDING));
            long after = Files.size(file);
            log.info("compacted {} from {} to {} bytes in {} ms: deleted data is gone from the file", file, before, after,
                    (System.nanoTime() - started) / 1_000_000);
            return before - after;
        } catch (SQLException e) {
            throw Database.inUse(dataDir, e).orElseGet(() -> new StorageException("compacting " + file + " failed: " + e.getMessage(), e));
        } catch (IOException e) {
            throw new StorageException("compacting " + file + " failed: " + e, e);
        }
    }
}
