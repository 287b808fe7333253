package dev.sightline.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Billing limits as the pipeline's writer applies them, batch by batch. */
class UsageMeterTest {
    private static final long PROJECT = 7;
    private static final Instant DEC = Instant.parse("2026-12-15T10:00:00Z");
    private static final Instant JAN = Instant.parse("2027-01-01T00:00:00Z");

    private final MemoryUsageStore store = new MemoryUsageStore();

    /** The batch as the pipeline runs it: admit, then count what is kept; returns which were kept, in order. */
    private static List<Boolean> run(UsageMeter meter, MemoryUsageStore store, Instant at, UsageKind... kinds) {
        UsageMeter.Batch batch = meter.batch();
        List<Boolean> kept = new ArrayList<>();
        for (UsageKind kind : kinds) {
            boolean ok = batch.admit(PROJECT, at, kind, "e", "web");
            if (ok) batch.count(PROJECT, at, kind, "e", "web", false);
            kept.add(ok);
        }
        store.commit(batch.tally());
        meter.committed(batch);
        return kept;
    }

    private Map<UsageKind, Long> totals(java.time.YearMonth month) {
        Map<UsageKind, Long> t = new EnumMap<>(UsageKind.class);
        for (UsageTally.Row r : store.monthRows(PROJECT, month)) t.merge(r.kind(), r.count(), Long::sum);
        return t;
    }

    @Test
    void aLimitReachedInTheMiddleOfABatchDropsExactlyTheEventsOverIt() {
        store.setLimits(PROJECT, new BillingLimits(OptionalLong.of(5), OptionalLong.empty()));
        UsageMeter meter = new UsageMeter(store);
        UsageKind i = UsageKind.IDENTIFIED, a = UsageKind.ANONYMOUS, n = UsageKind.NOT_BILLED;
        assertThat(run(meter, store, DEC, i, i, i)).containsExactly(true, true, true);
        // 2 left: the batch's third and fourth identified events are over; anonymous and not billed ones are not limited
        assertThat(run(meter, store, DEC, a, i, n, i, i, a, i, n)).containsExactly(true, true, true, true, false, true, false, true);
        assertThat(run(meter, store, DEC, i, a)).containsExactly(false, true);
        assertThat(totals(java.time.YearMonth.of(2026, 12))).containsEntry(UsageKind.IDENTIFIED, 5L)
                .containsEntry(UsageKind.DROPPED_IDENTIFIED, 3L).containsEntry(UsageKind.ANONYMOUS, 3L)
                .containsEntry(UsageKind.NOT_BILLED, 2L).doesNotContainKey(UsageKind.DROPPED_ANONYMOUS);
    }

    @Test
    void aRestartedMeterStartsFromTheCommittedCounts() {
        store.setLimits(PROJECT, new BillingLimits(OptionalLong.empty(), OptionalLong.of(4)));
        run(new UsageMeter(store), store, DEC, UsageKind.ANONYMOUS, UsageKind.ANONYMOUS, UsageKind.ANONYMOUS);
        UsageMeter restarted = new UsageMeter(store);
        assertThat(run(restarted, store, DEC, UsageKind.ANONYMOUS, UsageKind.ANONYMOUS)).containsExactly(true, false);
        // loaded once, then advanced in memory
        int loads = store.monthLoads;
        run(restarted, store, DEC, UsageKind.ANONYMOUS);
        assertThat(store.monthLoads).isEqualTo(loads);
    }

    @Test
    void limitsResetAtTheMonthsStart() {
        store.setLimits(PROJECT, new BillingLimits(OptionalLong.of(2), OptionalLong.empty()));
        UsageMeter meter = new UsageMeter(store);
        assertThat(run(meter, store, DEC, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED)).containsExactly(true, true, false);
        assertThat(run(meter, store, JAN, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED)).containsExactly(true, true, false);
        // a late event of December still counts against December's limit
        assertThat(run(meter, store, JAN.minusSeconds(1), UsageKind.IDENTIFIED)).containsExactly(false);
    }

    @Test
    void aFailedBatchCountsNothing() {
        store.setLimits(PROJECT, new BillingLimits(OptionalLong.of(3), OptionalLong.empty()));
        UsageMeter meter = new UsageMeter(store);
        UsageMeter.Batch failed = meter.batch();
        for (int k = 0; k < 3; k++) assertThat(failed.admit(PROJECT, DEC, UsageKind.IDENTIFIED, "e", "")).isTrue();
        // never committed: the retry of the same events finds the whole limit free
        assertThat(run(meter, store, DEC, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED))
                .containsExactly(true, true, true, false);
    }

    @Test
    void changedLimitsApplyFromTheNextBatch() {
        UsageMeter meter = new UsageMeter(store);
        assertThat(run(meter, store, DEC, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED)).containsExactly(true, true);
        meter.setLimits(PROJECT, new BillingLimits(OptionalLong.of(3), OptionalLong.empty()));
        assertThat(run(meter, store, DEC, UsageKind.IDENTIFIED, UsageKind.IDENTIFIED)).containsExactly(true, false);
        meter.setLimits(PROJECT, new BillingLimits(OptionalLong.of(0), OptionalLong.of(0)));
        assertThat(run(meter, store, DEC, UsageKind.ANONYMOUS, UsageKind.NOT_BILLED)).containsExactly(false, true);
        meter.setLimits(PROJECT, BillingLimits.NONE);
        assertThat(run(meter, store, DEC, UsageKind.IDENTIFIED, UsageKind.ANONYMOUS)).containsExactly(true, true);
        assertThat(store.limits()).containsEntry(PROJECT, BillingLimits.NONE);
    }

    @Test
    void identifiedEventsOfPersonsNotIdentifiedYetAreAlsoCountedApart() {
        UsageMeter meter = new UsageMeter(store);
        UsageMeter.Batch batch = meter.batch();
        batch.count(PROJECT, DEC, UsageKind.IDENTIFIED, "$pageview", "web", true);
        batch.count(PROJECT, DEC, UsageKind.IDENTIFIED, "$pageview", "web", false);
        batch.count(PROJECT, DEC, UsageKind.ANONYMOUS, "$pageview", "web", true);
        store.commit(batch.tally());
        assertThat(totals(java.time.YearMonth.of(2026, 12))).containsEntry(UsageKind.IDENTIFIED, 2L)
                .containsEntry(UsageKind.COULD_BE_ANONYMOUS, 1L).containsEntry(UsageKind.ANONYMOUS, 1L);
    }

    @Test
    void meteringOffCountsAndLimitsNothing() {
        store.setLimits(PROJECT, new BillingLimits(OptionalLong.of(0), OptionalLong.of(0)));
        UsageMeter meter = UsageMeter.notCounting(store);
        assertThat(run(meter, store, DEC, UsageKind.IDENTIFIED, UsageKind.ANONYMOUS)).containsExactly(true, true);
        assertThat(store.rows).isEmpty();
        assertThat(meter.limits(PROJECT).identified()).hasValue(0);
    }

    @Test
    void aTallyHasOneRowPerProjectDayKindEventAndLibrary() {
        UsageTally tally = new UsageTally();
        for (int k = 0; k < 1000; k++) tally.add(PROJECT, DEC.plusSeconds(k), UsageKind.ANONYMOUS, "$pageview", "web");
        tally.add(PROJECT, DEC, UsageKind.ANONYMOUS, "$pageview", "posthog-node");
        tally.add(PROJECT, Instant.parse("2026-12-15T23:59:59.999Z"), UsageKind.ANONYMOUS, "$pageview", "web");
        tally.add(PROJECT, Instant.parse("2026-12-16T00:00:00Z"), UsageKind.ANONYMOUS, "$pageview", "web");
        tally.add(PROJECT, Instant.parse("1969-12-31T23:59:59Z"), UsageKind.ANONYMOUS, "$pageview", "web");
        tally.add(PROJECT, DEC, UsageKind.ANONYMOUS, "$pageview", "x".repeat(500));
        assertThat(tally.rows()).extracting(r -> r.day() + " " + r.lib().length() + " " + r.count()).containsExactlyInAnyOrder(
                "2026-12-15 3 1001", "2026-12-15 12 1", "2026-12-16 3 1", "1969-12-31 3 1", "2026-12-15 100 1");
    }
}
