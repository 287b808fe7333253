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
 * <p>The engine prints the same text for the same question whatever its values, which are bound,
 * so its connections keep their prepared statements ({@link StatementPool}).
 */
public final class DuckDbQueries implements SqlExecutor, QueryService.DataVersion, QueryService.TestAccountFilters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IDLE_CONNECTIONS = 4;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DuckDbQueries.class);
    /** Queries slower than this are logged with their SQL, their values at debug level ({@code -Dsightline.slowQueryMs}; negative: never). */
    private static final long SLOW_QUERY_MS = Long.getLong("sightline.slowQueryMs", 2000);

    private final Database db;
    /**
     * The engine's connections. Its rows need no insertion order (every order the engine relies on
     * is an ORDER BY, or is made in Java), and DuckDB keeping it cost a prepared statement with a
     * large answer most of its time: a funnel's 6.7M rows took 1.8 s to collect instead of 1.0 s.
     * Only these connections drop it; writes keep it.
     */
    private final StatementPool pool;

    public DuckDbQueries(Database db) {
        this.db = db;
        this.pool = new StatementPool(db, IDLE_CONNECTIONS, c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SET SESSION preserve_insertion_order = false");
            }
        });
    }

    @Override
    public void query(Sql sql, RowReader reader) {
        List<Object> params = sql.params();
        try {
            pool.run(sql.text(), ps -> {
                long start = System.nanoTime();
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
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (SLOW_QUERY_MS >= 0 && ms >= SLOW_QUERY_MS) {
                    // the values stay out of the log unless asked for: a filter's value may be a person's email
                    LOG.info("slow query: {} ms ({} ms until the first row), {} rows read, {} values: {}", ms,
                            (executed - start) / 1_000_000, rows, params.size(), sql.text());
                    LOG.debug("slow query's values: {}", params);
                }
                return null;
            });
        } catch (SQLException e) {
            throw DuckDbErrors.ofQuery(e, sql.text());
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
