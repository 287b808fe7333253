package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimelineSpanTest {
    @Test
    void theFirstStepCoversAboutARowGroupAtTheAverageRate() {
        // 4 events a second
        assertThat(TimelineSpan.first(Duration.ofSeconds(2_500_000), 10_000_000, TimelineSpan.FIRST_STEP_EVENTS)).isEqualTo(Duration.ofSeconds(30_720));
        assertThat(TimelineSpan.first(Duration.ZERO, 1, 1000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aStepThatFoundNothingMakesTheNextLookFourTimesAsFar() {
        assertThat(TimelineSpan.next(Duration.ofHours(1), 0, 0, 100)).isEqualTo(Duration.ofHours(4));
        assertThat(TimelineSpan.next(Duration.ofHours(2), 50, 0, 50)).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void theDensitySoFarSizesTheNextStepWithAMargin() {
        // 20 events in 1 h, 80 more needed: 4 h at that density, 5 h with the margin
        assertThat(TimelineSpan.next(Duration.ofHours(1), 20, 20, 80)).isEqualTo(Duration.ofHours(5));
    }

    @Test
    void everyStepCoversAtLeastHalfTheDistanceSoFar() {
        assertThat(TimelineSpan.next(Duration.ofHours(10), 99, 99, 1)).isEqualTo(Duration.ofHours(5));
    }

    @Test
    void spansStayFarFromOverflowing() {
        Duration huge = TimelineSpan.next(Duration.ofDays(365L * 5000), 0, 0, 1);
        assertThat(huge).isLessThan(Duration.ofDays(365L * 20_000));
        assertThat(java.time.Instant.EPOCH.minus(huge)).isNotNull();
    }
}
