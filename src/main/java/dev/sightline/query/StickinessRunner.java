package dev.sightline.query;

import dev.sightline.query.Query.Series;
import dev.sightline.query.Query.Stickiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stickiness: per person, the number of distinct intervals of the range with the event;
 * {@code data[k-1]} = persons with exactly k (cumulative: k or more).
 */
final class StickinessRunner implements Runner<Stickiness> {

    @Override
    public Map<String, Object> run(Stickiness q, QueryContext ctx) {
        TimeRange range = ctx.range(q.common(), q.interval());
        int n = range.buckets().size();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int s = 0; s < q.series().size(); s++) {
            double[] data = new double[n];
            Sql sql = perPerson(q, ctx, range, q.series().get(s));
            sql.add("SELECT k, count(*) FROM pk GROUP BY 1");
            ctx.db().query(sql, rs -> {
                int k = rs.getInt(1);
                long persons = rs.getLong(2);
                if (q.cumulative()) for (int i = 0; i < k; i++) data[i] += persons;
                else data[k - 1] += persons;
            });
            Map<String, Object> m = new LinkedHashMap<>();
            Series series = q.series().get(s);
            List<Integer> days = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            String unit = range.interval().lower();
            for (int k = 1; k <= n; k++) {
                days.add(k);
                labels.add(k + " " + unit + (k == 1 ? "" : "s"));
            }
            m.put("data", Shapes.numbers(data));
            m.put("days", days);
            m.put("labels", labels);
            m.put("count", Shapes.sum(data));
            m.put("label", series.customName().orElse(series.label()));
            m.put("action", Shapes.action(series, s));
            out.add(m);
        }
        return Map.of("results", out);
    }

    /** Persons of series {@code index} active in exactly {@code intervals} intervals. */
    Sql actors(Stickiness q, QueryContext ctx, int index, int intervals) {
        if (index >= q.series().size()) throw new InvalidQuery("source.series", "there is no series " + index);
        TimeRange range = ctx.range(q.common(), q.interval());
        Sql sql = perPerson(q, ctx, range, q.series().get(index));
        return sql.add("SELECT p FROM pk WHERE k = ").bind(intervals);
    }

    /** {@code WITH pk(p, k)}: each person and the number of intervals of the range with the event (at most the range's). */
    private static Sql perPerson(Stickiness q, QueryContext ctx, TimeRange range, Series s) {
        Sql sql = ctx.sql();
        Dialect d = sql.dialect();
        var bits = ActivityBits.of(range.interval(), range.buckets().getFirst(), range.buckets().size());
        sql.add("WITH pk AS (SELECT ev.person_id AS p, ");
        if (bits.isPresent()) {
            // the intervals someone was active in as bits of one mask: half the cost of a distinct count per person
            sql.add("bit_count(bit_or(").add(bits.get().bit(d, "ev.timestamp", range.zone(), range.from(), range.to())).add("))");
        } else {
            sql.add("least(count(DISTINCT ").add(d.bucket(range.interval(), "ev.timestamp", range.zone(), range.from(), range.to()))
                    .add("), ").bind(range.buckets().size()).add(")");
        }
        sql.add(" AS k FROM ").from(Dialect.Relation.EVENTS, "ev");
        Filters.where(sql, ctx, q.common(), s, range.from(), range.to());
        return sql.add(" GROUP BY 1) ");
    }
}
