package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sightline.query.Query.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PostHog query JSON → a validated {@link Query}. Everything that can be wrong with a request is
 * found here and reported as {@link InvalidQuery} naming the field (for example
 * {@code series[1].math_property}), so runners only ever see queries they can run.
 */
public final class QueryParser {
    private static final int MAX_SERIES = 50;

    private QueryParser() {}

    public static Query parse(JsonNode query) {
        if (query == null || !query.isObject()) throw new InvalidQuery("query", "'query' must be an object with a 'kind'");
        QueryShape.check(query, "");
        String kind = query.path("kind").asText("");
        return switch (kind) {
            case "TrendsQuery" -> trends(query);
            case "FunnelsQuery" -> funnels(query);
            case "RetentionQuery" -> retention(query);
            case "LifecycleQuery" -> lifecycle(query);
            case "StickinessQuery" -> stickiness(query);
            case "EventsQuery" -> events(query);
            case "ActorsQuery", "InsightActorsQuery", "FunnelsActorsQuery" -> actors(query);
            case "PathsQuery" -> paths(query);
            // a saved insight's query as the web app shows it: the query itself is its source
            case "InsightVizNode" -> parse(query.get("source"));
            case "" -> throw new InvalidQuery("kind", "the query needs a 'kind'");
            default -> throw new InvalidQuery("kind", "unsupported query kind '" + kind + "'");
        };
    }

    /** The fields every insight query shares (dateRange, properties, filterTestAccounts), validated: other query kinds read them the same way. */
    public static Common common(JsonNode q) {
        if (q.hasNonNull("aggregation_group_type_index")) {
            throw new InvalidQuery("aggregation_group_type_index", "aggregating by groups is not supported yet");
        }
        if (q.hasNonNull("samplingFactor") && q.get("samplingFactor").asDouble(1) != 1) {
            throw new InvalidQuery("samplingFactor", "sampling is not supported");
        }
        JsonNode dr = q.path("dateRange");
        DateRange range = DateRange.DEFAULT;
        if (!dr.isMissingNode() && !dr.isNull()) {
            if (!dr.isObject()) throw new InvalidQuery("dateRange", "dateRange must be an object");
            range = new DateRange(date(dr, "date_from"), date(dr, "date_to"), dr.path("explicitDate").asBoolean(false));
        }
        return new Common(range, FilterNode.parse(q.get("properties"), "properties"), bool(q, "filterTestAccounts"));
    }

    private static Optional<String> date(JsonNode dr, String field) {
        JsonNode v = dr.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new InvalidQuery("dateRange." + field, field + " must be a string");
        String s = v.asText().trim();
        if (s.isEmpty()) return Optional.empty();
        if (!DateRange.readable(s)) {
            throw new InvalidQuery("dateRange." + field, "cannot read '" + s + "' as a date: use YYYY-MM-DD, an ISO date-time, -7d, -1mStart, mStart or all");
        }
        return Optional.of(s);
    }

    private static boolean bool(JsonNode q, String field) {
        JsonNode v = q.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw new InvalidQuery(field, field + " must be true or false");
        return v.asBoolean();
    }

    private static Interval interval(JsonNode q, String field, Interval dflt) {
        JsonNode v = q.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) throw new InvalidQuery(field, field + " must be a string");
        return Interval.parse(v.asText(), field);
    }

    private static List<Series> seriesList(JsonNode q, boolean allowMath) {
        JsonNode s = q.get("series");
        if (s == null || !s.isArray() || s.isEmpty()) throw new InvalidQuery("series", "series must be a non-empty list of EventsNode");
        if (s.size() > MAX_SERIES) throw new InvalidQuery("series", "at most " + MAX_SERIES + " series");
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) out.add(series(s.get(i), "series[" + i + "]", allowMath));
        return out;
    }

    static Series series(JsonNode n, String attr, boolean allowMath) {
        if (n == null || !n.isObject()) throw new InvalidQuery(attr, "a series must be an EventsNode object");
        String kind = n.path("kind").asText("EventsNode");
        if (!kind.equals("EventsNode")) throw new InvalidQuery(attr + ".kind", "only EventsNode series are supported, not '" + kind + "'");
        Optional<String> event = optText(n, "event", attr);
        MathType math = MathType.TOTAL;
        JsonNode m = n.get("math");
        if (m != null && !m.isNull()) {
            if (!allowMath) {
                if (!m.asText().equals("total")) throw new InvalidQuery(attr + ".math", "this query kind takes no math");
            } else {
                try {
                    math = MathType.valueOf(m.asText().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new InvalidQuery(attr + ".math", "unsupported math '" + m.asText() + "'");
                }
            }
        }
        Optional<String> mathProperty = optText(n, "math_property", attr);
        if (math.needsProperty() && mathProperty.isEmpty()) {
            throw new InvalidQuery(attr + ".math_property", "math " + math.wire() + " needs a math_property");
        }
        int groupTypeIndex = -1;
        if (math == MathType.UNIQUE_GROUP) {
            JsonNode g = n.get("math_group_type_index");
            if (g == null || !g.isIntegralNumber() || g.intValue() < 0 || g.intValue() > 4) {
                throw new InvalidQuery(attr + ".math_group_type_index", "math unique_group needs a math_group_type_index from 0 to 4");
            }
            groupTypeIndex = g.intValue();
        }
        Optional<String> customName = optText(n, "custom_name", attr).or(() -> optText(n, "name", attr).filter(s -> !s.equals(event.orElse(""))));
        return new Series(event, customName, math, mathProperty, FilterNode.parse(n.get("properties"), attr + ".properties"), groupTypeIndex);
    }

    /** A retention entity {@code {"id": event, "type": "events", "properties"}} as a series. */
    private static Series entity(JsonNode n, String attr) {
        if (n == null || n.isNull()) throw new InvalidQuery(attr, attr + " is required");
        if (!n.isObject()) throw new InvalidQuery(attr, attr + " must be an object");
        String type = n.path("type").asText("events");
        if (!type.equals("events")) throw new InvalidQuery(attr + ".type", "only events entities are supported");
        JsonNode id = n.get("id");
        Optional<String> event = id == null || id.isNull() ? Optional.empty() : Optional.of(id.asText());
        return new Series(event, optText(n, "custom_name", attr), MathType.TOTAL, Optional.empty(),
                FilterNode.parse(n.get("properties"), attr + ".properties"));
    }

    private static Optional<String> optText(JsonNode n, String field, String attr) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new InvalidQuery(attr.isEmpty() ? field : attr + "." + field, field + " must be a string");
        return Optional.of(v.asText());
    }

    private static int intField(JsonNode n, String field, String attr, int dflt, int min, int max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.canConvertToInt() || !(v.isIntegralNumber() || v.isTextual() && v.asText().matches("-?\\d+"))) {
            throw new InvalidQuery(attr, field + " must be an integer");
        }
        int i = v.asInt();
        if (i < min || i > max) throw new InvalidQuery(attr, field + " must be between " + min + " and " + max);
        return i;
    }

    private static Optional<BreakdownFilter> breakdown(JsonNode q) {
        JsonNode b = q.get("breakdownFilter");
        if (b == null || b.isNull()) return Optional.empty();
        if (!b.isObject()) throw new InvalidQuery("breakdownFilter", "breakdownFilter must be an object");
        int limit = intField(b, "breakdown_limit", "breakdownFilter.breakdown_limit", 25, 1, 1000);
        JsonNode list = b.get("breakdowns");
        if (list != null && list.isArray() && !list.isEmpty()) {
            if (list.size() > 3) throw new InvalidQuery("breakdownFilter.breakdowns", "at most three breakdowns are supported");
            List<Breakdown> all = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode one = list.get(i);
                String attr = "breakdownFilter.breakdowns[" + i + "]";
                if (!one.isObject()) throw new InvalidQuery(attr, "a breakdown must be an object with a property");
                all.add(oneBreakdown(one.path("property").asText(""), one.path("type").asText("event"), one.get("group_type_index"), attr));
            }
            return Optional.of(new BreakdownFilter(all.getFirst(), limit, List.copyOf(all.subList(1, all.size()))));
        }
        JsonNode p = b.get("breakdown");
        if (p == null || p.isNull()) return Optional.empty();
        if (b.path("breakdown_type").asText("").equals("cohort")) return Optional.of(new BreakdownFilter(cohorts(p), limit));
        if (p.isArray()) {
            if (p.size() != 1) throw new InvalidQuery("breakdownFilter.breakdown", "only one breakdown property is supported here; use breakdowns for several");
            p = p.get(0);
        }
        if (!p.isTextual()) throw new InvalidQuery("breakdownFilter.breakdown", "breakdown must be a property name");
        return Optional.of(new BreakdownFilter(oneBreakdown(p.asText(), b.path("breakdown_type").asText("event"),
                b.get("breakdown_group_type_index"), "breakdownFilter.breakdown"), limit));
    }

    /** {@code breakdown_type: "cohort"}: a cohort id, "all" (all persons), or a list of them. */
    private static Breakdown cohorts(JsonNode p) {
        List<String> ids = new ArrayList<>();
        JsonNode list = p.isArray() ? p : JsonNodeFactory.instance.arrayNode().add(p);
        if (list.isEmpty() || list.size() > 25) throw new InvalidQuery("breakdownFilter.breakdown", "a cohort breakdown lists 1 to 25 cohort ids (or \"all\")");
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            String text = v.asText();
            if (v.isIntegralNumber() || (v.isTextual() && text.matches("\\d{1,18}"))) ids.add(Long.toString(Long.parseLong(text)));
            else if (text.equals("all")) ids.add("all");
            else throw new InvalidQuery(p.isArray() ? "breakdownFilter.breakdown[" + i + "]" : "breakdownFilter.breakdown",
                    "a cohort breakdown value is a cohort id or \"all\"");
        }
        return new Breakdown(String.join(",", new java.util.LinkedHashSet<>(ids)), BreakdownType.COHORT);
    }

    private static Breakdown oneBreakdown(String property, String type, JsonNode groupIndex, String attr) {
        if (property.isEmpty()) throw new InvalidQuery(attr, "breakdown needs a property name");
        BreakdownType bt = switch (type) {
            case "event" -> BreakdownType.EVENT;
            case "person" -> BreakdownType.PERSON;
            case "session" -> BreakdownType.SESSION;
            case "group" -> BreakdownType.GROUP;
            default -> throw new InvalidQuery(attr.equals("breakdownFilter.breakdown") ? "breakdownFilter.breakdown_type" : attr + ".type",
                    "unsupported breakdown_type '" + type + "'");
        };
        int index = -1;
        if (bt == BreakdownType.GROUP) {
            if (groupIndex == null || !groupIndex.isIntegralNumber() || groupIndex.asInt() < 0 || groupIndex.asInt() > 4) {
                throw new InvalidQuery(attr.equals("breakdownFilter.breakdown") ? "breakdownFilter.breakdown_group_type_index" : attr + ".group_type_index",
                        "a group breakdown needs breakdown_group_type_index from 0 to 4");
            }
            index = groupIndex.asInt();
        }
        return new Breakdown(property, bt, index);
    }

    /** Funnels and retention split by one breakdown. */
    private static Optional<BreakdownFilter> single(Optional<BreakdownFilter> b) {
        if (b.isPresent() && b.get().multiple()) {
            throw new InvalidQuery("breakdownFilter.breakdowns", "only TrendsQuery splits by several breakdowns");
        }
        return b;
    }

    private static Trends trends(JsonNode q) {
        Common common = common(q);
        List<Series> series = seriesList(q, true);
        JsonNode tf = q.path("trendsFilter");
        List<String> formulas = new ArrayList<>();
        if (tf.hasNonNull("formula") && !tf.get("formula").asText().isBlank()) formulas.add(tf.get("formula").asText());
        for (JsonNode f : tf.path("formulas")) formulas.add(f.asText());
        for (JsonNode f : tf.path("formulaNodes")) formulas.add(f.path("formula").asText());
        for (String f : formulas) Formula.parse(f, series.size());
        JsonNode cf = q.path("compareFilter");
        boolean compare = cf.path("compare").asBoolean(false) || tf.path("compare").asBoolean(false);
        Optional<String> compareTo = optText(cf, "compare_to", "compareFilter");
        if (compareTo.isPresent() && !compareTo.get().matches("-\\d+[hdwmy]")) {
            throw new InvalidQuery("compareFilter.compare_to", "compare_to must look like -1w, -7d, -1m or -1y");
        }
        JsonNode smoothing = tf.path("smoothingIntervals");
        if (!smoothing.isMissingNode() && !smoothing.isNull() && (!smoothing.canConvertToInt() || !smoothing.isIntegralNumber() || smoothing.intValue() < 1)) {
            throw new InvalidQuery("trendsFilter.smoothingIntervals", "smoothingIntervals must be a whole number of intervals, at least 1");
        }
        return new Trends(common, series, interval(q, "interval", Interval.DAY), breakdown(q), List.copyOf(formulas),
                compareTo, compare, tf.path("display").asText("ActionsLineGraph"), smoothing.isIntegralNumber() ? smoothing.intValue() : 1);
    }

    private static Funnels funnels(JsonNode q) {
        Common common = common(q);
        List<Series> series = seriesList(q, false);
        JsonNode ff = q.path("funnelsFilter");
        if (series.size() < 2 && !ff.path("funnelVizType").asText("steps").equals("steps")) {
            throw new InvalidQuery("series", "a funnel needs at least two steps");
        }
        FunnelOrder order = switch (ff.path("funnelOrderType").asText("ordered")) {
            case "ordered" -> FunnelOrder.ORDERED;
            case "strict" -> FunnelOrder.STRICT;
            case "unordered" -> FunnelOrder.UNORDERED;
            default -> throw new InvalidQuery("funnelsFilter.funnelOrderType", "funnelOrderType must be ordered, strict or unordered");
        };
        FunnelViz viz = switch (ff.path("funnelVizType").asText("steps")) {
            case "steps" -> FunnelViz.STEPS;
            case "time_to_convert" -> FunnelViz.TIME_TO_CONVERT;
            case "trends" -> FunnelViz.TRENDS;
            default -> throw new InvalidQuery("funnelsFilter.funnelVizType", "funnelVizType must be steps, time_to_convert or trends");
        };
        int window = intField(ff, "funnelWindowInterval", "funnelsFilter.funnelWindowInterval", 14, 1, 100_000);
        long unit = switch (ff.path("funnelWindowIntervalUnit").asText("day")) {
            case "second" -> 1;
            case "minute" -> 60;
            case "hour" -> 3600;
            case "day" -> 86400;
            case "week" -> 7 * 86400;
            case "month" -> 31 * 86400;
            default -> throw new InvalidQuery("funnelsFilter.funnelWindowIntervalUnit", "unit must be second, minute, hour, day, week or month");
        };
        List<Exclusion> exclusions = new ArrayList<>();
        JsonNode ex = ff.path("exclusions");
        for (int i = 0; i < ex.size(); i++) {
            String attr = "funnelsFilter.exclusions[" + i + "]";
            Series s = series(ex.get(i), attr, false);
            int from = intField(ex.get(i), "funnelFromStep", attr + ".funnelFromStep", 0, 0, series.size() - 1);
            int to = intField(ex.get(i), "funnelToStep", attr + ".funnelToStep", series.size() - 1, 0, series.size() - 1);
            if (to <= from) throw new InvalidQuery(attr + ".funnelToStep", "funnelToStep must be after funnelFromStep");
            exclusions.add(new Exclusion(s, from, to));
        }
        Attribution attribution = switch (ff.path("breakdownAttributionType").asText("first_touch")) {
            case "first_touch" -> Attribution.FIRST_TOUCH;
            case "last_touch" -> Attribution.LAST_TOUCH;
            case "all_events" -> Attribution.ALL_EVENTS;
            case "step" -> Attribution.STEP;
            default -> throw new InvalidQuery("funnelsFilter.breakdownAttributionType", "breakdownAttributionType must be first_touch, last_touch, all_events or step");
        };
        int attributionStep = intField(ff, "breakdownAttributionValue", "funnelsFilter.breakdownAttributionValue", 0, 0, series.size() - 1);
        Optional<Integer> fromStep = ff.hasNonNull("funnelFromStep")
                ? Optional.of(intField(ff, "funnelFromStep", "funnelsFilter.funnelFromStep", 0, 0, series.size() - 1)) : Optional.empty();
        Optional<Integer> toStep = ff.hasNonNull("funnelToStep")
                ? Optional.of(intField(ff, "funnelToStep", "funnelsFilter.funnelToStep", 0, 0, series.size() - 1)) : Optional.empty();
        int bins = intField(ff, "binCount", "funnelsFilter.binCount", 0, 0, 90);
        if (breakdown(q).filter(b -> b.breakdown().type() == BreakdownType.COHORT).isPresent()) {
            // a person in two cohorts would walk the funnel twice; trends and retention take cohort breakdowns
            throw new InvalidQuery("breakdownFilter.breakdown_type", "funnels cannot be broken down by cohort yet");
        }
        return new Funnels(common, series, interval(q, "interval", Interval.DAY), single(breakdown(q)), order, viz,
                (long) window * unit, List.copyOf(exclusions), attribution, attributionStep, fromStep, toStep, bins);
    }

    private static Retention retention(JsonNode q) {
        Common common = common(q);
        JsonNode rf = q.path("retentionFilter");
        if (!rf.isObject()) throw new InvalidQuery("retentionFilter", "retentionFilter is required");
        Series target = entity(rf.get("targetEntity"), "retentionFilter.targetEntity");
        Series returning = rf.hasNonNull("returningEntity") ? entity(rf.get("returningEntity"), "retentionFilter.returningEntity") : target;
        boolean firstTime = switch (rf.path("retentionType").asText("retention_recurring")) {
            case "retention_first_time" -> true;
            case "retention_recurring" -> false;
            default -> throw new InvalidQuery("retentionFilter.retentionType", "retentionType must be retention_first_time or retention_recurring");
        };
        Interval period = Interval.DAY;
        if (rf.hasNonNull("period")) period = Interval.parse(rf.get("period").asText(), "retentionFilter.period");
        int total = intField(rf, "totalIntervals", "retentionFilter.totalIntervals", 8, 1, 1000);
        return new Retention(common, target, returning, firstTime, period, total, rf.path("cumulative").asBoolean(false), single(breakdown(q)));
    }

    private static Lifecycle lifecycle(JsonNode q) {
        Common common = common(q);
        List<Series> series = seriesList(q, false);
        if (series.size() != 1) throw new InvalidQuery("series", "a lifecycle takes exactly one series");
        List<String> toggled = new ArrayList<>();
        for (JsonNode t : q.path("lifecycleFilter").path("toggledLifecycles")) {
            String s = t.asText();
            if (!List.of("new", "returning", "resurrecting", "dormant").contains(s)) {
                throw new InvalidQuery("lifecycleFilter.toggledLifecycles", "unknown lifecycle '" + s + "'");
            }
            toggled.add(s);
        }
        return new Lifecycle(common, series.getFirst(), interval(q, "interval", Interval.DAY), List.copyOf(toggled));
    }

    private static Stickiness stickiness(JsonNode q) {
        Common common = common(q);
        String computedAs = q.path("stickinessFilter").path("computedAs").asText("non_cumulative");
        if (!computedAs.equals("non_cumulative") && !computedAs.equals("cumulative")) {
            throw new InvalidQuery("stickinessFilter.computedAs", "computedAs must be non_cumulative or cumulative");
        }
        return new Stickiness(common, seriesList(q, false), interval(q, "interval", Interval.DAY), computedAs.equals("cumulative"));
    }

    private static Events events(JsonNode q) {
        JsonNode sel = q.get("select");
        if (sel == null || !sel.isArray() || sel.isEmpty()) throw new InvalidQuery("select", "select must be a non-empty list of columns");
        List<String> select = new ArrayList<>();
        for (int i = 0; i < sel.size(); i++) {
            if (!sel.get(i).isTextual()) throw new InvalidQuery("select[" + i + "]", "a column must be a string");
            select.add(sel.get(i).asText().trim());
        }
        List<String> orderBy = new ArrayList<>();
        for (JsonNode o : q.path("orderBy")) orderBy.add(o.asText().trim());
        if (q.path("where").isArray() && !q.path("where").isEmpty() || q.path("where").isTextual()) {
            throw new InvalidQuery("where", "HogQL 'where' expressions are not supported; use 'properties' filters");
        }
        DateRange range = new DateRange(optText(q, "after", ""), optText(q, "before", ""), true);
        for (String f : List.of("after", "before")) {
            optText(q, f, "").ifPresent(v -> {
                if (!DateRange.readable(v)) throw new InvalidQuery(f, "cannot read '" + v + "' as a date");
            });
        }
        Common c = common(q);
        FilterNode props = FilterNode.and(c.properties(), FilterNode.parse(q.get("fixedProperties"), "fixedProperties"));
        return new Events(new Common(range, props, c.filterTestAccounts()), List.copyOf(select), optText(q, "event", ""),
                List.copyOf(orderBy), intField(q, "limit", "limit", 100, 1, 10_000), intField(q, "offset", "offset", 0, 0, 1_000_000),
                optText(q, "personId", ""));
    }

    private static Actors actors(JsonNode q) {
        JsonNode src = q.path("kind").asText().equals("ActorsQuery") ? q.get("source") : q;
        if (src == null || !src.isObject()) throw new InvalidQuery("source", "ActorsQuery needs a source (InsightActorsQuery or FunnelsActorsQuery)");
        String kind = src.path("kind").asText("");
        if (!kind.equals("InsightActorsQuery") && !kind.equals("FunnelsActorsQuery")) {
            throw new InvalidQuery("source.kind", "the source must be an InsightActorsQuery or FunnelsActorsQuery");
        }
        JsonNode inner = src.get("source");
        if (inner == null || !inner.isObject()) throw new InvalidQuery("source.source", "the insight to look into is required");
        Query insight;
        try {
            insight = parse(inner);
        } catch (InvalidQuery e) {
            throw new InvalidQuery("source.source." + e.attr(), e.getMessage());
        }
        if (insight instanceof Events || insight instanceof Actors || insight instanceof Paths) {
            throw new InvalidQuery("source.source.kind", "persons can be listed for trends, funnels, retention, lifecycle and stickiness");
        }
        Optional<String> day = src.hasNonNull("day") ? Optional.of(src.get("day").asText()) : Optional.empty();
        Optional<Integer> funnelStep = src.hasNonNull("funnelStep")
                ? Optional.of(intField(src, "funnelStep", "source.funnelStep", 0, -100, 100)) : Optional.empty();
        if (funnelStep.isPresent() && (funnelStep.get() == 0)) {
            throw new InvalidQuery("source.funnelStep", "funnelStep is 1-based: n = reached step n, -n = dropped off before step n");
        }
        if (insight instanceof Funnels && funnelStep.isEmpty()) throw new InvalidQuery("source.funnelStep", "a funnel needs funnelStep");
        Optional<Integer> cohort = src.hasNonNull("interval") ? Optional.of(intField(src, "interval", "source.interval", 0, 0, 100_000)) : Optional.empty();
        if (insight instanceof Retention && cohort.isEmpty()) throw new InvalidQuery("source.interval", "retention needs interval (the cohort row)");
        if ((insight instanceof Trends || insight instanceof Lifecycle || insight instanceof Stickiness) && day.isEmpty()) {
            throw new InvalidQuery("source.day", "day is required");
        }
        Optional<String> breakdown = src.hasNonNull("breakdown") ? Optional.of(breakdownText(src.get("breakdown")))
                : src.hasNonNull("funnelStepBreakdown") ? Optional.of(breakdownText(src.get("funnelStepBreakdown"))) : Optional.empty();
        Optional<Integer> returnPeriod = src.hasNonNull("returnPeriod")
                ? Optional.of(intField(src, "returnPeriod", "source.returnPeriod", 0, 0, 100_000)) : Optional.empty();
        return new Actors(insight, day, optText(src, "status", "source"),
                src.hasNonNull("series") ? Optional.of(intField(src, "series", "source.series", 0, 0, MAX_SERIES)) : Optional.empty(),
                breakdown, funnelStep, cohort, returnPeriod,
                intField(q, "limit", "limit", 100, 1, 10_000), intField(q, "offset", "offset", 0, 0, 1_000_000));
    }

    private static String breakdownText(JsonNode b) {
        if (b.isArray() && b.size() == 1) b = b.get(0);
        return b.isTextual() ? b.asText() : b.toString();
    }

    private static Paths paths(JsonNode q) {
        Common common = common(q);
        JsonNode pf = q.path("pathsFilter");
        List<String> types = new ArrayList<>();
        for (JsonNode t : pf.path("includeEventTypes")) {
            String s = t.asText();
            if (!List.of("$pageview", "$screen", "custom_event").contains(s)) {
                throw new InvalidQuery("pathsFilter.includeEventTypes", "event types are $pageview, $screen and custom_event");
            }
            types.add(s);
        }
        if (types.isEmpty()) types.add("$pageview");
        List<String> exclude = new ArrayList<>();
        for (JsonNode t : pf.path("excludeEvents")) exclude.add(t.asText());
        return new Paths(common, List.copyOf(types), optText(pf, "startPoint", "pathsFilter"), optText(pf, "endPoint", "pathsFilter"),
                intField(pf, "stepLimit", "pathsFilter.stepLimit", 5, 2, 20), List.copyOf(exclude),
                intField(pf, "edgeLimit", "pathsFilter.edgeLimit", 50, 1, 10_000));
    }
}
