package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A tree of property filters: plain filters joined by nested AND / OR groups. */
public sealed interface FilterNode {
    record All(List<FilterNode> nodes) implements FilterNode {}

    record Any(List<FilterNode> nodes) implements FilterNode {}

    record Leaf(PropertyFilter filter) implements FilterNode {}

    FilterNode NONE = new All(List.of());

    static FilterNode and(FilterNode... nodes) {
        List<FilterNode> kept = new ArrayList<>();
        for (FilterNode n : nodes) if (!n.isEmpty()) kept.add(n);
        return kept.size() == 1 ? kept.getFirst() : new All(kept);
    }

    default boolean isEmpty() {
        return switch (this) {
            case All a -> a.nodes.stream().allMatch(FilterNode::isEmpty);
            case Any a -> a.nodes.stream().allMatch(FilterNode::isEmpty);
            case Leaf l -> false;
        };
    }

    /**
     * A group printed as SQL: its non-empty nodes joined by {@code op} ({@code " AND "} / {@code " OR "})
     * in brackets, each printed by {@code each}; a group with none is {@code TRUE}.
     */
    static void printGroup(Sql sql, java.util.List<FilterNode> nodes, String op, java.util.function.Consumer<FilterNode> each) {
        var kept = nodes.stream().filter(n -> !n.isEmpty()).toList();
        if (kept.isEmpty()) {
            sql.add("TRUE");
            return;
        }
        sql.add("(");
        for (int i = 0; i < kept.size(); i++) {
            if (i > 0) sql.add(op);
            each.accept(kept.get(i));
        }
        sql.add(")");
    }

    default Stream<PropertyFilter> leaves() {
        return switch (this) {
            case All a -> a.nodes.stream().flatMap(FilterNode::leaves);
            case Any a -> a.nodes.stream().flatMap(FilterNode::leaves);
            case Leaf l -> Stream.of(l.filter);
        };
    }

    default boolean touchesPersons() {
        return leaves().anyMatch(f -> f.scope() == PropertyFilter.Scope.PERSON);
    }

    /** Whether testing an event needs who it counts as: a person-property or cohort filter. */
    default boolean needsWho() {
        return leaves().anyMatch(f -> f.scope() == PropertyFilter.Scope.PERSON || f.scope() == PropertyFilter.Scope.COHORT);
    }

    /**
     * Reads PostHog's forms: a list of filters (AND), or a group {@code {"type": "AND"|"OR",
     * "values": [...]}} whose values are filters or groups. An exact filter with an empty list
     * value is dropped, as PostHog does.
     */
    static FilterNode parse(JsonNode node, String attr) {
        if (node == null || node.isNull() || node.isMissingNode()) return NONE;
        try {
            return read(node, attr);
        } catch (InvalidQuery e) {
            throw e.attr().equals("properties") ? new InvalidQuery(attr, e.getMessage()) : e;
        }
    }

    private static FilterNode read(JsonNode node, String attr) {
        if (node.isArray()) {
            List<FilterNode> out = new ArrayList<>();
            for (JsonNode n : node) out.add(read(n, attr));
            return new All(out);
        }
        if (!node.isObject()) throw new InvalidQuery(attr, "a property filter must be an object or a list");
        String type = node.path("type").asText("");
        if (node.has("values") && (type.equalsIgnoreCase("AND") || type.equalsIgnoreCase("OR") || type.isEmpty())) {
            JsonNode values = node.get("values");
            if (!values.isArray()) throw new InvalidQuery(attr, "'values' of a filter group must be a list");
            List<FilterNode> out = new ArrayList<>();
            for (JsonNode n : values) out.add(read(n, attr));
            return type.equalsIgnoreCase("OR") ? new Any(out) : new All(out);
        }
        PropertyFilter f = PropertyFilter.parse(node);
        if (f.scope() == PropertyFilter.Scope.COHORT) return new Leaf(f);
        if (f.operator() == PropertyFilter.Operator.REGEX || f.operator() == PropertyFilter.Operator.NOT_REGEX) {
            try {
                java.util.regex.Pattern.compile(f.value().asText());
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new InvalidQuery(attr, "invalid regular expression '" + f.value().asText() + "': " + e.getDescription());
            }
        }
        if (f.value().isArray() && f.value().isEmpty()
                && (f.operator() == PropertyFilter.Operator.EXACT || f.operator() == PropertyFilter.Operator.IS_NOT)) {
            return NONE;
        }
        return new Leaf(f);
    }
}
