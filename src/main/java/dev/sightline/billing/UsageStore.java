package dev.sightline.billing;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where metered counts, limits and price tables are kept. The counters are written with each
 * batch's events (see {@code store.EventSink}); this port reads them and keeps the settings.
 */
public interface UsageStore {
    /** A project's counts of the month (UTC) so far, by kind; kinds without events are left out. */
    Map<UsageKind, Long> monthTotals(long projectId, YearMonth month);

    /** A project's counts of each day of the month (UTC), by kind. */
    List<DayCount> dailyTotals(long projectId, YearMonth month);

    record DayCount(java.time.LocalDate day, UsageKind kind, long count) {}

    /** Every counter row of a project's month: day, kind, event and library. */
    List<UsageTally.Row> monthRows(long projectId, YearMonth month);

    /** Every project's limits that has any. */
    Map<Long, BillingLimits> limits();

    void setLimits(long projectId, BillingLimits limits);

    /** The organization's own price tables, if it set any. */
    Optional<Prices> prices(long organizationId);

    /** Sets the organization's price tables; empty: back to the defaults. */
    void setPrices(long organizationId, Optional<Prices> prices);
}
