package dev.sightline.query;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What a runner needs besides the query: the project, "now", the SQL dialect and executor, the
 * test-account filters, and the {@link Dialect.Shape} of the project's events (looked up once per
 * query: whether merges wait to be folded into them and whether some have no person; where not,
 * the relations skip the joins these would need).
 */
public record QueryContext(long projectId, ZoneId zone, Instant now, Dialect dialect, SqlExecutor db, FilterNode testAccountFilters,
                           Dialect.Shape shape, CohortRelation cohorts) {

    public QueryContext(long projectId, ZoneId zone, Instant now, Dialect dialect, SqlExecutor db, FilterNode testAccountFilters,
                        Dialect.Shape shape) {
        this(projectId, zone, now, dialect, db, testAccountFilters, shape, CohortRelation.NONE);
    }

    /** The {@link Dialect.Shape} of the project's events as stored now. */
    public static Dialect.Shape shape(long projectId, Dialect dialect, SqlExecutor db) {
        Sql check = new Sql(projectId, dialect).add("SELECT EXISTS (SELECT 1 FROM ").from(Dialect.Relation.PENDING_OVERRIDES, "o")
                .add("), EXISTS (SELECT 1 FROM ").from(Dialect.Relation.UNSTAMPED_EVENTS, "u").add(")");
        Dialect.Shape[] shape = {Dialect.Shape.ANY};
        db.query(check, rs -> shape[0] = new Dialect.Shape(rs.getBoolean(1), rs.getBoolean(2)));
        return shape[0];
    }

    public Sql sql() {
        return new Sql(projectId, dialect, shape, cohorts);
    }

    /** The project's first event, for {@code date_from: "all"}. */
    public Optional<Instant> earliestEvent() {
        Sql sql = sql().add("SELECT min(timestamp) IS NOT NULL, ").add(dialect.epochMicros("min(timestamp)")).add(" FROM ")
                .from(Dialect.Relation.EVENTS, "ev");
        Instant[] out = new Instant[1];
        db.query(sql, rs -> {
            if (rs.getBoolean(1)) out[0] = Instant.EPOCH.plusNanos(rs.getLong(2) * 1000);
        });
        return Optional.ofNullable(out[0]);
    }

    /** More buckets than a chart can show is a mistake (hourly over years), and would cost memory. */
    static final int MAX_BUCKETS = 5000;

    public TimeRange range(Query.Common common, Interval interval) {
        TimeRange r = common.dateRange().resolve(zone, interval, now, "-7d", this::earliestEvent);
        long buckets = interval.between(interval.floor(r.fromLocal()), interval.floor(r.toLocal())) + 1;
        if (buckets > MAX_BUCKETS) {
            throw new InvalidQuery("interval", "the range has " + buckets + " " + interval.lower() + "s; at most " + MAX_BUCKETS
                    + " fit in one answer: use a longer interval or a shorter range");
        }
        return r;
    }
}
