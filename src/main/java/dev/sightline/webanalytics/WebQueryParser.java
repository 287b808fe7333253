package dev.sightline.webanalytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.FilterNode;
import dev.sightline.query.Interval;
import dev.sightline.query.InvalidQuery;
import dev.sightline.query.PropertyFilter;
import dev.sightline.query.Query;
import dev.sightline.query.QueryParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostHog web query JSON → a validated {@link WebQuery}; every mistake is an {@link InvalidQuery}
 * naming its field, so the runner only sees queries it can answer.
 */
final class WebQueryParser {
    private WebQueryParser() {}

    static final int MAX_LIMIT = 1000;
    static final int MAX_GOALS = 20;

    static boolean handles(String kind) {
        return switch (kind) {
            case "WebOverviewQuery", "WebStatsTableQuery", "WebGoalsQuery", "WebTrendsQuery", "WebLiveVisitorsQuery" -> true;
            default -> false;
        };
    }

    static WebQuery parse(JsonNode q) {
        Query.Common common = QueryParser.common(q);
        checkFilters(common.properties());
        String kind = q.path("kind").asText("");
        return switch (kind) {
            case "WebOverviewQuery" -> new WebQuery.Overview(common, compare(q), goal(q.get("conversionGoal"), "conversionGoal"));
            case "WebStatsTableQuery" -> table(q, common);
            case "WebGoalsQuery" -> new WebQuery.Goals(common, compare(q), goals(q), limit(q, 10));
            case "WebTrendsQuery" -> new WebQuery.Trends(common, interval(q), metrics(q));
            case "WebLiveVisitorsQuery" -> new WebQuery.Live(common);
            default -> throw new InvalidQuery("kind", "unsupported query kind '" + kind + "'");
        };
    }

    /** Every filter must name a dimension the rollups keep, or be a person property. */
    private static void checkFilters(FilterNode properties) {
        properties.leaves().forEach(f -> {
            if (f.scope() == PropertyFilter.Scope.PERSON) return;
            if (f.scope() == PropertyFilter.Scope.GROUP || Breakdown.byKey(f.key()).isEmpty()) {
                throw new InvalidQuery("properties", "web analytics filters by its dimensions only: '" + f.key()
                        + "' is not one of them (see docs/web-analytics.md)");
            }
        });
    }

    private static WebQuery.StatsTable table(JsonNode q, Query.Common common) {
        JsonNode b = q.get("breakdownBy");
        if (b == null || !b.isTextual()) throw new InvalidQuery("breakdownBy", "breakdownBy is required: Page, InitialPage, ExitPage, Browser, ...");
        Breakdown breakdown = Breakdown.byWire(b.asText())
                .orElseThrow(() -> new InvalidQuery("breakdownBy", "unsupported breakdownBy '" + b.asText() + "'"));
        WebQuery.Column order = WebQuery.Column.VISITORS;
        boolean ascending = false;
        JsonNode o = q.get("orderBy");
        if (o != null && !o.isNull()) {
            if (!o.isArray() || o.isEmpty() || o.size() > 2 || !o.get(0).isTextual()) {
                throw new InvalidQuery("orderBy", "orderBy must be [column, \"ASC\"|\"DESC\"]");
            }
            order = switch (o.get(0).asText()) {
                case "Visitors" -> WebQuery.Column.VISITORS;
                case "Views" -> WebQuery.Column.VIEWS;
                case "BounceRate" -> WebQuery.Column.BOUNCE_RATE;
                case "TotalConversions" -> WebQuery.Column.TOTAL_CONVERSIONS;
                case "UniqueConversions" -> WebQuery.Column.UNIQUE_CONVERSIONS;
                case "ConversionRate" -> WebQuery.Column.CONVERSION_RATE;
                default -> throw new InvalidQuery("orderBy", "cannot order by '" + o.get(0).asText() + "'");
            };
            if (o.size() == 2) {
                String dir = o.get(1).asText("");
                if (!dir.equals("ASC") && !dir.equals("DESC")) throw new InvalidQuery("orderBy", "the direction must be ASC or DESC");
                ascending = dir.equals("ASC");
            }
        }
        Optional<WebQuery.Goal> goal = goal(q.get("conversionGoal"), "conversionGoal");
        if (order == WebQuery.Column.BOUNCE_RATE && !breakdown.hasBounce()) {
            throw new InvalidQuery("orderBy", "a " + breakdown.wire + " table has no bounce rate");
        }
        if (order.ordinal() >= WebQuery.Column.TOTAL_CONVERSIONS.ordinal() && goal.isEmpty()) {
            throw new InvalidQuery("orderBy", "conversion columns need a conversionGoal");
        }
        return new WebQuery.StatsTable(common, compare(q), breakdown, goal, order, ascending, limit(q, 10), offset(q));
    }

    private static boolean compare(JsonNode q) {
        JsonNode c = q.get("compareFilter");
        if (c == null || c.isNull()) return q.path("compare").asBoolean(false);
        if (!c.isObject()) throw new InvalidQuery("compareFilter", "compareFilter must be an object");
        JsonNode v = c.get("compare");
        if (v != null && !v.isNull() && !v.isBoolean()) throw new InvalidQuery("compareFilter.compare", "compare must be true or false");
        if (c.hasNonNull("compare_to")) throw new InvalidQuery("compareFilter.compare_to", "web analytics compares with the previous period only");
        return v != null && v.asBoolean(false);
    }

    private static int limit(JsonNode q, int dflt) {
        JsonNode l = q.get("limit");
        if (l == null || l.isNull()) return dflt;
        if (!l.isIntegralNumber() || l.asInt() < 1 || l.asInt() > MAX_LIMIT) {
            throw new InvalidQuery("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return l.asInt();
    }

    private static int offset(JsonNode q) {
        JsonNode l = q.get("offset");
        if (l == null || l.isNull()) return 0;
        if (!l.isIntegralNumber() || l.asInt() < 0 || l.asLong() > 1_000_000) throw new InvalidQuery("offset", "offset must be a whole number from 0");
        return l.asInt();
    }

    private static Interval interval(JsonNode q) {
        JsonNode v = q.get("interval");
        if (v == null || v.isNull()) return Interval.DAY;
        if (!v.isTextual()) throw new InvalidQuery("interval", "interval must be a string");
        Interval i = Interval.parse(v.asText(), "interval");
        if (i != Interval.HOUR && i != Interval.DAY && i != Interval.WEEK && i != Interval.MONTH) {
            throw new InvalidQuery("interval", "interval must be hour, day, week or month");
        }
        return i;
    }

    private static List<WebQuery.Metric> metrics(JsonNode q) {
        JsonNode m = q.get("metrics");
        if (m == null || m.isNull()) return List.of(WebQuery.Metric.UNIQUE_USERS, WebQuery.Metric.PAGE_VIEWS, WebQuery.Metric.SESSIONS);
        if (!m.isArray() || m.isEmpty()) throw new InvalidQuery("metrics", "metrics must be a non-empty list");
        List<WebQuery.Metric> out = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            String name = m.get(i).asText("");
            WebQuery.Metric found = null;
            for (WebQuery.Metric x : WebQuery.Metric.values()) if (x.wire.equals(name)) found = x;
            if (found == null) throw new InvalidQuery("metrics[" + i + "]", "unsupported metric '" + name + "'");
            if (!out.contains(found)) out.add(found);
        }
        return out;
    }

    private static List<WebQuery.Goal> goals(JsonNode q) {
        JsonNode g = q.get("goals");
        List<WebQuery.Goal> out = new ArrayList<>();
        if (g == null || g.isNull()) return out;
        if (!g.isArray()) throw new InvalidQuery("goals", "goals must be a list of conversion goals");
        if (g.size() > MAX_GOALS) throw new InvalidQuery("goals", "at most " + MAX_GOALS + " goals");
        for (int i = 0; i < g.size(); i++) out.add(goal(g.get(i), "goals[" + i + "]").orElseThrow(
                () -> new InvalidQuery("goals", "a goal may not be null")));
        return out;
    }

    /**
     * PostHog's {@code CustomEventConversionGoal} ({@code customEventName}), and a page goal of our
     * own, {@code PageConversionGoal} ({@code pathname}): PostHog expresses that one as an action.
     */
    static Optional<WebQuery.Goal> goal(JsonNode g, String attr) {
        if (g == null || g.isNull()) return Optional.empty();
        if (!g.isObject()) throw new InvalidQuery(attr, "a conversion goal must be an object");
        String kind = g.path("kind").asText("");
        return switch (kind) {
            case "CustomEventConversionGoal" -> Optional.of(new WebQuery.Goal(false, text(g, "customEventName", attr)));
            case "PageConversionGoal" -> Optional.of(new WebQuery.Goal(true, text(g, "pathname", attr)));
            case "ActionConversionGoal" -> throw new InvalidQuery(attr + ".kind", "actions are not supported yet: use an event or a page goal");
            default -> throw new InvalidQuery(attr + ".kind", "a goal's kind is CustomEventConversionGoal or PageConversionGoal");
        };
    }

    private static String text(JsonNode g, String field, String attr) {
        JsonNode v = g.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw new InvalidQuery(attr + "." + field, field + " must be a non-empty string");
        if (v.asText().length() > 400) throw new InvalidQuery(attr + "." + field, field + " is too long");
        return v.asText();
    }
}
