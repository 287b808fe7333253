package dev.sightline.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One batch's metered counts, added up in memory: one row per project, UTC day, kind, event name
 * and library, however many events it holds. The store adds these rows to its counters in the
 * same transaction as the batch's events.
 */
public final class UsageTally {
    /** Longer library names are cut (in code points): the name is the sender's to choose, and only a label here. */
    static final int LIB_MAX = 100;

    public record Row(long projectId, LocalDate day, UsageKind kind, String event, String lib, long count) {
        public Row {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(lib, "lib");
        }
    }

    private record Key(long projectId, long epochDay, UsageKind kind, String event, String lib) {}

    private final Map<Key, long[]> counts = new HashMap<>();

    /** An event of {@code timestamp}'s UTC day; {@code lib} is its {@code $lib}, "" when it has none. */
    public void add(long projectId, Instant timestamp, UsageKind kind, String event, String lib) {
        counts.computeIfAbsent(new Key(projectId, epochDay(timestamp), kind, event, libLabel(lib)), k -> new long[1])[0]++;
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    public List<Row> rows() {
        List<Row> rows = new ArrayList<>(counts.size());
        counts.forEach((k, n) -> rows.add(new Row(k.projectId(), LocalDate.ofEpochDay(k.epochDay()), k.kind(), k.event(), k.lib(), n[0])));
        return rows;
    }

    /** The UTC day of an instant, without a time zone look-up per event. */
    static long epochDay(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 86_400L);
    }

    static String libLabel(String lib) {
        if (lib.length() <= LIB_MAX || lib.codePointCount(0, lib.length()) <= LIB_MAX) return lib;
        return lib.substring(0, lib.offsetByCodePoints(0, LIB_MAX));
    }
}
