package dev.sightline.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a trends query's breakdowns are printed and read back: the value an event has (its text, or
 * with several breakdowns the list of their texts), "other", and the labels the series carry. A
 * label is keyed in Java as the text, or as a JSON array of the values with several breakdowns.
 */
final class TrendsBreakdowns {
    private TrendsBreakdowns() {}

    private static final com.fasterxml.jackson.databind.ObjectMapper KEYS = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Split by several breakdowns: each series' label is then the list of its values. */
    static boolean multiple(Query.Trends q) {
        return q.breakdown().map(Query.BreakdownFilter::multiple).orElse(false);
    }

    /** Whether any breakdown reads person properties or cohorts (the events then need who they count as). */
    static boolean anyPerson(Query.Trends q) {
        return q.breakdown().map(b -> b.all().stream().anyMatch(x -> x.type() == Query.BreakdownType.PERSON
                || x.type() == Query.BreakdownType.COHORT)).orElse(false);
    }

    /** One breakdown, by a person property: a person has one value, which the special paths read once per person. */
    static boolean personValue(Query.Trends q) {
        return !multiple(q) && q.breakdown().map(b -> b.breakdown().type() == Query.BreakdownType.PERSON).orElse(false);
    }

    /** An event's breakdown value: its text, or with several breakdowns the list of their texts (missing ones as the null label). */
    static void breakdownValue(Sql sql, Query.Trends q) {
        List<Query.Breakdown> all = q.breakdown().orElseThrow().all();
        if (all.size() > 1) sql.add("list_value(");
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) sql.add(", ");
            sql.add("coalesce(CAST(");
            Breakdowns.value(sql, all.get(i), i);
            sql.add(" AS VARCHAR), ").bind(Shapes.NULL_BREAKDOWN).add(")");
        }
        if (all.size() > 1) sql.add(")");
    }

    /** The breakdowns' joins for events read from {@code span} (absent: events of any time). */
    static void breakdownJoins(Sql sql, Query.Trends q, Optional<Filters.Span> span) {
        if (q.breakdown().isEmpty()) return;
        List<Query.Breakdown> all = q.breakdown().get().all();
        for (int i = 0; i < all.size(); i++) Breakdowns.join(sql, all.get(i), i, span);
    }

    /** The "other" label as SQL: the text, or with several breakdowns a list of it, one per breakdown. */
    static Dialect.Fragment other(Query.Trends q) {
        return labelLiteral(q, Optional.of(otherKey(q)));
    }

    /** A label (as {@link #label} keys it; absent: the null value) as a SQL literal to compare the label column with. */
    static Dialect.Fragment labelLiteral(Query.Trends q, Optional<String> key) {
        if (!multiple(q)) return new Dialect.Fragment("?", List.of(key.orElse(Shapes.NULL_BREAKDOWN)));
        int n = q.breakdown().get().all().size();
        List<Object> values = key.map(k -> List.<Object>copyOf(values(k)))
                .orElse(java.util.Collections.nCopies(n, Shapes.NULL_BREAKDOWN));
        if (values.size() != n) throw new InvalidQuery("source.breakdown", "the insight splits by " + n + " breakdowns: give " + n + " values");
        return new Dialect.Fragment("list_value(" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")", values);
    }

    /** A series' {@code breakdown_value}: the value, or with several breakdowns the list of values. */
    static Object shownValue(Query.Trends q, String key) {
        return multiple(q) ? values(key) : key;
    }

    /** A series' label: the value, or with several breakdowns the values joined by "::". */
    static String shownLabel(Query.Trends q, String key) {
        return multiple(q) ? String.join("::", values(key)) : key;
    }

    /** The key of "other": with several breakdowns, the list of "other" once per breakdown. */
    static String otherKey(Query.Trends q) {
        return multiple(q) ? key(java.util.Collections.nCopies(q.breakdown().get().all().size(), Shapes.OTHER_BREAKDOWN)) : Shapes.OTHER_BREAKDOWN;
    }

    /** A label column as a key: the text, or a list's values as a JSON array (the form an ActorsQuery names them in). */
    static String label(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        Object value = rs.getObject(column);
        if (value instanceof java.sql.Array array) {
            List<String> values = new ArrayList<>();
            for (Object v : (Object[]) array.getArray()) values.add(String.valueOf(v));
            return key(values);
        }
        return value == null ? null : value.toString();
    }

    private static String key(List<String> values) {
        try {
            return KEYS.writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values of a key made by {@link #key}; anything else is not such a key. */
    static List<String> values(String key) {
        try {
            return KEYS.readValue(key, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidQuery("source.breakdown", "with several breakdowns, breakdown is the list of their values");
        }
    }
}
