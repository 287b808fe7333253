package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One PostHog property filter: {@code {"key", "value", "operator", "type"}}. Keys and values are
 * user input; they only ever reach SQL as bound parameters.
 */
public record PropertyFilter(String key, Operator operator, JsonNode value, Scope scope) {

    public enum Scope { EVENT, PERSON }

    public enum Operator {
        EXACT, IS_NOT, ICONTAINS, NOT_ICONTAINS, REGEX, NOT_REGEX, GT, GTE, LT, LTE, IS_SET, IS_NOT_SET,
        IS_DATE_BEFORE, IS_DATE_AFTER, BETWEEN, NOT_BETWEEN;

        /** Whether an event (or person) without the property passes: the negative operators, as PostHog's do. */
        public boolean matchesMissing() {
            return this == IS_NOT || this == NOT_ICONTAINS || this == NOT_REGEX || this == IS_NOT_SET;
        }

        static Operator parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidQuery("properties", "unknown operator '" + name + "'");
            }
        }
    }

    /** Reads a JSON array of filters (or a {@code {"type":"AND","values":[...]}} group of plain filters). */
    public static List<PropertyFilter> parseList(JsonNode node) {
        List<PropertyFilter> out = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) return out;
        JsonNode list = node.isObject() && node.has("values") ? node.get("values") : node;
        if (!list.isArray()) throw new InvalidQuery("properties", "must be a JSON array of property filters");
        for (JsonNode f : list) {
            if (!f.isObject()) throw new InvalidQuery("properties", "each property filter must be an object");
            if (f.has("values")) {
                out.addAll(parseList(f));
                continue;
            }
            out.add(parse(f));
        }
        return out;
    }

    /** Reads one filter object; groups are handled by the caller. */
    public static PropertyFilter parse(JsonNode f) {
        JsonNode key = f.get("key");
        if (key == null || !key.isTextual() || key.asText().isEmpty()) {
            throw new InvalidQuery("properties", "a property filter needs a non-empty string 'key'");
        }
        Operator op = f.hasNonNull("operator") ? Operator.parse(f.get("operator").asText()) : Operator.EXACT;
        JsonNode value = f.has("value") ? f.get("value") : NullNode.getInstance();
        if (value.isNull() && op != Operator.IS_SET && op != Operator.IS_NOT_SET) {
            throw new InvalidQuery("properties", "filter on '" + key.asText() + "' needs a 'value' for operator " + op.name().toLowerCase(Locale.ROOT));
        }
        Scope scope = switch (f.path("type").asText("event")) {
            case "person" -> Scope.PERSON;
            case "event", "" -> Scope.EVENT;
            default -> throw new InvalidQuery("properties", "unsupported property type '" + f.get("type").asText() + "'");
        };
        return new PropertyFilter(key.asText(), op, value, scope);
    }
}
