package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The JSON type of every top-level field PostHog's query schema gives one type, checked whatever
 * the kind: a field a kind does not read is still part of the request, and {@code trendsFilter: 1.5}
 * on a funnel is a client's mistake worth naming rather than ignoring. Null stands for absent.
 */
final class QueryShape {
    private enum Type {
        OBJECT("an object"), LIST("a list"), TEXT("a string"), BOOLEAN("true or false"), NUMBER("a number"),
        FILTERS("a list of property filters or a filter group");

        final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        boolean fits(JsonNode v) {
            return switch (this) {
                case OBJECT -> v.isObject();
                case LIST -> v.isArray();
                case TEXT -> v.isTextual();
                case BOOLEAN -> v.isBoolean();
                case NUMBER -> v.isNumber();
                case FILTERS -> v.isArray() || v.isObject();
            };
        }
    }

    private static final Map<String, Type> FIELDS = Map.ofEntries(
            Map.entry("kind", Type.TEXT),
            Map.entry("series", Type.LIST),
            Map.entry("dateRange", Type.OBJECT),
            Map.entry("interval", Type.TEXT),
            Map.entry("properties", Type.FILTERS),
            Map.entry("fixedProperties", Type.FILTERS),
            Map.entry("filterTestAccounts", Type.BOOLEAN),
            Map.entry("trendsFilter", Type.OBJECT),
            Map.entry("funnelsFilter", Type.OBJECT),
            Map.entry("retentionFilter", Type.OBJECT),
            Map.entry("pathsFilter", Type.OBJECT),
            Map.entry("stickinessFilter", Type.OBJECT),
            Map.entry("lifecycleFilter", Type.OBJECT),
            Map.entry("breakdownFilter", Type.OBJECT),
            Map.entry("compareFilter", Type.OBJECT),
            Map.entry("source", Type.OBJECT),
            Map.entry("select", Type.LIST),
            Map.entry("orderBy", Type.LIST),
            Map.entry("event", Type.TEXT),
            Map.entry("personId", Type.TEXT),
            Map.entry("after", Type.TEXT),
            Map.entry("before", Type.TEXT),
            Map.entry("limit", Type.NUMBER),
            Map.entry("offset", Type.NUMBER),
            Map.entry("samplingFactor", Type.NUMBER),
            Map.entry("aggregation_group_type_index", Type.NUMBER));

    private QueryShape() {}

    /** @param prefix where {@code query} sits in the request ("" at the top), for the 400's attr */
    static void check(JsonNode query, String prefix) {
        for (var field : FIELDS.entrySet()) {
            JsonNode v = query.get(field.getKey());
            if (v != null && !v.isNull() && !field.getValue().fits(v)) {
                throw new InvalidQuery(prefix + field.getKey(), field.getKey() + " must be " + field.getValue().wire);
            }
        }
    }
}
