package dev.sightline.store.duckdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.FilterNode;
import dev.sightline.query.InvalidQuery;
import dev.sightline.query.QueryService;
import dev.sightline.query.Sql;
import dev.sightline.query.SqlExecutor;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * Runs the query engine's SQL, one query at a time per connection, and answers the engine's two
 * questions about a project: its data version (for the result cache) and its test-account filters.
 *
 * <p>Preparing a statement (parse, bind, plan) costs 2-10 ms, and the engine prints the same text
 * for the same question whatever its values, which are bound. So idle connections are kept, each
 * with its last prepared statements by text; a query borrows one, so no two share it.
 */
public final class DuckDbQueries implements SqlExecutor, QueryService.DataVersion, QueryService.TestAccountFilters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IDLE_CONNECTIONS = 4;
    private static final int STATEMENTS_PER_CONNECTION = 64;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DuckDbQueries.class);
    /** Queries slower than this are logged with their SQL and values ({@code -Dsightline.slowQueryMs}; negative: never). */
    private static final long SLOW_QUERY_MS = Long.getLong("sightline.slowQueryMs", 2000);

    private final Database db;
    private final java.util.concurrent.BlockingDeque<Prepared> idle = new java.util.concurrent.LinkedBlockingDeque<>();

    public DuckDbQueries(Database db) {
        this.db = db;
        db.keepUntilClose(this::closeIdle);
    }

    /** A connection and its prepared statements, least recently used first. */
    private static final class Prepared implements AutoCloseable {
        final DuckDBConnection connection;
        final java.util.LinkedHashMap<String, PreparedStatement> byText = new java.util.LinkedHashMap<>(16, 0.75f, true);

        Prepared(DuckDBConnection connection) {
            this.connection = connection;
        }

        PreparedStatement statement(String text) throws SQLException {
            PreparedStatement ps = byText.get(text);
            if (ps != null) return ps;
            ps = connection.prepareStatement(text);
            byText.put(text, ps);
            if (byText.size() > STATEMENTS_PER_CONNECTION) {
                var eldest = byText.entrySet().iterator();
                eldest.next().getValue().close();
                eldest.remove();
            }
            return ps;
        }

        @Override
        public void close() {
            try {
                for (PreparedStatement ps : byText.values()) ps.close();
                connection.close();
            } catch (SQLException e) {
                // a connection that fails to close is dropped all the same
            }
        }
    }

    /**
     * A connection for the engine's questions. Their rows need no insertion order (every order the
     * engine relies on is an ORDER BY, or is made in Java), and DuckDB keeping it cost a prepared
     * statement with a large answer most of its time: a funnel's 6.7M rows took 1.8 s to collect
     * instead of 1.0 s. Only these connections drop it; writes keep it.
     */
    private DuckDBConnection readerConnection() {
        DuckDBConnection c = db.connect();
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET SESSION preserve_insertion_order = false");
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a connection that failed to set up
            }
            throw new StorageException(e.getMessage(), e);
        }
        return c;
    }

    private void closeIdle() {
        for (Prepared p; (p = idle.pollFirst()) != null; ) p.close();
    }

    @Override
    public void query(Sql sql, RowReader reader) {
        List<Object> params = sql.params();
        Prepared p = idle.pollFirst();
        if (p == null) p = new Prepared(readerConnection());
        boolean healthy = false;
        try {
            long start = System.nanoTime();
            PreparedStatement ps = p.statement(sql.text());
            ps.clearParameters();
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            long rows = 0;
            long executed;
            try (ResultSet rs = ps.executeQuery()) {
                executed = System.nanoTime();
                while (rs.next()) {
                    reader.read(rs);
                    rows++;
                }
            }
            healthy = true;
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (SLOW_QUERY_MS >= 0 && ms >= SLOW_QUERY_MS) {
                LOG.info("slow query: {} ms ({} ms until the first row), {} rows read: {} with {}", ms,
                        (executed - start) / 1_000_000, rows, sql.text(), params);
            }
        } catch (SQLException e) {
            throw DuckDbErrors.ofQuery(e, sql.text());
        } finally {
            // a connection whose query failed is not trusted again
            if (healthy && idle.size() < IDLE_CONNECTIONS) idle.offerFirst(p);
            else p.close();
        }
    }

    /**
     * The commits that changed the project's data in this process (see {@link Database#changeCount}),
     * counted as they happen. The scan of row counts it replaces cost tens of ms per query at 10M events.
     */
    @Override
    public String dataVersion(long projectId) {
        return Long.toString(db.changeCount(projectId));
    }

    /** The stored filters, or none. A stored list that no longer parses is ignored rather than failing every query. */
    @Override
    public FilterNode testAccountFilters(long projectId) {
        try {
            return FilterNode.parse(JSON.readTree(testAccountFiltersJson(projectId)), "test_account_filters");
        } catch (java.io.IOException | InvalidQuery e) {
            return FilterNode.NONE;
        }
    }

    @Override
    public String testAccountFiltersJson(long projectId) {
        return Statements.rows(db, "SELECT test_account_filters FROM project_settings WHERE project_id = ?", rs -> rs.getString(1), projectId)
                .stream().findFirst().orElse("[]");
    }

    @Override
    public void setTestAccountFilters(long projectId, String filtersJson) {
        try {
            FilterNode.parse(JSON.readTree(filtersJson), "test_account_filters");
        } catch (java.io.IOException e) {
            throw new InvalidQuery("test_account_filters", "must be a JSON list of property filters");
        }
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO project_settings VALUES (?, ?)")) {
            ps.setLong(1, projectId);
            ps.setString(2, filtersJson);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
        db.changed(projectId);
    }
}
