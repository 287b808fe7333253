package dev.sightline.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns user-agent strings into {@link DeviceFacts} with yauaa.
 *
 * <p>yauaa needs seconds to build its matchers, so it is built on a background thread from the
 * constructor on: server readiness never waits for it. Until it is ready, a call waits at most
 * until {@code startupWait} after construction, then answers empty; the event goes on without
 * browser fields rather than being held or lost.
 *
 * <p>One analyzer serves all threads; the parser's cache answers repeated strings concurrently,
 * and a miss is parsed under yauaa's own lock.
 */
final class UserAgentParser {

    private static final Logger log = LoggerFactory.getLogger(UserAgentParser.class);

    // Only the fields we map: yauaa then skips most of its rules, which cuts start time and heap.
    private static final String[] FIELDS = {
        UserAgent.AGENT_CLASS, UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION,
        UserAgent.OPERATING_SYSTEM_CLASS, UserAgent.OPERATING_SYSTEM_NAME, UserAgent.OPERATING_SYSTEM_VERSION,
        UserAgent.DEVICE_CLASS,
    };

    private final CompletableFuture<UserAgentAnalyzer> analyzer;
    private final long waitUntilNanos;
    /** Finished answers by user-agent string; null when caching is off. */
    private final Cache<String, DeviceFacts> parsed;

    /**
     * Answers with {@code analyzer} once it completes, waiting at most {@code startupWait} from now,
     * and remembers the last {@code cacheSize} user agents' facts (0: none).
     */
    UserAgentParser(CompletableFuture<UserAgentAnalyzer> analyzer, Duration startupWait, int cacheSize) {
        this.analyzer = analyzer;
        this.waitUntilNanos = System.nanoTime() + startupWait.toNanos();
        this.parsed = cacheSize > 0 ? Caffeine.newBuilder().maximumSize(cacheSize).build() : null;
    }

    // One analyzer per JVM: servers started again in the same JVM (tests, restarts) reuse it
    // instead of paying seconds of CPU for an identical one.
    private static final java.util.concurrent.atomic.AtomicReference<CompletableFuture<UserAgentAnalyzer>> SHARED =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Starts building yauaa on a daemon thread (once per JVM) and returns at once. */
    static UserAgentParser startInBackground(int cacheSize, Duration startupWait) {
        CompletableFuture<UserAgentAnalyzer> fresh = new CompletableFuture<>();
        if (SHARED.compareAndSet(null, fresh)) {
            build(fresh);
        }
        return new UserAgentParser(SHARED.get(), startupWait, cacheSize);
    }

    /** The analyzer of this JVM, once started (tests hand it to parsers of their own). */
    static CompletableFuture<UserAgentAnalyzer> shared() {
        return java.util.Objects.requireNonNull(SHARED.get(), "not started");
    }

    // yauaa's own cache is off: the parser's cache in front of it keeps the finished facts, so a
    // repeated user agent costs one map look-up instead of copying yauaa's result and mapping it.
    private static void build(CompletableFuture<UserAgentAnalyzer> analyzer) {
        Thread.ofPlatform().daemon().name("sightline-useragent-init").start(() -> {
            try {
                long started = System.nanoTime();
                var builder = UserAgentAnalyzer.newBuilder().hideMatcherLoadStats().immediateInitialization().withoutCache();
                for (String field : FIELDS) {
                    builder = builder.withField(field);
                }
                analyzer.complete(builder.build());
                log.info("user-agent parser ready in {} ms", (System.nanoTime() - started) / 1_000_000);
            } catch (Throwable e) {
                log.error("user-agent parser failed to start; events pass without browser fields", e);
                analyzer.completeExceptionally(e);
            }
        });
    }

    /** Completes when the parser can answer; the server may report it in its health output. */
    CompletableFuture<Void> ready() {
        return analyzer.thenAccept(a -> { });
    }

    /** Empty when the parser is not (yet) available. */
    Optional<DeviceFacts> parse(String userAgent) {
        if (parsed != null) {
            DeviceFacts known = parsed.getIfPresent(userAgent);
            if (known != null) return Optional.of(known);
        }
        // only answers of a ready parser are remembered: "not ready yet" is no fact about the string
        Optional<DeviceFacts> facts = analyzer().map(a -> UserAgentNames.facts(a.parse(userAgent)));
        if (parsed != null) facts.ifPresent(f -> parsed.put(userAgent, f));
        return facts;
    }

    private Optional<UserAgentAnalyzer> analyzer() {
        if (analyzer.isDone()) {
            return analyzer.isCompletedExceptionally() ? Optional.empty() : Optional.of(analyzer.resultNow());
        }
        long remaining = waitUntilNanos - System.nanoTime();
        if (remaining <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(analyzer.get(remaining, TimeUnit.NANOSECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
