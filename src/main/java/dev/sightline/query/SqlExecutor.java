package dev.sightline.query;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Runs printed SQL on the store and hands each row to the caller. */
public interface SqlExecutor {
    interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    void query(Sql sql, RowReader reader);
}
