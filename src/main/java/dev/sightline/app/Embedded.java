package dev.sightline.app;

import dev.sightline.billing.UsageMeter;
import dev.sightline.enrich.Enricher;
import dev.sightline.pipeline.EnrichmentStage;
import dev.sightline.pipeline.IpPrivacyStage;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.pipeline.Stage;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbEvents;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.store.duckdb.DuckDbUsage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data directory opened for ingestion: database, stores, and the pipeline with its stages,
 * wired once for the server and for the commands that write without it (demo, import), so an
 * import is enriched and identity-processed exactly like live traffic. DuckDB lets one process
 * own the file, so those commands run while the server is stopped.
 */
final class Embedded implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Embedded.class);
    final Database db;
    final DuckDbMeta meta;
    final DuckDbEvents events;
    final DuckDbUsage usage;
    final UsageMeter meter;
    final Pipeline pipeline;
    private final Optional<Enricher> enricher;
    private final ScheduledExecutorService compaction;

    /**
     * How often merges' read-time overrides are folded into the events. Every person query joins
     * the override table, so it should stay small; one fold costs one pass over the events.
     */
    static final Duration OVERRIDE_COMPACTION_EVERY = Duration.ofMinutes(5);

    private Embedded(Database db, DuckDbMeta meta, DuckDbEvents events, DuckDbUsage usage, UsageMeter meter, Pipeline pipeline,
                     Optional<Enricher> enricher) {
        this.db = db;
        this.meta = meta;
        this.events = events;
        this.usage = usage;
        this.meter = meter;
        this.pipeline = pipeline;
        this.enricher = enricher;
        this.compaction = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("override-compaction").factory());
        long every = OVERRIDE_COMPACTION_EVERY.toSeconds();
        compaction.scheduleWithFixedDelay(this::compactOverrides, every, every, TimeUnit.SECONDS);
    }

    private void compactOverrides() {
        try {
            long rewritten = pipeline.compactOverrides().join();
            if (rewritten > 0) LOG.info("folded person overrides into {} events", rewritten);
        } catch (RuntimeException e) {
            // shutting down, or the store refused: the overrides stay and answers stay right
            LOG.warn("compacting person overrides did not run: {}", e.getMessage());
        }
    }

    static Embedded open(Config config, MeterRegistry metrics, Clock clock) {
        Database db = Database.open(config.dataDir(), config.memory().duckDbBytes());
        DuckDbMeta meta = new DuckDbMeta(db);
        DuckDbEvents events = new DuckDbEvents(db);
        // without enrichment, don't pay for the user-agent parser's seconds of start-up CPU
        Optional<Enricher> enricher = config.enrichment() ? Optional.of(new Enricher(config.enrich())) : Optional.empty();
        List<Stage> stages = new java.util.ArrayList<>();
        enricher.ifPresent(e -> stages.add(new EnrichmentStage(e, config.dropBots())));
        stages.add(new IpPrivacyStage(meta::anonymizeIps));
        DuckDbUsage usage = new DuckDbUsage(db);
        UsageMeter meter = config.metering() ? new UsageMeter(usage) : UsageMeter.notCounting(usage);
        DuckDbIngest ingest = new DuckDbIngest(db);
        io.micrometer.core.instrument.FunctionCounter.builder("sightline_metering_store_seconds", ingest, i -> i.usageWriteNanos() / 1e9)
                .description("time the writer spent appending and folding usage counters").register(metrics);
        Pipeline pipeline = new Pipeline(ingest, stages,
                new Pipeline.Settings(config.queueCapacity(), config.maxBatchEvents(), config.dedupCapacity(), config.personProcessing()),
                meter, metrics, clock);
        return new Embedded(db, meta, events, usage, meter, pipeline, enricher);
    }

    /** How the parts that start in the background are doing, for /_health. */
    Map<String, String> components() {
        String parser = enricher.map(e -> {
            var future = e.userAgentParserReady();
            if (!future.isDone()) return "starting";
            return future.isCompletedExceptionally() ? "failed" : "ready";
        }).orElse("off");
        return Map.of("user_agent_parser", parser);
    }

    /** Before the pipeline stops, so no timer hands it work it would refuse. */
    void stopTimers() {
        compaction.shutdownNow();
    }

    /** After the pipeline has stopped. */
    void closeStores() {
        stopTimers();
        enricher.ifPresent(Enricher::close);
        db.close();
    }

    /** Commits every accepted event, then closes the database. */
    @Override
    public void close() {
        stopTimers();
        pipeline.close();
        closeStores();
    }
}
