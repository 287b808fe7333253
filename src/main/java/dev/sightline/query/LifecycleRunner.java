package dev.sightline.query;

import dev.sightline.query.Query.Lifecycle;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Lifecycle, per person, over the series' events from one interval before date_from to the end
 * of the range, without personless events: the first active interval is new if it is the
 * interval of the person's created_at, else resurrecting; a later one is returning after an
 * active interval, else resurrecting; the interval after activity without activity is dormant
 * (reported negative). An actor without a person row counts as created at its first event read.
 */
final class LifecycleRunner implements Runner<Lifecycle> {
    static final List<String> STATUSES = List.of("new", "returning", "resurrecting", "dormant");

    @Override
    public Map<String, Object> run(Lifecycle q, QueryContext ctx) {
        TimeRange range = ctx.range(q.common(), q.interval());
        int n = range.buckets().size();
        Map<String, double[]> data = new LinkedHashMap<>();
        STATUSES.forEach(s -> data.put(s, new double[n]));
        statuses(q, ctx, range, (person, bucket, status) -> data.get(status)[bucket] += status.equals("dormant") ? -1 : 1);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String status : STATUSES) {
            if (!q.toggled().isEmpty() && !q.toggled().contains(status)) continue;
            Map<String, Object> action = Shapes.action(q.series(), 0);
            Map<String, Object> m = Shapes.series(range, data.get(status), q.series().label() + " - " + status, action);
            m.put("status", status);
            out.add(m);
        }
        return Map.of("results", out);
    }

    List<UUID> actors(Lifecycle q, QueryContext ctx, String day, Optional<String> status) {
        TimeRange range = ctx.range(q.common(), q.interval());
        int bucket = range.buckets().indexOf(TrendsRunner.bucketOf(range, day));
        List<UUID> out = new ArrayList<>();
        statuses(q, ctx, range, (person, b, s) -> {
            if (b == bucket && status.map(s::equals).orElse(true)) out.add(person);
        });
        return out;
    }

    interface Sink {
        void accept(UUID person, int bucket, String status);
    }

    private void statuses(Lifecycle q, QueryContext ctx, TimeRange range, Sink sink) {
        List<LocalDateTime> buckets = range.buckets();
        Interval interval = range.interval();
        LocalDateTime before = interval.plus(buckets.getFirst(), -1);
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        Dialect.Fragment bucket = d.truncate(interval,
                d.localTime("ev.timestamp", range.zone(), before.atZone(range.zone()).toInstant(), range.to()));
        sql.add("SELECT ev.person_id, ").add(new Dialect.Fragment(d.epochMicros(bucket.text()), bucket.params()))
                .add(", ").add(d.epochMicros("coalesce(min(ev.person_created_at), min(ev.timestamp))"))
                .add(" FROM ").from(Dialect.Relation.EVENTS_WITH_PERSONS, "ev");
        Filters.where(sql, ctx, q.common(), q.series(), before.atZone(range.zone()).toInstant(), range.to());
        sql.add(" AND coalesce(ev.person_mode, 'full') <> 'propertyless' GROUP BY 1, 2");
        Map<UUID, TreeSet<Long>> active = new HashMap<>();
        Map<UUID, Instant> created = new HashMap<>();
        ctx.db().query(sql, rs -> {
            UUID p = (UUID) rs.getObject(1);
            LocalDateTime b = Shapes.localFromMicros(rs.getLong(2));
            active.computeIfAbsent(p, k -> new TreeSet<>()).add(interval.between(buckets.getFirst(), b));
            Instant c = Instant.EPOCH.plusNanos(rs.getLong(3) * 1000);
            created.merge(p, c, (x, y) -> x.isBefore(y) ? x : y);
        });
        int n = buckets.size();
        active.forEach((person, indices) -> {
            long createdIndex = interval.between(buckets.getFirst(), interval.floor(LocalDateTime.ofInstant(created.get(person), range.zone())));
            Long previous = null;
            for (long i : indices) {
                String status = previous == null ? (i == createdIndex ? "new" : "resurrecting")
                        : previous == i - 1 ? "returning" : "resurrecting";
                if (i >= 0 && i < n) sink.accept(person, (int) i, status);
                if (!indices.contains(i + 1) && i + 1 >= 0 && i + 1 < n) sink.accept(person, (int) (i + 1), "dormant");
                previous = i;
            }
        });
    }
}
