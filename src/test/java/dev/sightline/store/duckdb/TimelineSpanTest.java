package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimelineSpanTest {
    @Test
    void nothingFoundLooksFourTimesAsFar() {
        assertThat(TimelineSpan.next(Duration.ofHours(1), 0, 100)).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void theDensitySoFarSizesTheNextStepWithAMargin() {
        // 20 events in 1 h, 80 more needed: 4 h at that density, 5 h with the margin
        assertThat(TimelineSpan.next(Duration.ofHours(1), 20, 80)).isEqualTo(Duration.ofHours(5));
    }

    @Test
    void everyStepAtLeastDoublesTheDistanceCovered() {
        assertThat(TimelineSpan.next(Duration.ofHours(10), 99, 1)).isEqualTo(Duration.ofHours(10));
    }

    @Test
    void spansStayFarFromOverflowing() {
        Duration huge = TimelineSpan.next(Duration.ofDays(365L * 5000), 0, 1);
        assertThat(huge).isLessThan(Duration.ofDays(365L * 20_000));
        assertThat(java.time.Instant.EPOCH.minus(huge)).isNotNull();
    }
}
