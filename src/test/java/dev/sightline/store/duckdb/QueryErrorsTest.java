package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.query.InvalidQuery;
import dev.sightline.query.Sql;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failed insight query is answered by what will happen on a retry: the query's own values that
 * DuckDB cannot take fail again (400 naming the problem), SQL we printed wrong is our bug (500),
 * and only a store that failed is worth retrying (503). All three used to be a 503.
 */
class QueryErrorsTest {

    private static void run(DuckDbQueries queries, Sql sql) {
        queries.query(sql, rs -> {});
    }

    private static Sql sql(String text, Object... values) {
        Sql sql = new Sql(1, new DuckDbDialect(Map.of()));
        String[] parts = text.split("\\?", -1);
        for (int i = 0; i < parts.length; i++) {
            sql.add(parts[i]);
            if (i < values.length) sql.bind(values[i]);
        }
        return sql;
    }

    @Test
    void aConversionOrOverflowCausedByTheQueryIsAnInvalidQueryNamingIt() throws Exception {
        try (Database db = Database.open(Files.createTempDirectory("query-errors"))) {
            DuckDbQueries queries = new DuckDbQueries(db);
            assertThatThrownBy(() -> run(queries, sql("SELECT CAST(? AS INTEGER)", "abc")))
                    .isInstanceOf(InvalidQuery.class).hasMessageContaining("Conversion Error: Could not convert string 'abc'")
                    .hasMessageNotContaining("LINE 1");
            assertThatThrownBy(() -> run(queries, sql("SELECT CAST(? AS BIGINT) + 1", Long.MAX_VALUE)))
                    .isInstanceOf(InvalidQuery.class).hasMessageContaining("Out of Range Error");
            assertThatThrownBy(() -> run(queries, sql("SELECT regexp_matches('a', ?)", "(")))
                    .isInstanceOfSatisfying(InvalidQuery.class, e -> org.assertj.core.api.Assertions.assertThat(e.attr()).isEqualTo("properties"));
        }
    }

    @Test
    void sqlWePrintedWrongIsOurBugAndAClosedStoreIsWorthARetry() throws Exception {
        Database db = Database.open(Files.createTempDirectory("query-errors"));
        DuckDbQueries queries = new DuckDbQueries(db);
        assertThatThrownBy(() -> run(queries, sql("SELEC 1"))).isInstanceOf(IllegalStateException.class);
        db.close();
        assertThatThrownBy(() -> run(queries, sql("SELECT 1"))).isInstanceOf(StorageException.class);
    }
}
