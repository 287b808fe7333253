package dev.sightline.store.duckdb;

import dev.sightline.query.InvalidQuery;
import java.sql.SQLException;
import java.util.List;

/**
 * What a failed insight query means for its caller, from DuckDB's error class (the message's first
 * words). A retry helps only when the store itself failed (its disk, its memory, a closed
 * connection): that is a 503. An error the query's values caused on this data (a conversion, an
 * overflow, input DuckDB refuses) fails the same way every time: a 400 that names it. An error in
 * the SQL we printed (parser, catalog, internal) is our bug: a 500, not an invitation to retry.
 */
final class DuckDbErrors {
    private static final List<String> CAUSED_BY_THE_QUERY = List.of(
            "Conversion Error", "Out of Range Error", "Invalid Input Error", "Binder Error", "Mismatch Type Error");
    private static final List<String> OURS = List.of(
            "Parser Error", "Catalog Error", "Not implemented Error", "INTERNAL Error", "Syntax Error", "Dependency Error");

    private DuckDbErrors() {}

    static RuntimeException ofQuery(SQLException e, String sqlText) {
        String message = String.valueOf(e.getMessage());
        String first = firstLine(message);
        if (message.startsWith("Invalid Input Error") && sqlText.contains("regexp_matches")) {
            // a user's regex that DuckDB cannot compile
            return new InvalidQuery("properties", "invalid regular expression: " + first);
        }
        if (CAUSED_BY_THE_QUERY.stream().anyMatch(message::startsWith)) {
            return new InvalidQuery("query", "the query cannot run on this project's data: " + first);
        }
        if (OURS.stream().anyMatch(message::startsWith)) {
            return new IllegalStateException(message + "\n" + sqlText, e);
        }
        return new StorageException(message + "\n" + sqlText, e);
    }

    /** DuckDB's message without the SQL excerpt and caret that follow it. */
    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
