package dev.sightline.store.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * The embedded database: one DuckDB file in the data directory, owned by this process. Writes go
 * through the single writer connection; every reader gets a connection of its own.
 */
public final class Database implements AutoCloseable {
    private final DuckDBConnection root;
    private final Path dataDir;
    private final java.util.concurrent.ConcurrentHashMap<Long, java.util.concurrent.atomic.AtomicLong> changes =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Database(DuckDBConnection root, Path dataDir) {
        this.root = root;
        this.dataDir = dataDir;
    }

    /** Where this database lives. */
    Path dataDir() {
        return dataDir;
    }

    /** The database file of a data directory. */
    public static Path file(Path dataDir) {
        return dataDir.resolve("sightline.duckdb");
    }

    /** Connections kept open by the stores (see {@link DuckDbQueries}), closed before the database. */
    private final java.util.List<AutoCloseable> kept = new java.util.concurrent.CopyOnWriteArrayList<>();

    void keepUntilClose(AutoCloseable resource) {
        kept.add(resource);
    }

    private volatile StatementPool reads;

    /** Kept connections for the stores' small reads (a row or a few), made on first use. */
    StatementPool reads() {
        StatementPool pool = reads;
        if (pool != null) return pool;
        synchronized (this) {
            if (reads == null) reads = new StatementPool(this, 4, c -> {});
            return reads;
        }
    }

    /** With DuckDB's own memory limit (80% of the machine's memory). */
    public static Database open(Path dataDir) {
        return open(dataDir, 0);
    }

    /**
     * @param memoryLimitBytes DuckDB's {@code memory_limit}: its buffers live outside the JVM heap,
     *                         so the process's budget is split between the two (0: DuckDB's default)
     */
    public static Database open(Path dataDir, long memoryLimitBytes) {
        try {
            Files.createDirectories(dataDir);
            // what deletions left in the file's bytes goes before anything reads it (see DatabaseCopy)
            if (DatabaseCopy.erasurePending(dataDir) && Files.exists(file(dataDir))) DatabaseCopy.compact(dataDir);
            Properties props = new Properties();
            props.setProperty("duckdb.read_only", "false");
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + file(dataDir).toAbsolutePath(), props);
            Database db = new Database((DuckDBConnection) c, dataDir);
            try (java.sql.Statement s = c.createStatement()) {
                // ingestion commits often; checkpointing the WAL into the file every 16 MB (the default)
                // would rewrite row groups several times a second under load
                s.execute("SET checkpoint_threshold = '256MB'");
                // a page of events (the events list, a timeline: up to a few hundred rows) is sorted on
                // its order columns alone and only its own rows fetched whole; by default DuckDB does so
                // up to 50 rows, and a 100-row page carried every column of every candidate through the sort
                s.execute("SET late_materialization_max_rows = 1000");
                if (memoryLimitBytes > 0) s.execute("SET memory_limit = '" + memoryLimitBytes / (1024 * 1024) + "MiB'");
            }
            Migrations.apply(c);
            return db;
        } catch (SQLException e) {
            throw inUse(dataDir, e).orElseGet(() -> new StorageException("cannot open the database in " + dataDir + ": " + e.getMessage(), e));
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create the data directory " + dataDir, e);
        }
    }

    /** DuckDB lets one process write a file: a running server, or another command, has it when opening fails so. */
    static java.util.Optional<StorageException> inUse(Path dataDir, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (!m.contains("Could not set lock")) return java.util.Optional.empty();
        java.util.regex.Matcher pid = java.util.regex.Pattern.compile("PID (\\d+)").matcher(m);
        return java.util.Optional.of(new StorageException("the data directory " + dataDir + " is in use by another Sightline process"
                + (pid.find() ? " (PID " + pid.group(1) + ")" : "") + ": stop the server first, or use another --data-dir", e));
    }

    /** A new connection to the same database; the caller closes it. */
    public DuckDBConnection connect() {
        try {
            return (DuckDBConnection) root.duplicate();
        } catch (SQLException e) {
            throw new StorageException("cannot open a connection: " + e.getMessage(), e);
        }
    }

    /**
     * Call after a commit that changed what a project's queries answer (events, persons, settings):
     * query results cached under the project's earlier {@link #changeCount} are stale. Only after the
     * commit, so that no result computed before it is ever cached under the new count.
     */
    void changed(long projectId) {
        changes.computeIfAbsent(projectId, p -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }

    /**
     * Commits that changed the project's data since this database was opened. Every write goes
     * through this process (DuckDB lets one process write a file), and query caches live no longer
     * than it, so the count says exactly whether a cached answer still holds, without a scan.
     */
    long changeCount(long projectId) {
        var count = changes.get(projectId);
        return count == null ? 0 : count.get();
    }

    /**
     * After a deletion: the rows are gone from every answer, and the file is compacted (rewritten
     * from its live rows) the next time it is opened, which is when their bytes leave it.
     */
    void eraseAtNextOpen() {
        try {
            Files.writeString(dataDir.resolve(DatabaseCopy.ERASURE_PENDING), java.time.Instant.now() + "\n");
        } catch (java.io.IOException e) {
            throw new StorageException("cannot mark " + dataDir + " for compaction: " + e, e);
        }
    }

    /**
     * Rebuilds every session's span and the web analytics rollups (see {@link WebSessions}) from
     * the stored events: for events written around the ingest path, as the query and web
     * benchmarks generate them. No writer may run meanwhile.
     */
    public void rebuildSessionSpans() {
        execute("BEGIN TRANSACTION;\n" + SessionSpans.REBUILD + "DELETE FROM web_session_parts;\nDELETE FROM web_sessions;\n"
                + "DELETE FROM web_page_views;\nDELETE FROM web_custom_events;\n" + WebSessions.REBUILD + "COMMIT;");
    }

    void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable resource : kept) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing the database below is what matters
            }
        }
        try {
            try (Statement s = root.createStatement()) {
                s.execute("CHECKPOINT");
            }
            root.close();
        } catch (SQLException e) {
            throw new StorageException("closing the database failed: " + e.getMessage(), e);
        }
    }
}
