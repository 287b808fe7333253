package dev.sightline.store.duckdb;

import dev.sightline.store.EnrichmentColumns;
import java.util.ArrayList;
import java.util.List;

/**
 * An event's whole properties as SQL: the JSON plus the {@link EnrichmentColumns} of the keys the
 * JSON lacks (an event stored before those columns existed, or one whose value there is not text,
 * keeps it in the JSON, which wins). Events without any of them are read as stored.
 */
final class StoredProperties {
    private StoredProperties() {}

    /** The expression for the events row {@code alias} ("" for an unqualified events table); SQL text only, no parameters. */
    static String whole(String alias) {
        String a = alias.isEmpty() ? "" : alias + ".";
        List<String> columns = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        EnrichmentColumns.COLUMNS.forEach((key, column) -> {
            columns.add(a + column);
            // the keys are our constants, made of letters, digits and underscores after the '$'
            entries.add("{'k': '" + key + "', 'v': " + a + column + "}");
        });
        return "CASE WHEN coalesce(" + String.join(", ", columns) + ") IS NULL THEN " + a + "properties"
                + " ELSE CAST(json_merge_patch(" + a + "properties, to_json(map_from_entries(list_filter([" + String.join(", ", entries)
                + "], lambda x: x.v IS NOT NULL AND NOT json_exists(" + a + "properties, '/' || x.k))))) AS VARCHAR) END";
    }
}
