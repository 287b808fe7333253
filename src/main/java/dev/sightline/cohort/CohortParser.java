package dev.sightline.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.cohort.Criterion.Behavior;
import dev.sightline.cohort.Criterion.CountOperator;
import dev.sightline.cohort.Criterion.Kind;
import dev.sightline.cohort.Criterion.Window;
import dev.sightline.query.FilterNode;
import dev.sightline.query.InvalidQuery;
import dev.sightline.query.PropertyFilter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dynamic cohort's definition from PostHog's shapes: {@code filters.properties}, a recursive
 * {@code {"type": "AND"|"OR", "values": [...]}} tree of person, behavioral and cohort filters, or
 * the legacy {@code groups} list (OR of groups, each its person properties or an event done in the
 * last {@code days}). Every refusal names the field by its path in the request, e.g.
 * {@code filters.properties.values[0].values[1].time_value}.
 */
public final class CohortParser {
    /** Windows longer than this many days are refused: nobody asks about decades, and the periods below stay small. */
    private static final long MAX_WINDOW_DAYS = 3660;
    private static final int MAX_PERIODS = 100;

    private CohortParser() {}

    /** The definition in {@code filters} (preferred) or legacy {@code groups}; empty when neither holds a criterion. */
    public static java.util.Optional<Criterion> parse(JsonNode filters, JsonNode groups) {
        if (filters != null && !filters.isNull() && !filters.isMissingNode()) {
            if (!filters.isObject()) throw new InvalidQuery("filters", "filters must be an object with 'properties'");
            JsonNode props = filters.get("properties");
            if (props != null && !props.isNull()) {
                Criterion c = node(props, "filters.properties", true);
                if (!empty(c)) return java.util.Optional.of(c);
            }
        }
        if (groups != null && !groups.isNull() && !groups.isMissingNode()) {
            if (!groups.isArray()) throw new InvalidQuery("groups", "groups must be a list");
            List<Criterion> any = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) any.add(legacyGroup(groups.get(i), "groups[" + i + "]"));
            if (!any.isEmpty()) return java.util.Optional.of(new Criterion.Group(true, any, false));
        }
        return java.util.Optional.empty();
    }

    private static boolean empty(Criterion c) {
        return c instanceof Criterion.Group g && g.members().stream().allMatch(CohortParser::empty);
    }

    private static Criterion node(JsonNode n, String path, boolean top) {
        if (n.isArray()) return group(n, false, path, false);
        if (!n.isObject()) throw new InvalidQuery(path, "a cohort criterion must be an object");
        String type = n.path("type").asText("");
        if (type.equalsIgnoreCase("AND") || type.equalsIgnoreCase("OR") || (type.isEmpty() && n.has("values"))) {
            JsonNode values = n.get("values");
            if (values == null || !values.isArray()) throw new InvalidQuery(path + ".values", "a group needs a list of values");
            return group(values, type.equalsIgnoreCase("OR"), path + ".values", negation(n, path));
        }
        return leaf(n, path, "");
    }

    private static Criterion group(JsonNode values, boolean any, String path, boolean negated) {
        List<Criterion> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) out.add(node(values.get(i), path + "[" + i + "]", false));
        return new Criterion.Group(any, out, negated);
    }

    private static boolean negation(JsonNode n, String path) {
        JsonNode neg = n.get("negation");
        if (neg == null || neg.isNull()) return false;
        if (!neg.isBoolean()) throw new InvalidQuery(path + ".negation", "negation must be true or false");
        return neg.asBoolean();
    }

    /** One criterion; {@code defaultType} is what a leaf without a type is ("person" in legacy groups). */
    private static Criterion leaf(JsonNode n, String path, String defaultType) {
        String type = n.path("type").asText(defaultType);
        boolean negated = negation(n, path);
        return switch (type) {
            case "person" -> new Criterion.PersonProperty(personFilter(n, path), negated);
            case "cohort", "precalculated-cohort", "static-cohort" -> new Criterion.InCohort(cohortId(n.get("value"), path + ".value"), negated);
            case "behavioral" -> behavior(n, path, negated);
            case "" -> throw new InvalidQuery(path + ".type", "a criterion needs a type: person, behavioral or cohort");
            default -> throw new InvalidQuery(path + ".type", "unsupported criterion type '" + type + "' (person, behavioral and cohort are supported)");
        };
    }

    private static PropertyFilter personFilter(JsonNode n, String path) {
        if (!n.has("type")) n = ((com.fasterxml.jackson.databind.node.ObjectNode) n.deepCopy()).put("type", "person");
        try {
            FilterNode parsed = FilterNode.parse(n, path);
            if (!(parsed instanceof FilterNode.Leaf leaf)) throw new InvalidQuery(path + ".value", "an exact filter needs at least one value");
            if (leaf.filter().scope() != PropertyFilter.Scope.PERSON) throw new InvalidQuery(path + ".type", "expected a person property");
            return leaf.filter();
        } catch (InvalidQuery e) {
            throw e.attr().startsWith(path) ? e : new InvalidQuery(path, e.getMessage());
        }
    }

    static long cohortId(JsonNode v, String path) {
        if (v != null && v.isIntegralNumber() && v.asLong() > 0) return v.asLong();
        if (v != null && v.isTextual() && v.asText().matches("\\d{1,18}")) return Long.parseLong(v.asText());
        throw new InvalidQuery(path, "a cohort criterion's value is the id of another cohort");
    }

    private static Behavior behavior(JsonNode n, String path, boolean negated) {
        String eventType = n.path("event_type").asText("events");
        if (!eventType.equals("events")) {
            throw new InvalidQuery(path + ".event_type", "only events can be used (actions are not supported yet)");
        }
        JsonNode key = n.get("key");
        if (key == null || !key.isTextual() || key.asText().isEmpty()) throw new InvalidQuery(path + ".key", "name the event (key)");
        String value = n.path("value").asText("");
        Kind kind = switch (value) {
            case "performed_event" -> Kind.PERFORMED;
            case "performed_event_multiple" -> Kind.PERFORMED_MULTIPLE;
            case "performed_event_first_time" -> Kind.FIRST_TIME;
            case "stopped_performing_event" -> Kind.STOPPED;
            case "restarted_performing_event" -> Kind.RESTARTED;
            case "performed_event_regularly" -> Kind.REGULARLY;
            case "performed_event_sequence" -> throw new InvalidQuery(path + ".value", "event sequences are not supported yet");
            default -> throw new InvalidQuery(path + ".value", "unknown behavioral type '" + value + "'");
        };
        Window window = window(n, "time_value", "time_interval", path);
        Window recent = null;
        if (kind == Kind.STOPPED || kind == Kind.RESTARTED) {
            recent = window(n, "seq_time_value", "seq_time_interval", path);
            if (approx(recent).compareTo(approx(window)) >= 0) {
                throw new InvalidQuery(path + ".seq_time_value", "the recent window (seq_time_value) must be shorter than time_value");
            }
        }
        CountOperator op = CountOperator.GTE;
        int count = 1;
        if (kind == Kind.PERFORMED_MULTIPLE) {
            op = switch (n.path("operator").asText("")) {
                case "gte" -> CountOperator.GTE;
                case "lte" -> CountOperator.LTE;
                case "exact", "eq" -> CountOperator.EXACT;
                default -> throw new InvalidQuery(path + ".operator", "operator is gte (at least), lte (at most) or exact");
            };
            count = integer(n, "operator_value", path, 0, 1_000_000);
        }
        int min = 0;
        int total = 0;
        if (kind == Kind.REGULARLY) {
            total = integer(n, "total_periods", path, 1, MAX_PERIODS);
            min = integer(n, "min_periods", path, 1, total);
        }
        FilterNode eventFilters = FilterNode.NONE;
        JsonNode ef = n.get("event_filters");
        if (ef != null && !ef.isNull()) {
            eventFilters = FilterNode.parse(ef, path + ".event_filters");
            if (eventFilters.leaves().anyMatch(f -> f.scope() != PropertyFilter.Scope.EVENT)) {
                throw new InvalidQuery(path + ".event_filters", "event_filters hold event property filters only");
            }
        }
        return new Behavior(kind, key.asText(), eventFilters, window, recent, op, count, min, total, negated);
    }

    private static Window window(JsonNode n, String valueField, String unitField, String path) {
        int value = integer(n, valueField, path, 1, 100_000);
        ChronoUnit unit = switch (n.path(unitField).asText("")) {
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            case "year" -> ChronoUnit.YEARS;
            default -> throw new InvalidQuery(path + "." + unitField, unitField + " is hour, day, week, month or year");
        };
        Window w = new Window(value, unit);
        if (approx(w).toDays() > MAX_WINDOW_DAYS) throw new InvalidQuery(path + "." + valueField, "at most ten years back");
        return w;
    }

    /** The window's rough length, for comparing two windows (months as 31 days, years as 366). */
    private static Duration approx(Window w) {
        long hours = switch (w.unit()) {
            case HOURS -> 1;
            case DAYS -> 24;
            case WEEKS -> 24 * 7;
            case MONTHS -> 24 * 31;
            default -> 24 * 366;
        };
        return Duration.ofHours(hours * w.value());
    }

    private static int integer(JsonNode n, String field, String path, int min, int max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new InvalidQuery(path + "." + field, field + " is required");
        int i;
        if (v.isIntegralNumber() && v.canConvertToInt()) i = v.asInt();
        else if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) i = Integer.parseInt(v.asText());
        else throw new InvalidQuery(path + "." + field, field + " must be a whole number");
        if (i < min || i > max) throw new InvalidQuery(path + "." + field, field + " must be between " + min + " and " + max);
        return i;
    }

    /** A legacy group: its person properties (AND), or an event done in the last {@code days} days, {@code count} times. */
    private static Criterion legacyGroup(JsonNode g, String path) {
        if (!g.isObject()) throw new InvalidQuery(path, "a group must be an object");
        if (g.hasNonNull("action_id")) throw new InvalidQuery(path + ".action_id", "actions are not supported yet");
        if (g.hasNonNull("event_id")) {
            JsonNode event = g.get("event_id");
            if (!event.isTextual() || event.asText().isEmpty()) throw new InvalidQuery(path + ".event_id", "event_id names an event");
            int days = g.hasNonNull("days") ? integer(g, "days", path, 1, (int) MAX_WINDOW_DAYS) : 30;
            int count = g.hasNonNull("count") ? integer(g, "count", path, 0, 1_000_000) : 1;
            CountOperator op = switch (g.path("count_operator").asText("gte")) {
                case "gte" -> CountOperator.GTE;
                case "lte" -> CountOperator.LTE;
                case "eq", "exact" -> CountOperator.EXACT;
                default -> throw new InvalidQuery(path + ".count_operator", "count_operator is gte, lte or eq");
            };
            return new Behavior(Kind.PERFORMED_MULTIPLE, event.asText(), FilterNode.NONE, new Window(days, ChronoUnit.DAYS), null, op, count, 0, 0, false);
        }
        JsonNode props = g.get("properties");
        if (props == null || !props.isArray() || props.isEmpty()) {
            throw new InvalidQuery(path + ".properties", "a group needs properties, or an event_id");
        }
        List<Criterion> all = new ArrayList<>();
        for (int i = 0; i < props.size(); i++) all.add(leaf(props.get(i), path + ".properties[" + i + "]", "person"));
        return new Criterion.Group(false, all, false);
    }
}
