package dev.sightline.billing;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The usage store in memory, for the billing package's own tests: rows as the store would hold them. */
final class MemoryUsageStore implements UsageStore {
    final List<UsageTally.Row> rows = new ArrayList<>();
    final Map<Long, BillingLimits> limits = new HashMap<>();
    final Map<Long, Prices> prices = new HashMap<>();
    int monthLoads;

    void commit(UsageTally tally) {
        rows.addAll(tally.rows());
    }

    @Override
    public Map<UsageKind, Long> monthTotals(long projectId, YearMonth month) {
        monthLoads++;
        Map<UsageKind, Long> totals = new EnumMap<>(UsageKind.class);
        for (UsageTally.Row r : monthRows(projectId, month)) totals.merge(r.kind(), r.count(), Long::sum);
        return totals;
    }

    @Override
    public List<DayCount> dailyTotals(long projectId, YearMonth month) {
        Map<String, DayCount> byDayKind = new HashMap<>();
        for (UsageTally.Row r : monthRows(projectId, month)) {
            byDayKind.merge(r.day() + "/" + r.kind(), new DayCount(r.day(), r.kind(), r.count()),
                    (a, b) -> new DayCount(a.day(), a.kind(), a.count() + b.count()));
        }
        return List.copyOf(byDayKind.values());
    }

    @Override
    public List<UsageTally.Row> monthRows(long projectId, YearMonth month) {
        return rows.stream().filter(r -> r.projectId() == projectId && YearMonth.from(r.day()).equals(month)).toList();
    }

    @Override
    public Map<Long, BillingLimits> limits() {
        return Map.copyOf(limits);
    }

    @Override
    public void setLimits(long projectId, BillingLimits l) {
        limits.put(projectId, l);
    }

    @Override
    public Optional<Prices> prices(long organizationId) {
        return Optional.ofNullable(prices.get(organizationId));
    }

    @Override
    public void setPrices(long organizationId, Optional<Prices> p) {
        if (p.isPresent()) prices.put(organizationId, p.get()); else prices.remove(organizationId);
    }
}
