package dev.sightline.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A month's report from the counters: projection from the recent daily rate, the organization's tiers shared by projects, identified_only. */
class UsageReportsTest {
    private static final YearMonth DEC = YearMonth.of(2026, 12);
    private static final long A = 1, B = 2, ORG = 9;

    private final MemoryUsageStore store = new MemoryUsageStore();

    private void put(long project, LocalDate day, UsageKind kind, long count) {
        store.rows.add(new UsageTally.Row(project, day, kind, "e", "web", count));
    }

    private UsageReports at(String now) {
        return new UsageReports(store, new UsageMeter(store), Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }

    @Test
    void theProjectionRunsTheLastSevenWholeDaysRateToTheMonthsEnd() {
        for (int d = 1; d <= 3; d++) put(A, DEC.atDay(d), UsageKind.ANONYMOUS, 1000); // older than the last 7 days: not in the rate
        for (int d = 4; d <= 10; d++) put(A, DEC.atDay(d), UsageKind.ANONYMOUS, 100);
        put(A, DEC.atDay(11), UsageKind.ANONYMOUS, 50);
        var u = at("2026-12-11T12:00:00Z").project(A, ORG, List.of(A), DEC);
        assertThat(u.complete()).isFalse();
        assertThat(u.dailyRate().get(UsageKind.ANONYMOUS)).isEqualTo(100.0);
        // 3,750 so far, then 100 a day for the 20.5 days left
        assertThat(u.soFar().volume().anonymous()).isEqualTo(3750);
        assertThat(u.projected().volume().anonymous()).isEqualTo(3750 + 2050);
    }

    @Test
    void onAMonthsFirstDayTheRateIsTodaysPerHourElapsed() {
        put(A, DEC.atDay(1), UsageKind.IDENTIFIED, 60);
        assertThat(at("2026-12-01T06:00:00Z").project(A, ORG, List.of(A), DEC).projected().volume().identified())
                .isEqualTo(60 + Math.round(240 * 30.75));
        // in the first hour, as if an hour had passed
        assertThat(at("2026-12-01T00:30:00Z").project(A, ORG, List.of(A), DEC).projected().volume().identified())
                .isEqualTo(60 + Math.round(60 * 24 * (30 + 23.5 / 24)));
    }

    @Test
    void aMonthThatIsOverProjectsToWhatItHas() {
        put(A, DEC.atDay(31), UsageKind.IDENTIFIED, 5);
        var u = at("2027-01-03T00:00:00Z").project(A, ORG, List.of(A), DEC);
        assertThat(u.complete()).isTrue();
        assertThat(u.projected().volume().identified()).isEqualTo(5);
        assertThat(u.dailyRate().get(UsageKind.IDENTIFIED)).isZero();
        assertThat(u.daily()).hasSize(31);
        assertThat(u.daily().get(30).counts().get(UsageKind.IDENTIFIED)).isEqualTo(5);
    }

    @Test
    void theFreeMillionAndTheTiersApplyToTheOrganizationAndEachProjectPaysItsShare() {
        put(A, DEC.atDay(2), UsageKind.ANONYMOUS, 1_500_000);
        put(B, DEC.atDay(2), UsageKind.ANONYMOUS, 500_000);
        UsageReports reports = at("2027-01-02T00:00:00Z");
        // 2M anonymous events in the organization: the second million at $0.00005 = $50
        assertThat(reports.project(A, ORG, List.of(A, B), DEC).soFar().cost().total()).isEqualByComparingTo("37.5");
        assertThat(reports.project(B, ORG, List.of(A, B), DEC).soFar().cost().total()).isEqualByComparingTo("12.5");
        var org = reports.organization(ORG, List.of(A, B), DEC);
        assertThat(org.soFar().cost().total()).isEqualByComparingTo("50");
        assertThat(org.projects()).extracting(l -> l.soFar().cost().total().doubleValue()).containsExactly(37.5, 12.5);
        assertThat(org.counts().get(UsageKind.ANONYMOUS)).isEqualTo(2_000_000);
    }

    @Test
    void identifiedOnlyMovesTheEventsOfPersonsNotIdentifiedYetToTheAnonymousPrice() {
        put(A, DEC.atDay(2), UsageKind.IDENTIFIED, 3_000_000);
        put(A, DEC.atDay(2), UsageKind.COULD_BE_ANONYMOUS, 1_000_000);
        var u = at("2027-01-02T00:00:00Z").project(A, ORG, List.of(A), DEC);
        // 3M identified: 1M free, 1M at 0.000248, 1M at 0.000124
        assertThat(u.soFar().cost().total()).isEqualByComparingTo("372");
        // 2M identified ($248) and 1M anonymous (free)
        assertThat(u.identifiedOnly().volume()).isEqualTo(new UsageReports.Volume(2_000_000, 1_000_000, 0));
        assertThat(u.identifiedOnly().cost().total()).isEqualByComparingTo("248");
    }

    @Test
    void aLimitIsNearlyReachedFromEightyPercent() {
        assertThat(UsageReports.state(OptionalLong.empty(), 10)).isEqualTo("none");
        assertThat(UsageReports.state(OptionalLong.of(100), 79)).isEqualTo("ok");
        assertThat(UsageReports.state(OptionalLong.of(100), 80)).isEqualTo("warning");
        assertThat(UsageReports.state(OptionalLong.of(100), 99)).isEqualTo("warning");
        assertThat(UsageReports.state(OptionalLong.of(100), 100)).isEqualTo("reached");
        assertThat(UsageReports.state(OptionalLong.of(0), 0)).isEqualTo("reached");
        store.setLimits(A, new BillingLimits(OptionalLong.of(10), OptionalLong.empty()));
        put(A, DEC.atDay(3), UsageKind.IDENTIFIED, 9);
        put(A, DEC.atDay(3), UsageKind.DROPPED_ANONYMOUS, 4);
        var limits = at("2026-12-05T00:00:00Z").project(A, ORG, List.of(A), DEC).limits();
        assertThat(limits).extracting(UsageReports.LimitState::state).containsExactly("warning", "none");
        assertThat(limits.get(1).dropped()).isEqualTo(4);
    }

    @Test
    void topEventsAndLibrariesComeBusiestFirst() {
        store.rows.add(new UsageTally.Row(A, DEC.atDay(1), UsageKind.ANONYMOUS, "$pageview", "web", 30));
        store.rows.add(new UsageTally.Row(A, DEC.atDay(2), UsageKind.ANONYMOUS, "$pageview", "web", 30));
        store.rows.add(new UsageTally.Row(A, DEC.atDay(2), UsageKind.ANONYMOUS, "$pageleave", "web", 40));
        store.rows.add(new UsageTally.Row(A, DEC.atDay(2), UsageKind.IDENTIFIED, "order", "posthog-node", 200));
        var u = at("2026-12-05T00:00:00Z").project(A, ORG, List.of(A), DEC);
        assertThat(u.topEvents().get(UsageKind.ANONYMOUS)).extracting(UsageReports.EventCount::event).containsExactly("$pageview", "$pageleave");
        assertThat(u.libraries()).extracting(UsageReports.LibraryUsage::lib).containsExactly("posthog-node", "web");
    }
}
