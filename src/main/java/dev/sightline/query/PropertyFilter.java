package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One PostHog property filter: {@code {"key", "value", "operator", "type"}}, with
 * {@code group_type_index} for a group property. Keys and values are user input; they only ever
 * reach SQL as bound parameters.
 *
 * @param groupTypeIndex the group type (0-4) of a {@link Scope#GROUP} filter, else -1
 */
public record PropertyFilter(String key, Operator operator, JsonNode value, Scope scope, int groupTypeIndex) {

    /**
     * Whose property: the event's, its person's, its session's (docs/queries.md), or one of its groups';
     * COHORT is membership of the event's person in cohort {@link #cohortId()} (operator IN or NOT_IN).
     */
    public enum Scope { EVENT, PERSON, SESSION, GROUP, COHORT }

    public PropertyFilter(String key, Operator operator, JsonNode value, Scope scope) {
        this(key, operator, value, scope, -1);
    }

    /** The same filter with another value (relative dates made absolute). */
    public PropertyFilter withValue(JsonNode other) {
        return new PropertyFilter(key, operator, other, scope, groupTypeIndex);
    }

    public enum Operator {
        EXACT, IS_NOT, ICONTAINS, NOT_ICONTAINS, REGEX, NOT_REGEX, GT, GTE, LT, LTE, IS_SET, IS_NOT_SET,
        IS_DATE_BEFORE, IS_DATE_AFTER, BETWEEN, NOT_BETWEEN,
        /** Cohort filters only: the person is (not) a member. */
        IN, NOT_IN;

        /** Whether an event (or person) without the property passes: the negative operators, as PostHog's do. */
        public boolean matchesMissing() {
            return this == IS_NOT || this == NOT_ICONTAINS || this == NOT_REGEX || this == IS_NOT_SET || this == NOT_IN;
        }

        /** Whether the operator compares the value as a number (a text that is not one passes none of them). */
        public boolean numeric() {
            return this == GT || this == GTE || this == LT || this == LTE || this == BETWEEN || this == NOT_BETWEEN;
        }

        static Operator parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidQuery("properties", "unknown operator '" + name + "'");
            }
        }
    }

    /**
     * Reads a JSON array of filters (or a {@code {"type":"AND","values":[...]}} group of plain
     * filters) on event and person properties: what the events and persons lists take.
     */
    public static List<PropertyFilter> parseList(JsonNode node) {
        List<PropertyFilter> out = parseAnyList(node);
        for (PropertyFilter f : out) {
            if (f.scope() == Scope.SESSION || f.scope() == Scope.GROUP) {
                throw new InvalidQuery("properties", "filters of type '" + f.scope().name().toLowerCase(Locale.ROOT)
                        + "' are answered by the query endpoint, not by this list");
            }
        }
        return out;
    }

    private static List<PropertyFilter> parseAnyList(JsonNode node) {
        List<PropertyFilter> out = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) return out;
        JsonNode list = node.isObject() && node.has("values") ? node.get("values") : node;
        if (!list.isArray()) throw new InvalidQuery("properties", "must be a JSON array of property filters");
        for (JsonNode f : list) {
            if (!f.isObject()) throw new InvalidQuery("properties", "each property filter must be an object");
            if (f.has("values")) {
                out.addAll(parseAnyList(f));
                continue;
            }
            out.add(parse(f));
        }
        return out;
    }

    /** The cohort a {@link Scope#COHORT} filter names. */
    public long cohortId() {
        return value.asLong();
    }

    /** Reads one filter object; groups are handled by the caller. */
    public static PropertyFilter parse(JsonNode f) {
        String type = f.path("type").asText("event");
        // PostHog writes membership as {"type":"cohort","key":"id","value":N,"operator":"in"|"not_in"};
        // its precalculated/static variants name the same cohort
        if (type.equals("cohort") || type.equals("precalculated-cohort") || type.equals("static-cohort")) return cohort(f);
        JsonNode key = f.get("key");
        if (key == null || !key.isTextual() || key.asText().isEmpty()) {
            throw new InvalidQuery("properties", "a property filter needs a non-empty string 'key'");
        }
        Operator op = f.hasNonNull("operator") ? Operator.parse(f.get("operator").asText()) : Operator.EXACT;
        if (op == Operator.IN || op == Operator.NOT_IN) {
            throw new InvalidQuery("properties", "operator " + op.name().toLowerCase(Locale.ROOT) + " is for cohort filters; use exact or is_not");
        }
        JsonNode value = f.has("value") ? f.get("value") : NullNode.getInstance();
        if (value.isNull() && op != Operator.IS_SET && op != Operator.IS_NOT_SET) {
            throw new InvalidQuery("properties", "filter on '" + key.asText() + "' needs a 'value' for operator " + op.name().toLowerCase(Locale.ROOT));
        }
        Scope scope = switch (type) {
            case "person" -> Scope.PERSON;
            case "event", "" -> Scope.EVENT;
            case "session" -> Scope.SESSION;
            case "group" -> Scope.GROUP;
            default -> throw new InvalidQuery("properties", "unsupported property type '" + f.get("type").asText()
                    + "' (event, person, session, group and cohort filters are supported)");
        };
        int groupTypeIndex = -1;
        if (scope == Scope.GROUP) {
            JsonNode index = f.get("group_type_index");
            if (index == null || !index.canConvertToInt() || !index.isIntegralNumber() || index.asInt() < 0 || index.asInt() > 4) {
                throw new InvalidQuery("properties", "group filter on '" + key.asText() + "' needs a group_type_index from 0 to 4");
            }
            groupTypeIndex = index.asInt();
        }
        return new PropertyFilter(key.asText(), op, value, scope, groupTypeIndex);
    }

    private static PropertyFilter cohort(JsonNode f) {
        JsonNode value = f.get("value");
        long id;
        if (value != null && value.isIntegralNumber()) id = value.asLong();
        else if (value != null && value.isTextual() && value.asText().matches("\\d{1,18}")) id = Long.parseLong(value.asText());
        else throw new InvalidQuery("properties", "a cohort filter needs the cohort's id as its 'value'");
        Operator op = switch (f.path("operator").asText("in")) {
            case "in", "exact", "" -> Operator.IN;
            case "not_in", "is_not" -> Operator.NOT_IN;
            default -> throw new InvalidQuery("properties", "a cohort filter's operator is in or not_in");
        };
        if (f.path("negation").asBoolean(false)) op = op == Operator.IN ? Operator.NOT_IN : Operator.IN;
        return new PropertyFilter("id", op, com.fasterxml.jackson.databind.node.LongNode.valueOf(id), Scope.COHORT, -1);
    }
}
