package dev.sightline.app;

import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.EventSink;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.store.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each project's retention: once shortly after start, then every day. A project's events
 * older than its {@code retention_days} (by event time, from this clock) are deleted through the
 * pipeline's writer, and with {@code delete_persons} the persons left without events.
 */
final class RetentionSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);
    static final Duration EVERY = Duration.ofDays(1);
    /** After start, so that the deletion does not compete with the server's own start-up. */
    static final Duration FIRST_AFTER = Duration.ofSeconds(30);

    private final MetaStore meta;
    private final Pipeline pipeline;
    private final Clock clock;
    private final Duration firstAfter;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("retention").factory());

    RetentionSchedule(MetaStore meta, Pipeline pipeline, Clock clock) {
        this(meta, pipeline, clock, FIRST_AFTER);
    }

    RetentionSchedule(MetaStore meta, Pipeline pipeline, Clock clock, Duration firstAfter) {
        this.meta = meta;
        this.pipeline = pipeline;
        this.clock = clock;
        this.firstAfter = firstAfter;
    }

    RetentionSchedule start() {
        timer.scheduleWithFixedDelay(this::runQuietly, firstAfter.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // shutting down, or the store refused: tomorrow's run catches up
            log.warn("retention did not run: {}", e.getMessage());
        }
    }

    /** Applies every project's retention now; returns what each project lost. */
    Map<Long, EventSink.Expired> runOnce() {
        Instant now = clock.instant();
        Map<Long, EventSink.Expired> out = new LinkedHashMap<>();
        for (Project p : meta.projects()) {
            Optional<Retention> retention = meta.retention(p.id());
            if (retention.isEmpty()) continue;
            Instant cutoff = now.minus(Duration.ofDays(retention.get().days()));
            EventSink.Expired expired = pipeline.expire(p.id(), cutoff, retention.get().deletePersons()).join();
            if (expired.events() > 0 || expired.persons() > 0) {
                log.info("project {}: retention of {} days deleted {} events before {} and {} persons left without events",
                        p.id(), retention.get().days(), expired.events(), cutoff, expired.persons());
            }
            out.put(p.id(), expired);
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
