package dev.sightline.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a dashboard's filters change each insight tile's query: a dashboard date range replaces the
 * insight's; dashboard property filters are added to the insight's (both must hold). Insights that
 * are wrapped for display ({@code InsightVizNode}) get the change in their {@code source}.
 */
public final class DashboardFilters {
    private DashboardFilters() {}

    /** A copy of {@code query} with {@code filters} ({@code {date_from, date_to, properties}}) applied. */
    public static JsonNode apply(JsonNode query, JsonNode filters) {
        if (filters == null || !filters.isObject() || filters.isEmpty() || query == null || !query.isObject()) return query;
        ObjectNode copy = query.deepCopy();
        ObjectNode source = copy.path("kind").asText().equals("InsightVizNode") && copy.get("source") instanceof ObjectNode s ? s : copy;
        String from = text(filters, "date_from");
        if (from != null) {
            ObjectNode range = JsonNodeFactory.instance.objectNode();
            range.put("date_from", from);
            String to = text(filters, "date_to");
            if (to != null) range.put("date_to", to);
            source.set("dateRange", range);
        }
        JsonNode extra = filters.get("properties");
        if (extra != null && extra.isArray() && !extra.isEmpty()) {
            JsonNode own = source.get("properties");
            if (own == null || own.isNull() || (own.isArray() && own.isEmpty())) {
                source.set("properties", extra.deepCopy());
            } else if (own.isArray()) {
                ArrayNode both = own.deepCopy();
                extra.forEach(f -> both.add(f.deepCopy()));
                source.set("properties", both);
            } else {
                // a group ({type, values}): both the insight's group and the dashboard's filters must hold
                ObjectNode and = JsonNodeFactory.instance.objectNode();
                and.put("type", "AND");
                ArrayNode values = and.putArray("values");
                values.add(own.deepCopy());
                ObjectNode dash = values.addObject();
                dash.put("type", "AND");
                dash.set("values", extra.deepCopy());
                source.set("properties", and);
            }
        }
        return copy;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
