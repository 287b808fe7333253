package dev.sightline.store.duckdb;

import dev.sightline.store.EventCursor;
import dev.sightline.store.StoredEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * A page of a person's timeline, read in steps away from where the page starts (the cursor, or
 * the newest / oldest stored event). Each step reads one time span next to the previous one and
 * keeps what it finds; the page is done once it is full or a step reached past the table's edge,
 * which that step leaves unbounded. Steps partition time, so the pages are exact whatever the
 * physical order of the rows; time order only makes them cheap (see {@link TimelineSpan}).
 */
final class DuckDbTimeline {
    private final long firstStepEvents;

    /** @param firstStepEvents how many events, of anyone, the first step should cover on average */
    DuckDbTimeline(long firstStepEvents) {
        this.firstStepEvents = firstStepEvents;
    }

    List<StoredEvent> page(DuckDBConnection c, long projectId, List<String> distinctIds, boolean ascending, int limit,
                           Optional<EventCursor> after) throws SQLException {
        if (distinctIds.isEmpty() || limit <= 0) return List.of();
        Optional<Edges> edges = Edges.of(c);
        if (edges.isEmpty()) return List.of();
        Instant start = after.map(EventCursor::timestamp).orElse(ascending ? edges.get().oldest() : edges.get().newest());
        List<StoredEvent> page = new ArrayList<>(limit);
        Optional<Instant> reached = Optional.empty();
        Duration covered = Duration.ZERO;
        Duration span = TimelineSpan.first(Duration.between(edges.get().oldest(), edges.get().newest()), edges.get().events(),
                firstStepEvents);
        while (true) {
            Instant next = ascending ? start.plus(covered).plus(span) : start.minus(covered).minus(span);
            boolean beyondEdge = ascending ? !next.isBefore(edges.get().newest()) : !next.isAfter(edges.get().oldest());
            Step step = new Step(reached, beyondEdge ? Optional.empty() : Optional.of(next));
            List<StoredEvent> found = read(c, projectId, distinctIds, ascending, limit - page.size(), after, step);
            page.addAll(found);
            if (page.size() >= limit || beyondEdge) return page;
            covered = covered.plus(span);
            span = TimelineSpan.next(covered, page.size(), found.size(), limit - page.size());
            reached = Optional.of(next);
        }
    }

    /**
     * The whole table's oldest and newest event time and its number of events, of all projects:
     * DuckDB answers these from its statistics without a scan. Only the steps depend on them,
     * never the answer.
     */
    private record Edges(Instant oldest, Instant newest, long events) {
        static Optional<Edges> of(DuckDBConnection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT epoch_us(min(timestamp)), epoch_us(max(timestamp)), count(*) FROM events");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long oldest = rs.getLong(1);
                if (rs.wasNull()) return Optional.empty();
                return Optional.of(new Edges(DuckDbEvents.instant(oldest), DuckDbEvents.instant(rs.getLong(2)), rs.getLong(3)));
            }
        }
    }

    /**
     * One step's time span, in the direction of travel: past {@code from} (exclusive; none on the
     * first step, which starts at the cursor) up to {@code to} (inclusive; none past the edge).
     */
    private record Step(Optional<Instant> from, Optional<Instant> to) {}

    private static List<StoredEvent> read(DuckDBConnection c, long projectId, List<String> distinctIds, boolean ascending, int limit,
                                          Optional<EventCursor> after, Step step) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(projectId);
        StringBuilder sql = new StringBuilder("SELECT ").append(DuckDbEvents.COLUMNS)
                .append(" FROM events WHERE project_id = ? AND distinct_id IN (")
                .append(String.join(", ", Collections.nCopies(distinctIds.size(), "?"))).append(")");
        params.addAll(distinctIds);
        String beyond = ascending ? ">" : "<";
        after.ifPresent(cur -> {
            sql.append(" AND (timestamp ").append(beyond).append(" make_timestamp(?) OR (timestamp = make_timestamp(?) AND uuid ")
                    .append(beyond).append(" ?))");
            params.add(DuckDbEvents.micros(cur.timestamp()));
            params.add(DuckDbEvents.micros(cur.timestamp()));
            params.add(cur.uuid());
        });
        step.from().ifPresent(t -> {
            sql.append(" AND timestamp ").append(beyond).append(" make_timestamp(?)");
            params.add(DuckDbEvents.micros(t));
        });
        step.to().ifPresent(t -> {
            sql.append(" AND timestamp ").append(ascending ? "<=" : ">=").append(" make_timestamp(?)");
            params.add(DuckDbEvents.micros(t));
        });
        String dir = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY timestamp ").append(dir).append(", uuid ").append(dir).append(" LIMIT ?");
        params.add(limit);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<StoredEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(DuckDbEvents.row(rs));
            }
            return out;
        }
    }
}
