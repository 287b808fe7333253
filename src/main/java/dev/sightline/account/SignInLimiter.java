package dev.sightline.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Failed sign-ins counted in a sliding window, per account and per client address: 10 failures
 * for one email or 30 from one address within 15 minutes refuse further attempts (right or wrong)
 * until the oldest failure leaves the window. A success clears the account's count.
 */
public final class SignInLimiter {
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final int PER_ACCOUNT = 10;
    public static final int PER_ADDRESS = 30;

    private final Clock clock;
    private final Cache<String, Deque<Instant>> failures = Caffeine.newBuilder().expireAfterAccess(WINDOW).maximumSize(100_000).build();

    public SignInLimiter(Clock clock) {
        this.clock = clock;
    }

    /** How long the caller must wait, if the account or the address is over its limit. */
    public Optional<Duration> blocked(String email, String address) {
        Instant now = clock.instant();
        Optional<Duration> byAccount = wait("account:" + email, PER_ACCOUNT, now);
        Optional<Duration> byAddress = wait("address:" + address, PER_ADDRESS, now);
        if (byAccount.isPresent() && byAddress.isPresent()) {
            return Optional.of(byAccount.get().compareTo(byAddress.get()) > 0 ? byAccount.get() : byAddress.get());
        }
        return byAccount.isPresent() ? byAccount : byAddress;
    }

    public void failed(String email, String address) {
        Instant now = clock.instant();
        for (String key : new String[] {"account:" + email, "address:" + address}) {
            Deque<Instant> times = failures.get(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
                while (times.size() > Math.max(PER_ACCOUNT, PER_ADDRESS)) times.removeFirst();
            }
        }
    }

    public void succeeded(String email) {
        failures.invalidate("account:" + email);
    }

    private Optional<Duration> wait(String key, int limit, Instant now) {
        Deque<Instant> times = failures.getIfPresent(key);
        if (times == null) return Optional.empty();
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) times.removeFirst();
            if (times.size() < limit) return Optional.empty();
            // the attempt that would free a slot: the limit-th newest failure leaving the window
            Instant freeAt = times.stream().skip(times.size() - limit).findFirst().orElseThrow().plus(WINDOW);
            return Optional.of(Duration.between(now, freeAt).plusSeconds(1));
        }
    }
}
