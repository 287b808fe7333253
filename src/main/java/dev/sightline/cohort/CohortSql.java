package dev.sightline.cohort;

import dev.sightline.cohort.Criterion.Behavior;
import dev.sightline.query.Dialect;
import dev.sightline.query.FilterNode;
import dev.sightline.query.Sql;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a cohort definition as one SQL relation of person ids ({@code id}), evaluated against the
 * project's events and persons as stored now. Behavioural criteria read the events relation whose
 * {@code person_id} is the effective person (merge overrides applied), so a merged person's events
 * from all their distinct ids count together, and a split moves them at once.
 *
 * <p>Windows: "in the last N units" is {@code [now - N units, now]}, both ends included, with the
 * subtraction done on the project's wall clock (a day across a DST change is 23 or 25 hours, a
 * month is a calendar month). Every criterion is a set of persons; AND is INTERSECT, OR is UNION,
 * a negation is EXCEPT from all persons, and only persons with a profile are members.
 */
final class CohortSql {
    /** Prints another cohort (nested criteria) into a statement. */
    interface Nested {
        void print(Sql into, long cohortId);
    }

    private final ZoneId zone;
    private final Instant now;
    private final Nested nested;
    private int alias;

    CohortSql(ZoneId zone, Instant now, Nested nested) {
        this.zone = zone;
        this.now = now;
        this.nested = nested;
    }

    /** The definition's members: persons with a profile who meet it. */
    void members(Sql sql, Criterion c) {
        String a = next();
        sql.add("(SELECT " + a + ".id FROM ").from(Dialect.Relation.PERSONS, a).add(" WHERE " + a + ".id IN (SELECT " + a + "m.id FROM ");
        print(sql, c);
        sql.add(" " + a + "m))");
    }

    private String next() {
        return "c" + (alias++);
    }

    private void print(Sql sql, Criterion c) {
        if (c.negated()) {
            String u = next();
            String x = next();
            sql.add("(SELECT " + u + ".id FROM ").from(Dialect.Relation.PERSONS, u).add(" EXCEPT SELECT " + x + ".id FROM ");
            positive(sql, c);
            sql.add(" " + x + ")");
        } else {
            positive(sql, c);
        }
    }

    /** The criterion as if it were not negated. */
    private void positive(Sql sql, Criterion c) {
        switch (c) {
            case Criterion.Group g -> group(sql, g);
            case Criterion.PersonProperty p -> {
                String a = next();
                sql.add("(SELECT " + a + ".id FROM ").from(Dialect.Relation.PERSONS, a).add(" WHERE ")
                        .add(sql.dialect().predicate(p.filter(), a + ".properties")).add(")");
            }
            case Criterion.InCohort in -> nested.print(sql, in.cohortId());
            case Behavior b -> behavior(sql, b);
        }
    }

    /**
     * AND: the positive members intersected, then the negated ones taken away (cheaper than
     * intersecting with their complements); OR: the union. An empty group is everyone.
     */
    private void group(Sql sql, Criterion.Group g) {
        List<Criterion> members = g.members().stream().filter(m -> !(m instanceof Criterion.Group sub && sub.members().isEmpty())).toList();
        if (members.isEmpty()) {
            String u = next();
            sql.add("(SELECT " + u + ".id FROM ").from(Dialect.Relation.PERSONS, u).add(")");
            return;
        }
        if (members.size() == 1) {
            print(sql, members.getFirst());
            return;
        }
        List<Criterion> plus = new ArrayList<>();
        List<Criterion> minus = new ArrayList<>();
        for (Criterion m : members) {
            if (!g.any() && m.negated()) minus.add(m);
            else plus.add(m);
        }
        sql.add("(");
        if (plus.isEmpty()) {
            String u = next();
            sql.add("SELECT " + u + ".id FROM ").from(Dialect.Relation.PERSONS, u);
        }
        for (int i = 0; i < plus.size(); i++) {
            if (i > 0) sql.add(g.any() ? " UNION " : " INTERSECT ");
            String a = next();
            sql.add("SELECT " + a + ".id FROM ");
            print(sql, plus.get(i));
            sql.add(" " + a);
        }
        for (Criterion m : minus) {
            String a = next();
            sql.add(" EXCEPT SELECT " + a + ".id FROM ");
            positive(sql, m);
            sql.add(" " + a);
        }
        sql.add(")");
    }

    /** Now minus {@code n} windows, on the project's wall clock. */
    private Instant back(Criterion.Window w, int n) {
        return now.atZone(zone).minus((long) w.value() * n, w.unit()).toInstant();
    }

    private void behavior(Sql sql, Behavior b) {
        Dialect d = sql.dialect();
        Instant start = back(b.window(), 1);
        switch (b.kind()) {
            case PERFORMED -> {
                String e = events(sql, b);
                sql.add(" AND " + e + ".timestamp >= ").add(d.instant(start)).add(" AND " + e + ".timestamp <= ").add(d.instant(now)).add(")");
            }
            case PERFORMED_MULTIPLE -> multiple(sql, b, start);
            case FIRST_TIME -> {
                String e = events(sql, b);
                sql.add(" AND " + e + ".timestamp <= ").add(d.instant(now)).add(" GROUP BY 1 HAVING min(" + e + ".timestamp) >= ")
                        .add(d.instant(start)).add(")");
            }
            case STOPPED -> {
                Instant mid = back(b.recent(), 1);
                String e = events(sql, b);
                sql.add(" AND " + e + ".timestamp >= ").add(d.instant(start)).add(" AND " + e + ".timestamp <= ").add(d.instant(now))
                        .add(" GROUP BY 1 HAVING count(*) FILTER (WHERE " + e + ".timestamp < ").add(d.instant(mid))
                        .add(") > 0 AND count(*) FILTER (WHERE " + e + ".timestamp >= ").add(d.instant(mid)).add(") = 0)");
            }
            case RESTARTED -> {
                Instant mid = back(b.recent(), 1);
                String e = events(sql, b);
                sql.add(" AND " + e + ".timestamp <= ").add(d.instant(now))
                        .add(" GROUP BY 1 HAVING count(*) FILTER (WHERE " + e + ".timestamp < ").add(d.instant(start))
                        .add(") > 0 AND count(*) FILTER (WHERE " + e + ".timestamp >= ").add(d.instant(start))
                        .add(" AND " + e + ".timestamp < ").add(d.instant(mid))
                        .add(") = 0 AND count(*) FILTER (WHERE " + e + ".timestamp >= ").add(d.instant(mid)).add(") > 0)");
            }
            case REGULARLY -> {
                // period k is [now - (k+1) windows, now - k windows); period 0 ends at now, included
                String e = events(sql, b);
                sql.add(" AND " + e + ".timestamp >= ").add(d.instant(back(b.window(), b.totalPeriods())))
                        .add(" AND " + e + ".timestamp <= ").add(d.instant(now)).add(" GROUP BY 1 HAVING count(DISTINCT CASE");
                for (int k = 0; k < b.totalPeriods(); k++) {
                    sql.add(" WHEN " + e + ".timestamp >= ").add(d.instant(back(b.window(), k + 1))).add(" THEN ").bind(k);
                }
                sql.add(" END) >= ").bind(b.minPeriods()).add(")");
            }
        }
    }

    /**
     * At least / exactly / at most N times in the window. "At most N" and "exactly 0" include the
     * persons who never did it: everyone but those who did it more often.
     */
    private void multiple(Sql sql, Behavior b, Instant start) {
        Dialect d = sql.dialect();
        boolean complement = b.op() == Criterion.CountOperator.LTE || (b.op() == Criterion.CountOperator.EXACT && b.count() == 0);
        if (b.op() == Criterion.CountOperator.GTE && b.count() == 0) {
            String u = next();
            sql.add("(SELECT " + u + ".id FROM ").from(Dialect.Relation.PERSONS, u).add(")");
            return;
        }
        String u = next();
        String x = next();
        if (complement) sql.add("(SELECT " + u + ".id FROM ").from(Dialect.Relation.PERSONS, u).add(" EXCEPT SELECT " + x + ".id FROM ");
        String e = events(sql, b);
        sql.add(" AND " + e + ".timestamp >= ").add(d.instant(start)).add(" AND " + e + ".timestamp <= ").add(d.instant(now)).add(" GROUP BY 1 HAVING count(*) ");
        switch (b.op()) {
            case GTE -> sql.add(">= ").bind(b.count());
            case LTE -> sql.add("> ").bind(b.count());
            case EXACT -> sql.add(complement ? "> " : "= ").bind(b.count());
        }
        sql.add(")");
        if (complement) sql.add(" " + x + ")");
    }

    /** Opens {@code (SELECT e.person_id AS id FROM events e WHERE e.event = ? [AND filters]}; returns the alias. */
    private String events(Sql sql, Behavior b) {
        String e = next();
        sql.add("(SELECT " + (b.kind() == Criterion.Kind.PERFORMED ? "DISTINCT " : "") + e + ".person_id AS id FROM ")
                .from(Dialect.Relation.EVENTS, e).add(" WHERE " + e + ".event = ").bind(b.event());
        if (!b.eventFilters().isEmpty()) {
            sql.add(" AND ");
            eventFilter(sql, b.eventFilters(), e);
        }
        return e;
    }

    private static void eventFilter(Sql sql, FilterNode node, String e) {
        switch (node) {
            // unqualified "properties": the dialect then reads a key that has a column of its own from
            // that column (the events relation is the only one in this scope)
            case FilterNode.Leaf l -> sql.add(sql.dialect().predicate(l.filter(), "properties"));
            case FilterNode.All a -> join(sql, a.nodes(), " AND ", e);
            case FilterNode.Any a -> join(sql, a.nodes(), " OR ", e);
        }
    }

    private static void join(Sql sql, List<FilterNode> nodes, String op, String e) {
        FilterNode.printGroup(sql, nodes, op, n -> eventFilter(sql, n, e));
    }
}
