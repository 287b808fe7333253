package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.billing.BillingLimits;
import dev.sightline.billing.PriceTable;
import dev.sightline.billing.Prices;
import dev.sightline.billing.UsageKind;
import dev.sightline.billing.UsageReports;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Usage and billing: a project's month of metered events and what it costs
 * ({@code /api/projects/:id/usage/}), its monthly limits ({@code .../billing_limits/}), the
 * organization's month ({@code /api/organizations/@current/usage/}) and its price tables
 * ({@code /api/organizations/@current/billing/}). Changing limits or prices takes an administrator.
 */
final class UsageEndpoint {
    private static final List<UsageKind> BILLED = List.of(UsageKind.IDENTIFIED, UsageKind.ANONYMOUS);

    private final Auth auth;
    private final UsageReports usage;
    private final MetaStore meta;
    private final ObjectMapper json;
    private final Clock clock;

    UsageEndpoint(Auth auth, UsageReports usage, MetaStore meta, ObjectMapper json, Clock clock) {
        this.auth = auth;
        this.usage = usage;
        this.meta = meta;
        this.json = json;
        this.clock = clock;
    }

    void project(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        Project project = auth.project(ctx, caller);
        ctx.json(view(usage.project(project.id(), project.organizationId(), projectsOf(project.organizationId()), month(ctx))));
    }

    void organization(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        UsageReports.OrganizationUsage o = usage.organization(caller.organizationId(), projectsOf(caller.organizationId()), month(ctx));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("organization", o.organizationId());
        m.put("month", o.month().toString());
        m.put("complete", o.complete());
        m.put("currency", "USD");
        m.put("counts", counts(o.counts()));
        m.put("daily", daily(o.daily()));
        List<Map<String, Object>> projects = new ArrayList<>();
        for (UsageReports.ProjectLine line : o.projects()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("project_id", line.projectId());
            p.put("name", meta.project(line.projectId()).map(Project::name).orElse(""));
            p.put("counts", counts(line.counts()));
            p.put("cost", cost(line.soFar().cost()));
            p.put("projected", estimate(line.projected()));
            p.put("limits", limits(line.limits()));
            projects.add(p);
        }
        m.put("projects", projects);
        m.put("cost", cost(o.soFar().cost()));
        m.put("projected", estimate(o.projected()));
        m.put("identified_only", scenario(o.identifiedOnly(), o.soFar()));
        m.put("projected_identified_only", scenario(o.projectedIdentifiedOnly(), o.projected()));
        m.put("prices", prices(o.prices()));
        ctx.json(m);
    }

    void limits(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        Project project = auth.project(ctx, caller);
        ctx.json(limitsView(project));
    }

    /** {@code {"identified": N | null, "anonymous": N | null}}: a kind left out keeps its limit, null removes it. */
    void setLimits(Context ctx) {
        Auth.Caller caller = auth.admin(ctx);
        Project project = auth.project(ctx, caller);
        JsonNode body = Params.json(ctx, json, "body");
        if (body == null || !body.isObject()) throw ApiError.invalid("body", "the body must be a JSON object such as {\"identified\": 1000000}");
        BillingLimits limits = usage.limits(project.id());
        for (UsageKind kind : BILLED) {
            String name = kind.wireName();
            if (!body.has(name)) continue;
            JsonNode v = body.get(name);
            if (v.isNull()) {
                limits = limits.with(kind, OptionalLong.empty());
            } else if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
                limits = limits.with(kind, OptionalLong.of(v.asLong()));
            } else {
                throw ApiError.invalid(name, name + " must be a whole number of events (0 or more) a month, or null for no limit");
            }
        }
        usage.setLimits(project.id(), limits);
        ctx.json(limitsView(project));
    }

    void prices(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        ctx.json(pricesView(caller.organizationId()));
    }

    /**
     * {@code {"prices": {"anonymous": [tier, ...], "identified": [tier, ...]}}} with tiers
     * {@code {"up_to": N | null, "price": "0.00005"}}; a kind left out keeps its table; {@code "prices": null}
     * goes back to the defaults.
     */
    void setPrices(Context ctx) {
        Auth.Caller caller = auth.admin(ctx);
        JsonNode body = Params.json(ctx, json, "body");
        if (body == null || !body.isObject() || !body.has("prices")) {
            throw ApiError.invalid("prices", "the body must be {\"prices\": {\"anonymous\": [...], \"identified\": [...]}} or {\"prices\": null}");
        }
        JsonNode p = body.get("prices");
        if (p.isNull()) {
            usage.setPrices(caller.organizationId(), Optional.empty());
        } else if (p.isObject()) {
            Prices current = usage.prices(caller.organizationId());
            PriceTable anonymous = p.has("anonymous") ? table(p.get("anonymous"), "prices.anonymous") : current.anonymous();
            PriceTable identified = p.has("identified") ? table(p.get("identified"), "prices.identified") : current.identified();
            usage.setPrices(caller.organizationId(), Optional.of(new Prices(anonymous, identified)));
        } else {
            throw ApiError.invalid("prices", "prices must be an object or null");
        }
        ctx.json(pricesView(caller.organizationId()));
    }

    private static PriceTable table(JsonNode tiers, String attr) {
        if (tiers == null || tiers.isNull()) {
            return attr.endsWith("identified") ? PriceTable.IDENTIFIED : PriceTable.ANONYMOUS;
        }
        if (!tiers.isArray() || tiers.isEmpty()) throw ApiError.invalid(attr, attr + " must be a list of tiers {\"up_to\": N | null, \"price\": \"0.00005\"}");
        List<PriceTable.Tier> out = new ArrayList<>();
        for (JsonNode t : tiers) {
            JsonNode upTo = t.get("up_to");
            JsonNode price = t.get("price");
            if (upTo != null && !upTo.isNull() && !(upTo.isIntegralNumber() && upTo.canConvertToLong())) {
                throw ApiError.invalid(attr, "up_to must be a whole number of events, or null for the last tier");
            }
            BigDecimal amount;
            try {
                amount = new BigDecimal(price == null ? "" : price.asText());
            } catch (NumberFormatException e) {
                throw ApiError.invalid(attr, "price must be a number of US dollars per event, such as \"0.00005\"");
            }
            try {
                out.add(new PriceTable.Tier(upTo == null || upTo.isNull() ? OptionalLong.empty() : OptionalLong.of(upTo.asLong()), amount));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid(attr, e.getMessage());
            }
        }
        try {
            return new PriceTable(out);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(attr, e.getMessage());
        }
    }

    private List<Long> projectsOf(long organizationId) {
        return meta.projects().stream().filter(p -> p.organizationId() == organizationId).map(Project::id).toList();
    }

    private YearMonth month(Context ctx) {
        return Params.string(ctx, "month").map(m -> {
            try {
                return YearMonth.parse(m.trim());
            } catch (DateTimeParseException e) {
                throw ApiError.invalid("month", "month is a calendar month such as 2026-12");
            }
        }).orElseGet(() -> YearMonth.now(clock.withZone(ZoneOffset.UTC)));
    }

    private Map<String, Object> view(UsageReports.ProjectUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project_id", u.projectId());
        m.put("month", u.month().toString());
        m.put("complete", u.complete());
        m.put("currency", "USD");
        m.put("counts", counts(u.counts()));
        m.put("daily", daily(u.daily()));
        Map<String, Object> top = new LinkedHashMap<>();
        u.topEvents().forEach((kind, events) -> top.put(kind.wireName(),
                events.stream().map(e -> Map.<String, Object>of("event", e.event(), "count", e.count())).toList()));
        m.put("top_events", top);
        m.put("libraries", u.libraries().stream().map(l -> {
            Map<String, Object> lib = new LinkedHashMap<>();
            lib.put("lib", l.lib());
            lib.putAll(counts(l.counts()));
            return lib;
        }).toList());
        Map<String, Object> rate = new LinkedHashMap<>();
        u.dailyRate().forEach((k, v) -> rate.put(k.wireName(), Math.round(v * 10) / 10.0));
        m.put("daily_rate", rate);
        m.put("cost", cost(u.soFar().cost()));
        m.put("projected", estimate(u.projected()));
        m.put("identified_only", scenario(u.identifiedOnly(), u.soFar()));
        m.put("projected_identified_only", scenario(u.projectedIdentifiedOnly(), u.projected()));
        List<Map<String, Object>> limits = limits(u.limits());
        m.put("limits", limits);
        m.put("warnings", warnings(u.limits(), u.month()));
        m.put("organization_counts", Map.of("identified", u.organization().identified(), "anonymous", u.organization().anonymous()));
        m.put("prices", prices(u.prices()));
        return m;
    }

    private Map<String, Object> limitsView(Project project) {
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        UsageReports.ProjectUsage u = usage.project(project.id(), project.organizationId(), projectsOf(project.organizationId()), month);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("month", month.toString());
        m.put("limits", limits(u.limits()));
        m.put("warnings", warnings(u.limits(), month));
        return m;
    }

    private Map<String, Object> pricesView(long organizationId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("currency", "USD");
        m.put("default", usage.pricesAreDefault(organizationId));
        m.put("prices", prices(usage.prices(organizationId)));
        m.put("default_prices", prices(Prices.DEFAULT));
        return m;
    }

    private static Map<String, Object> counts(Map<UsageKind, Long> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (UsageKind k : UsageKind.values()) m.put(k.wireName(), counts.getOrDefault(k, 0L));
        return m;
    }

    private static List<Map<String, Object>> daily(List<UsageReports.DayUsage> days) {
        return days.stream().map(d -> {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("date", d.day().toString());
            day.putAll(counts(d.counts()));
            return day;
        }).toList();
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    private static Map<String, Object> cost(UsageReports.Cost c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identified", money(c.identified()));
        m.put("anonymous", money(c.anonymous()));
        m.put("total", money(c.total()));
        return m;
    }

    private static Map<String, Object> estimate(UsageReports.Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("counts", Map.of("identified", e.volume().identified(), "anonymous", e.volume().anonymous(),
                "could_be_anonymous", e.volume().couldBeAnonymous()));
        m.put("cost", cost(e.cost()));
        return m;
    }

    /** The same events the identified_only way, and what that saves against {@code actual}. */
    private static Map<String, Object> scenario(UsageReports.Estimate identifiedOnly, UsageReports.Estimate actual) {
        Map<String, Object> m = estimate(identifiedOnly);
        m.put("saving", money(actual.cost().total()).subtract(money(identifiedOnly.cost().total())));
        return m;
    }

    private static List<Map<String, Object>> limits(List<UsageReports.LimitState> states) {
        return states.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", s.kind().wireName());
            m.put("limit", s.limit().isPresent() ? s.limit().getAsLong() : null);
            m.put("used", s.used());
            m.put("share", s.limit().isPresent() && s.limit().getAsLong() > 0
                    ? Math.round(1000.0 * s.used() / s.limit().getAsLong()) / 1000.0 : null);
            m.put("state", s.state());
            m.put("dropped", s.dropped());
            return m;
        }).toList();
    }

    /** A sentence for every limit at 80% or reached, as the app shows it. */
    private static List<Map<String, Object>> warnings(List<UsageReports.LimitState> states, YearMonth month) {
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.US);
        List<Map<String, Object>> out = new ArrayList<>();
        for (UsageReports.LimitState s : states) {
            if (!s.state().equals("warning") && !s.state().equals("reached")) continue;
            String kind = s.kind() == UsageKind.IDENTIFIED ? "Identified events" : "Anonymous events";
            long limit = s.limit().getAsLong();
            String message = s.state().equals("reached")
                    ? kind + " reached the monthly limit of " + n.format(limit) + (s.dropped() > 0 ? ": " + n.format(s.dropped())
                    + " more were dropped" : "") + ". Further ones are dropped until the limit resets on " + month.plusMonths(1).atDay(1) + "."
                    : kind + ": " + Math.round(100.0 * s.used() / limit) + "% of the monthly limit of " + n.format(limit) + " used.";
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("kind", s.kind().wireName());
            w.put("state", s.state());
            w.put("message", message);
            out.add(w);
        }
        return out;
    }

    private static Map<String, Object> prices(Prices prices) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (UsageKind kind : List.of(UsageKind.ANONYMOUS, UsageKind.IDENTIFIED)) {
            PriceTable t = prices.of(kind);
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("free_events", t.freeEvents());
            table.put("tiers", t.tiers().stream().map(tier -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("up_to", tier.upTo().isPresent() ? tier.upTo().getAsLong() : null);
                row.put("price", tier.pricePerEvent().stripTrailingZeros().toPlainString());
                return row;
            }).toList());
            m.put(kind.wireName(), table);
        }
        return m;
    }
}
