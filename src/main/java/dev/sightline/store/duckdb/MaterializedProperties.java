package dev.sightline.store.duckdb;

import dev.sightline.store.EnrichmentColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event properties copied into columns of their own, for the keys that queries read most (a
 * breakdown by {@code $browser}, a sum of {@code amount}). Reading a property otherwise means reading
 * and parsing every matching event's whole JSON; a column of one value is a fraction of that.
 *
 * <p>A column holds exactly what {@code json_extract_string(properties, key)} gives, so a query reads
 * the same answer from either. It is filled for stored events when the key is materialized (while
 * the server is stopped: {@code sightline materialize}) and by every commit after that
 * ({@link DuckDbIngest}); the server reads the list once at start. Column names are ours
 * ({@code mp_1}, {@code mp_2}, ...), never the key, which is user input and only ever bound.
 *
 * <p>Enrichment's text properties have columns from the start ({@link EnrichmentColumns}): asking
 * to materialize one of them names that column and adds nothing.
 */
public final class MaterializedProperties {
    private MaterializedProperties() {}

    /** Key → column, in the order the columns were added. */
    public static Map<String, String> load(Database db) {
        try (Connection c = db.connect()) {
            return load(c);
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    static Map<String, String> load(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, column_name FROM materialized_properties ORDER BY materialized_at, length(column_name), column_name")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return Collections.unmodifiableMap(out);
    }

    /** What {@link #materialize} did. */
    public record Outcome(String key, String column, boolean added, long eventsFilled) {}

    /**
     * Adds the key's column and fills it for every stored event, in one transaction; a key already
     * materialized is left as it is. Not while a server has the data directory open.
     */
    public static Outcome materialize(Database db, String key) {
        return materialize(db, key, false);
    }

    /** With {@code progress}, DuckDB draws its progress bar on standard output while it fills the column. */
    public static Outcome materialize(Database db, String key, boolean progress) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("a property key is needed");
        try (Connection c = db.connect()) {
            if (progress) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET enable_progress_bar = true");
                    s.execute("SET enable_progress_bar_print = true");
                }
            }
            String enriched = EnrichmentColumns.COLUMNS.get(key);
            if (enriched != null) return new Outcome(key, enriched, false, 0);
            Map<String, String> known = load(c);
            if (known.containsKey(key)) return new Outcome(key, known.get(key), false, 0);
            String column = "mp_" + (known.size() + 1);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE events ADD COLUMN " + column + " VARCHAR");
                long filled;
                try (PreparedStatement fill = c.prepareStatement("UPDATE events SET " + column + " = json_extract_string(properties, ?)")) {
                    fill.setString(1, JsonPath.pointer(key));
                    filled = fill.executeUpdate();
                }
                try (PreparedStatement note = c.prepareStatement("INSERT INTO materialized_properties VALUES (?, ?, current_timestamp)")) {
                    note.setString(1, key);
                    note.setString(2, column);
                    note.executeUpdate();
                }
                c.commit();
                return new Outcome(key, column, true, filled);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("materializing '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    /** The column of a key, as the dialect and the ingest path print it: only names we made. */
    static String checked(String column) {
        if (!column.matches("mp_[0-9]+") && !EnrichmentColumns.COLUMNS.containsValue(column)) throw new IllegalStateException("not a materialized column: " + column);
        return column;
    }
}
