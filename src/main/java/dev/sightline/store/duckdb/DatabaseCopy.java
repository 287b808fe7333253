package dev.sightline.store.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
 *   <li>backups: a consistent copy of a database in use, written beside it.</li>
 * </ul>
 */
public final class DatabaseCopy {
    private static final Logger log = LoggerFactory.getLogger(DatabaseCopy.class);
    /** In the data directory: deleted data still to be compacted out of the file. */
    static final String ERASURE_PENDING = "erasure-pending";

    private DatabaseCopy() {}

    /** Writes the live rows of {@code c}'s database into the new file {@code target}, from one snapshot. */
    static void copy(Connection c, Path target) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ATTACH " + literal(target.toAbsolutePath().toString()) + " AS sightline_copy");
            try {
                s.execute("COPY FROM DATABASE \"" + currentDatabase(s).replace("\"", "\"\"") + "\" TO sightline_copy");
            } finally {
                s.execute("DETACH sightline_copy");
            }
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
            throw new StorageException("compacting " + file + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("compacting " + file + " failed: " + e, e);
        }
    }
}
