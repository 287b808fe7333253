package dev.sightline.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInLimiterTest {
    @Test
    void blocksAnAccountAfterItsFailuresUntilTheOldestLeavesTheWindow() {
        AccountsTest.MovableClock clock = new AccountsTest.MovableClock();
        SignInLimiter limiter = new SignInLimiter(clock);
        for (int i = 0; i < SignInLimiter.PER_ACCOUNT - 1; i++) {
            limiter.failed("a@b.c", "10.0.0." + i);
            clock.now = clock.now.plusSeconds(60);
        }
        assertThat(limiter.blocked("a@b.c", "10.9.9.9")).isEmpty();
        limiter.failed("a@b.c", "10.0.0.99");
        assertThat(limiter.blocked("a@b.c", "10.9.9.9")).isPresent();
        assertThat(limiter.blocked("other@b.c", "10.9.9.9")).as("other accounts are not blocked").isEmpty();
        // the first failure was 9 minutes ago: it leaves the window 6 minutes from now
        Duration wait = limiter.blocked("a@b.c", "10.9.9.9").orElseThrow();
        assertThat(wait).isBetween(Duration.ofMinutes(6), Duration.ofMinutes(6).plusSeconds(2));
        clock.now = clock.now.plus(wait);
        assertThat(limiter.blocked("a@b.c", "10.9.9.9")).isEmpty();
    }

    @Test
    void blocksAnAddressThatTriesManyAccounts() {
        AccountsTest.MovableClock clock = new AccountsTest.MovableClock();
        SignInLimiter limiter = new SignInLimiter(clock);
        for (int i = 0; i < SignInLimiter.PER_ADDRESS; i++) limiter.failed("user" + i + "@b.c", "10.0.0.1");
        assertThat(limiter.blocked("fresh@b.c", "10.0.0.1")).isPresent();
        assertThat(limiter.blocked("fresh@b.c", "10.0.0.2")).isEmpty();
        limiter.succeeded("user1@b.c");
        assertThat(limiter.blocked("fresh@b.c", "10.0.0.1")).as("a success clears the account, not the address").isPresent();
    }
}
