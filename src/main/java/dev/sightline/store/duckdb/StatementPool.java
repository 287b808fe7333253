package dev.sightline.store.duckdb;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.duckdb.DuckDBConnection;

/**
 * Idle connections, each with its last prepared statements by text. Opening a connection and
 * preparing a statement (parse, bind, plan) cost 1-10 ms, more than most reads take to run, and
 * the same texts come back with other values bound. A read borrows a connection, so no two share
 * it; one whose statement failed is not trusted again.
 */
final class StatementPool {
    interface Use<T> {
        T with(PreparedStatement statement) throws SQLException;
    }

    interface Setup {
        void apply(DuckDBConnection connection) throws SQLException;
    }

    private static final int STATEMENTS_PER_CONNECTION = 64;

    private final Database db;
    private final int idleConnections;
    private final Setup setup;
    private final BlockingDeque<Prepared> idle = new LinkedBlockingDeque<>();

    /** {@code setup} runs once on each new connection (session settings). */
    StatementPool(Database db, int idleConnections, Setup setup) {
        this.db = db;
        this.idleConnections = idleConnections;
        this.setup = setup;
        db.keepUntilClose(this::closeIdle);
    }

    /** Runs {@code use} with the statement for {@code sql}, its parameters cleared. */
    <T> T run(String sql, Use<T> use) throws SQLException {
        Prepared p = idle.pollFirst();
        if (p == null) p = open();
        boolean healthy = false;
        try {
            PreparedStatement ps = p.statement(sql);
            ps.clearParameters();
            T out = use.with(ps);
            healthy = true;
            return out;
        } finally {
            if (healthy && idle.size() < idleConnections) idle.offerFirst(p);
            else p.close();
        }
    }

    private Prepared open() throws SQLException {
        DuckDBConnection c = db.connect();
        try {
            setup.apply(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new Prepared(c);
    }

    private void closeIdle() {
        for (Prepared p; (p = idle.pollFirst()) != null; ) p.close();
    }

    /** A connection and its prepared statements, least recently used first. */
    private static final class Prepared {
        final DuckDBConnection connection;
        final LinkedHashMap<String, PreparedStatement> byText = new LinkedHashMap<>(16, 0.75f, true);

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

        void close() {
            try {
                for (PreparedStatement ps : byText.values()) ps.close();
                connection.close();
            } catch (SQLException e) {
                // a connection that fails to close is dropped all the same
            }
        }
    }
}
