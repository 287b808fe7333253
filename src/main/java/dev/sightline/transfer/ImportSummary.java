package dev.sightline.transfer;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an import did: rows read, events the pipeline committed, and the rows turned away, counted
 * by reason (capture's error codes, e.g. {@code missing_distinct_id}, plus the importer's own:
 * {@code invalid_timestamp}, {@code invalid_properties_json}, {@code malformed_csv_row},
 * {@code not_stored}).
 */
public record ImportSummary(long rows, long accepted, SortedMap<String, Long> rejected) {
    public ImportSummary {
        rejected = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(rejected));
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    static ImportSummary of(long rows, long accepted, Map<String, Long> rejected) {
        return new ImportSummary(rows, accepted, new TreeMap<>(rejected));
    }
}
