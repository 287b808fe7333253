package dev.sightline.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TileAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TileAnswers tiles = new TileAnswers();
    private final Instant now = Instant.parse("2026-12-06T12:00:00Z");

    private static TileAnswers.Kept kept(int total, Instant at) {
        return new TileAnswers.Kept(JSON.valueToTree(Map.of("results", total)), at);
    }

    @Test
    void aTileNeverComputedIsComputedWhileTheRequestWaits() {
        AtomicInteger runs = new AtomicInteger();
        TileAnswers.Answer a = tiles.answer(Optional.empty(), now, "k", () -> Map.of("results", runs.incrementAndGet()));
        assertThat(a.result()).containsEntry("results", 1);
        assertThat(a.refreshing()).isFalse();
    }

    @Test
    void requestsForATileBeingComputedWaitForThatComputationInsteadOfStartingTheirOwn() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        java.util.function.Supplier<Map<String, Object>> slow = () -> {
            int n = runs.incrementAndGet();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("results", n);
        };
        var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> tiles.answer(Optional.empty(), now, "k", slow), threads);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> tiles.answer(Optional.empty(), now, "k", slow), threads);
        Thread.sleep(100);
        assertThat(second).isNotDone();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).result()).containsEntry("results", 1);
        assertThat(second.get(10, TimeUnit.SECONDS).result()).containsEntry("results", 1);
        assertThat(runs).hasValue(1);
        // once done, a later request with nothing kept computes again
        assertThat(tiles.answer(Optional.empty(), now, "k", slow).result()).containsEntry("results", 2);
    }

    @Test
    void aFreshKeptAnswerIsShownAsItIsWithoutComputing() {
        AtomicInteger runs = new AtomicInteger();
        TileAnswers.Answer a = tiles.answer(Optional.of(kept(7, now.minusSeconds(59))), now, "k", () -> Map.of("results", runs.incrementAndGet()));
        assertThat(a.result()).containsEntry("results", 7).containsEntry("is_cached", true);
        assertThat(a.refreshing()).isFalse();
        assertThat(runs).hasValue(0);
    }

    @Test
    void aStaleKeptAnswerIsShownAndComputedAgainOnceBehindIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        java.util.function.Supplier<Map<String, Object>> slow = () -> {
            runs.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
            return Map.of("results", 8);
        };
        Optional<TileAnswers.Kept> old = Optional.of(kept(7, now.minusSeconds(61)));
        TileAnswers.Answer first = tiles.answer(old, now, "k", slow);
        assertThat(first.result()).containsEntry("results", 7);
        assertThat(first.refreshing()).isTrue();
        // a second view while it computes: the same kept answer, still refreshing, no second computation
        TileAnswers.Answer second = tiles.answer(old, now, "k", slow);
        assertThat(second.refreshing()).isTrue();
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // once computed, a view of the newer kept answer is not refreshing
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        TileAnswers.Answer after;
        do {
            after = tiles.answer(Optional.of(kept(8, now)), now, "k", slow);
        } while (after.refreshing() && System.nanoTime() < deadline);
        assertThat(after.refreshing()).isFalse();
        assertThat(after.result()).containsEntry("results", 8);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aFailedBackgroundComputationKeepsTheOldAnswerAndIsTriedAgainOnTheNextView() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Optional<TileAnswers.Kept> old = Optional.of(kept(7, now.minusSeconds(120)));
        tiles.answer(old, now, "k", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("storage went away");
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        TileAnswers.Answer again;
        do {
            Thread.sleep(5);
            again = tiles.answer(old, now, "k", () -> Map.of("results", runs.incrementAndGet()));
        } while (runs.get() < 2 && System.nanoTime() < deadline);
        assertThat(runs.get()).isGreaterThanOrEqualTo(2);
        assertThat(again.result()).containsEntry("results", 7);
    }
}
