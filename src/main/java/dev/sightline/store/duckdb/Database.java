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

    private Database(DuckDBConnection root) {
        this.root = root;
    }

    public static Database open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Properties props = new Properties();
            props.setProperty("duckdb.read_only", "false");
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve("sightline.duckdb").toAbsolutePath(), props);
            Database db = new Database((DuckDBConnection) c);
            try (java.sql.Statement s = c.createStatement()) {
                // ingestion commits often; checkpointing the WAL into the file every 16 MB (the default)
                // would rewrite row groups several times a second under load
                s.execute("SET checkpoint_threshold = '256MB'");
            }
            Migrations.apply(c);
            return db;
        } catch (SQLException e) {
            throw new StorageException("cannot open the database in " + dataDir + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create the data directory " + dataDir, e);
        }
    }

    /** A new connection to the same database; the caller closes it. */
    public DuckDBConnection connect() {
        try {
            return (DuckDBConnection) root.duplicate();
        } catch (SQLException e) {
            throw new StorageException("cannot open a connection: " + e.getMessage(), e);
        }
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
