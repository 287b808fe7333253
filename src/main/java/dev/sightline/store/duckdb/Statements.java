package dev.sightline.store.duckdb;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/** One bound statement: writes on a connection of their own, small reads (a row or a few, never a page of events) on kept ones. */
final class Statements {
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private Statements() {}

    static int update(Database db, String sql, Object... params) {
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /** A read, on one of the database's kept connections with its statement already prepared ({@link StatementPool}). */
    static <T> List<T> rows(Database db, String sql, Row<T> row, Object... params) {
        try {
            return db.reads().run(sql, ps -> {
                for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row.read(rs));
                }
                return out;
            });
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /** The next id of a table with a BIGINT id; table names are constants of the callers, never input. */
    static long nextId(Database db, String table) {
        return rows(db, "SELECT coalesce(max(id), 0) + 1 FROM " + table, rs -> rs.getLong(1)).getFirst();
    }
}
