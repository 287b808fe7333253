package dev.sightline.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.InvalidQuery;
import dev.sightline.query.PropertyFilter;
import dev.sightline.store.EnrichmentColumns;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders property filters as DuckDB predicates. SQL text here is fixed; every key and value is
 * a bound parameter appended to {@code params}.
 */
final class FilterSql {
    private FilterSql() {}

    /**
     * A filter on the events table: event properties, or the person properties stamped on the event.
     * An event property with an enrichment column of its own is read from that column.
     */
    static String render(PropertyFilter f, List<Object> params) {
        if (f.scope() == PropertyFilter.Scope.PERSON) return render(f, "person_properties", params);
        return render(f, "properties", EnrichmentColumns.COLUMNS.get(f.key()), params);
    }

    /** {@code column} is a constant of the caller naming a JSON text column, never user input. */
    static String render(PropertyFilter f, String column, List<Object> params) {
        return render(f, column, null, params);
    }

    /**
     * With {@code materialized}, a column (a constant of the caller, never user input) that holds the
     * property's text value, as {@code json_extract_string} gives it: the operators read it instead
     * of {@code column}'s JSON (a materialized property, or a session property computed beforehand).
     */
    static String render(PropertyFilter f, String column, String materialized, List<Object> params) {
        String text = materialized != null ? materialized : "json_extract_string(" + column + ", ?)";
        // every operator reads the value first: the JSON path is the first parameter, unless a column holds the value
        if (materialized == null) params.add(JsonPath.pointer(f.key()));
        return switch (f.operator()) {
            // membership is printed by the query's cohort relation, never as a property test
            case IN, NOT_IN -> throw new IllegalStateException("a cohort filter reached the property printer");
            case IS_SET -> {
                yield text + " IS NOT NULL";
            }
            case IS_NOT_SET -> {
                yield text + " IS NULL";
            }
            case EXACT, IS_NOT -> {
                List<String> values = values(f.value());
                String in = text + " IN (" + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ")";
                params.addAll(values);
                // is_not also matches events that lack the property, as PostHog's does
                yield f.operator() == PropertyFilter.Operator.EXACT ? in : "coalesce(NOT (" + in + "), true)";
            }
            case ICONTAINS, NOT_ICONTAINS -> {
                params.add("%" + likeEscape(scalar(f)) + "%");
                yield f.operator() == PropertyFilter.Operator.ICONTAINS
                        ? text + " ILIKE ? ESCAPE '\\'"
                        : "coalesce(NOT (" + text + " ILIKE ? ESCAPE '\\'), true)";
            }
            case REGEX, NOT_REGEX -> {
                params.add(scalar(f));
                yield f.operator() == PropertyFilter.Operator.REGEX
                        ? "coalesce(regexp_matches(" + text + ", ?), false)"
                        : "coalesce(NOT regexp_matches(" + text + ", ?), true)";
            }
            case GT, GTE, LT, LTE -> {
                params.add(number(f));
                String op = switch (f.operator()) {
                    case GT -> ">";
                    case GTE -> ">=";
                    case LT -> "<";
                    default -> "<=";
                };
                yield "TRY_CAST(" + text + " AS DOUBLE) " + op + " ?";
            }
            case BETWEEN, NOT_BETWEEN -> {
                JsonNode v = f.value();
                if (!v.isArray() || v.size() != 2) {
                    throw new InvalidQuery("properties", "operator " + f.operator().name().toLowerCase() + " on '" + f.key() + "' takes [min, max]");
                }
                params.add(number(f, v.get(0)));
                params.add(number(f, v.get(1)));
                // a missing or non-numeric property satisfies neither, like gt/lt
                yield f.operator() == PropertyFilter.Operator.BETWEEN
                        ? "TRY_CAST(" + text + " AS DOUBLE) BETWEEN ? AND ?"
                        : "NOT (TRY_CAST(" + text + " AS DOUBLE) BETWEEN ? AND ?)";
            }
            case IS_DATE_BEFORE, IS_DATE_AFTER -> {
                params.add(scalar(f));
                String op = f.operator() == PropertyFilter.Operator.IS_DATE_BEFORE ? "<" : ">";
                yield "TRY_CAST(" + text + " AS TIMESTAMP) " + op + " TRY_CAST(? AS TIMESTAMP)";
            }
        };
    }

    private static List<String> values(JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(v -> out.add(v.isTextual() ? v.asText() : v.toString()));
        } else {
            out.add(value.isTextual() ? value.asText() : value.toString());
        }
        if (out.isEmpty()) throw new InvalidQuery("properties", "an exact filter needs at least one value");
        return out;
    }

    private static String scalar(PropertyFilter f) {
        JsonNode v = f.value();
        if (v.isArray() || v.isObject()) {
            throw new InvalidQuery("properties", "operator " + f.operator().name().toLowerCase() + " on '" + f.key() + "' takes a single value");
        }
        return v.asText();
    }

    private static double number(PropertyFilter f) {
        return number(f, f.value());
    }

    private static double number(PropertyFilter f, JsonNode v) {
        if (v.isArray() || v.isObject()) {
            throw new InvalidQuery("properties", "operator " + f.operator().name().toLowerCase() + " on '" + f.key() + "' needs a number");
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw new InvalidQuery("properties", "operator " + f.operator().name().toLowerCase() + " on '" + f.key() + "' needs a number");
        }
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
