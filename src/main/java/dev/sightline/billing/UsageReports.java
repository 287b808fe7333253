package dev.sightline.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a month of metered events costs, read from the counters kept at ingest (no event is read):
 * a project's counts by kind, its days, top events and libraries; the cost so far and projected
 * to the month's end; the same traffic with {@code person_profiles: 'identified_only'}; and its
 * limits. Prices are the organization's: the free allowance and volume tiers apply to the
 * organization's month, and each project's cost is its share of that, by its share of the events.
 */
public final class UsageReports {
    static final int TOP_EVENTS = 10;
    /** Share of a limit from which it is reported as nearly reached. */
    static final double WARNING_SHARE = 0.8;

    private final UsageStore store;
    private final UsageMeter meter;
    private final Clock clock;

    public UsageReports(UsageStore store, UsageMeter meter, Clock clock) {
        this.store = store;
        this.meter = meter;
        this.clock = clock;
    }

    /** Identified and anonymous events, and the identified ones that would be anonymous with identified_only. */
    public record Volume(long identified, long anonymous, long couldBeAnonymous) {
        static final Volume ZERO = new Volume(0, 0, 0);

        /** The same events with person processing off wherever the person was not identified yet. */
        public Volume identifiedOnly() {
            long moved = Math.min(couldBeAnonymous, identified);
            return new Volume(identified - moved, anonymous + moved, 0);
        }

        Volume plus(Volume o) {
            return new Volume(identified + o.identified, anonymous + o.anonymous, couldBeAnonymous + o.couldBeAnonymous);
        }

        Volume minus(Volume o) {
            return new Volume(identified - o.identified, anonymous - o.anonymous, couldBeAnonymous - o.couldBeAnonymous);
        }
    }

    /** In US dollars, exact (callers round for display). */
    public record Cost(BigDecimal identified, BigDecimal anonymous) {
        public BigDecimal total() {
            return identified.add(anonymous);
        }
    }

    public record Estimate(Volume volume, Cost cost) {}

    /** {@code state}: none (no limit), ok, warning (from 80% of it), reached. */
    public record LimitState(UsageKind kind, OptionalLong limit, long used, long dropped, String state) {}

    public record DayUsage(LocalDate day, Map<UsageKind, Long> counts) {}

    public record EventCount(String event, long count) {}

    public record LibraryUsage(String lib, Map<UsageKind, Long> counts) {}

    /**
     * @param complete      the month is over (its figures are final; projections equal them)
     * @param dailyRate     the recent events a day of each billed kind, behind the projection
     * @param organization  the organization's month so far, whose volume sets the tiers
     */
    public record ProjectUsage(long projectId, YearMonth month, boolean complete, Map<UsageKind, Long> counts,
                               List<DayUsage> daily, Map<UsageKind, List<EventCount>> topEvents, List<LibraryUsage> libraries,
                               Map<UsageKind, Double> dailyRate, Estimate soFar, Estimate projected, Estimate identifiedOnly,
                               Estimate projectedIdentifiedOnly, List<LimitState> limits, Volume organization, Prices prices) {}

    public record ProjectLine(long projectId, Map<UsageKind, Long> counts, Estimate soFar, Estimate projected, List<LimitState> limits) {}

    public record OrganizationUsage(long organizationId, YearMonth month, boolean complete, Map<UsageKind, Long> counts,
                                    List<DayUsage> daily, List<ProjectLine> projects, Estimate soFar, Estimate projected,
                                    Estimate identifiedOnly, Estimate projectedIdentifiedOnly, Prices prices) {}

    public Prices prices(long organizationId) {
        return store.prices(organizationId).orElse(Prices.DEFAULT);
    }

    public boolean pricesAreDefault(long organizationId) {
        return store.prices(organizationId).isEmpty();
    }

    /** Sets the organization's prices; empty: the defaults again. */
    public void setPrices(long organizationId, Optional<Prices> prices) {
        store.setPrices(organizationId, prices);
    }

    public BillingLimits limits(long projectId) {
        return meter.limits(projectId);
    }

    public void setLimits(long projectId, BillingLimits limits) {
        meter.setLimits(projectId, limits);
    }

    /** One project's month; {@code organizationProjects} are all its organization's projects (itself included). */
    public ProjectUsage project(long projectId, long organizationId, List<Long> organizationProjects, YearMonth month) {
        Instant now = clock.instant();
        Prices prices = prices(organizationId);
        Map<Long, Days> org = new LinkedHashMap<>();
        for (long id : organizationProjects) org.put(id, new Days(store.dailyTotals(id, month)));
        org.computeIfAbsent(projectId, id -> new Days(store.dailyTotals(id, month)));
        Volume orgSoFar = Volume.ZERO;
        Volume orgProjected = Volume.ZERO;
        for (Days d : org.values()) {
            orgSoFar = orgSoFar.plus(d.soFar());
            orgProjected = orgProjected.plus(d.projected(month, now));
        }
        Days mine = org.get(projectId);
        Volume soFar = mine.soFar();
        Volume projected = mine.projected(month, now);
        List<UsageTally.Row> rows = store.monthRows(projectId, month);
        Map<UsageKind, Double> rate = new EnumMap<>(UsageKind.class);
        for (UsageKind k : List.of(UsageKind.IDENTIFIED, UsageKind.ANONYMOUS)) rate.put(k, Projection.dailyRate(month, mine.of(k), now));
        return new ProjectUsage(projectId, month, complete(month, now), mine.totals(), mine.daily(month), topEvents(rows), libraries(rows), rate,
                new Estimate(soFar, share(prices, orgSoFar, soFar)),
                new Estimate(projected, share(prices, orgProjected, projected)),
                identifiedOnly(prices, orgSoFar, soFar),
                identifiedOnly(prices, orgProjected, projected),
                limitStates(projectId, mine.totals()), orgSoFar, prices);
    }

    /** The organization's month: every project's line and the bill they add up to. */
    public OrganizationUsage organization(long organizationId, List<Long> projects, YearMonth month) {
        Instant now = clock.instant();
        Prices prices = prices(organizationId);
        Map<Long, Days> byProject = new LinkedHashMap<>();
        for (long id : projects) byProject.put(id, new Days(store.dailyTotals(id, month)));
        Volume soFar = Volume.ZERO;
        Volume projected = Volume.ZERO;
        for (Days d : byProject.values()) {
            soFar = soFar.plus(d.soFar());
            projected = projected.plus(d.projected(month, now));
        }
        List<ProjectLine> lines = new ArrayList<>();
        Map<UsageKind, Long> counts = zeros();
        List<UsageStore.DayCount> all = new ArrayList<>();
        for (var e : byProject.entrySet()) {
            Days d = e.getValue();
            d.totals().forEach((k, n) -> counts.merge(k, n, Long::sum));
            all.addAll(d.counts);
            Volume p = d.projected(month, now);
            lines.add(new ProjectLine(e.getKey(), d.totals(), new Estimate(d.soFar(), share(prices, soFar, d.soFar())),
                    new Estimate(p, share(prices, projected, p)), limitStates(e.getKey(), d.totals())));
        }
        return new OrganizationUsage(organizationId, month, complete(month, now), counts, new Days(all).daily(month), lines,
                new Estimate(soFar, share(prices, soFar, soFar)), new Estimate(projected, share(prices, projected, projected)),
                identifiedOnly(prices, soFar, soFar), identifiedOnly(prices, projected, projected), prices);
    }

    private static boolean complete(YearMonth month, Instant now) {
        return !now.isBefore(Projection.start(month.plusMonths(1)));
    }

    /** A part's cost with every event of the part sent the identified_only way, the organization's other events as they are. */
    private static Estimate identifiedOnly(Prices prices, Volume organization, Volume part) {
        Volume changed = part.identifiedOnly();
        return new Estimate(changed, share(prices, organization.minus(part).plus(changed), changed));
    }

    /** The part's share of the organization's cost of each kind, by its share of that kind's events. */
    static Cost share(Prices prices, Volume organization, Volume part) {
        return new Cost(portion(prices.identified(), organization.identified(), part.identified()),
                portion(prices.anonymous(), organization.anonymous(), part.anonymous()));
    }

    private static BigDecimal portion(PriceTable table, long whole, long part) {
        if (whole <= 0 || part <= 0) return BigDecimal.ZERO;
        BigDecimal cost = table.cost(whole);
        if (part == whole) return cost;
        return cost.multiply(BigDecimal.valueOf(part)).divide(BigDecimal.valueOf(whole), 12, RoundingMode.HALF_UP);
    }

    private List<LimitState> limitStates(long projectId, Map<UsageKind, Long> totals) {
        BillingLimits limits = meter.limits(projectId);
        List<LimitState> states = new ArrayList<>();
        for (UsageKind kind : List.of(UsageKind.IDENTIFIED, UsageKind.ANONYMOUS)) {
            OptionalLong limit = limits.of(kind);
            long used = totals.get(kind);
            states.add(new LimitState(kind, limit, used, totals.get(kind.dropped()), state(limit, used)));
        }
        return states;
    }

    static String state(OptionalLong limit, long used) {
        if (limit.isEmpty()) return "none";
        if (used >= limit.getAsLong()) return "reached";
        return used >= WARNING_SHARE * limit.getAsLong() ? "warning" : "ok";
    }

    private static Map<UsageKind, List<EventCount>> topEvents(List<UsageTally.Row> rows) {
        Map<UsageKind, Map<String, Long>> byKind = new EnumMap<>(UsageKind.class);
        for (UsageTally.Row r : rows) {
            if (r.kind() == UsageKind.COULD_BE_ANONYMOUS) continue;
            byKind.computeIfAbsent(r.kind(), k -> new HashMap<>()).merge(r.event(), r.count(), Long::sum);
        }
        Map<UsageKind, List<EventCount>> top = new EnumMap<>(UsageKind.class);
        for (UsageKind kind : UsageKind.values()) {
            if (kind == UsageKind.COULD_BE_ANONYMOUS) continue;
            top.put(kind, byKind.getOrDefault(kind, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP_EVENTS).map(e -> new EventCount(e.getKey(), e.getValue())).toList());
        }
        return top;
    }

    private static List<LibraryUsage> libraries(List<UsageTally.Row> rows) {
        Map<String, Map<UsageKind, Long>> byLib = new HashMap<>();
        for (UsageTally.Row r : rows) byLib.computeIfAbsent(r.lib(), l -> zeros()).merge(r.kind(), r.count(), Long::sum);
        Comparator<LibraryUsage> busiest = Comparator.comparingLong(l -> -(l.counts().get(UsageKind.IDENTIFIED)
                + l.counts().get(UsageKind.ANONYMOUS) + l.counts().get(UsageKind.NOT_BILLED)));
        return byLib.entrySet().stream().map(e -> new LibraryUsage(e.getKey(), e.getValue()))
                .sorted(busiest.thenComparing(LibraryUsage::lib)).toList();
    }

    static Map<UsageKind, Long> zeros() {
        Map<UsageKind, Long> m = new EnumMap<>(UsageKind.class);
        for (UsageKind k : UsageKind.values()) m.put(k, 0L);
        return m;
    }

    /** A project's (or several projects') counts by day and kind. */
    private static final class Days {
        final List<UsageStore.DayCount> counts;
        private final Map<UsageKind, Map<LocalDate, Long>> byKind = new EnumMap<>(UsageKind.class);

        Days(List<UsageStore.DayCount> counts) {
            this.counts = counts;
            for (UsageStore.DayCount c : counts) byKind.computeIfAbsent(c.kind(), k -> new HashMap<>()).merge(c.day(), c.count(), Long::sum);
        }

        Map<LocalDate, Long> of(UsageKind kind) {
            return byKind.getOrDefault(kind, Map.of());
        }

        long total(UsageKind kind) {
            return of(kind).values().stream().mapToLong(Long::longValue).sum();
        }

        Map<UsageKind, Long> totals() {
            Map<UsageKind, Long> m = zeros();
            for (UsageKind k : UsageKind.values()) m.put(k, total(k));
            return m;
        }

        Volume soFar() {
            return new Volume(total(UsageKind.IDENTIFIED), total(UsageKind.ANONYMOUS), total(UsageKind.COULD_BE_ANONYMOUS));
        }

        Volume projected(YearMonth month, Instant now) {
            return new Volume(Projection.atMonthEnd(month, of(UsageKind.IDENTIFIED), now),
                    Projection.atMonthEnd(month, of(UsageKind.ANONYMOUS), now),
                    Projection.atMonthEnd(month, of(UsageKind.COULD_BE_ANONYMOUS), now));
        }

        List<DayUsage> daily(YearMonth month) {
            List<DayUsage> days = new ArrayList<>();
            for (int d = 1; d <= month.lengthOfMonth(); d++) {
                LocalDate day = month.atDay(d);
                Map<UsageKind, Long> m = zeros();
                for (UsageKind k : UsageKind.values()) m.put(k, of(k).getOrDefault(day, 0L));
                days.add(new DayUsage(day, m));
            }
            return days;
        }
    }
}
