package dev.sightline.app;

import dev.sightline.api.HttpServer;
import dev.sightline.enrich.Enricher;
import dev.sightline.pipeline.EnrichmentStage;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbEvents;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbPersonReads;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbQueries;
import dev.sightline.query.QueryService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server, wired by hand in one place: store, pipeline, HTTP. */
public final class Sightline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sightline.class);

    private final Database db;
    private final Pipeline pipeline;
    private final HttpServer http;
    private final MetaStore meta;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Enricher enricher;

    private Sightline(Database db, MetaStore meta, Pipeline pipeline, HttpServer http, Enricher enricher) {
        this.enricher = enricher;
        this.db = db;
        this.meta = meta;
        this.pipeline = pipeline;
        this.http = http;
    }

    public static Sightline start(Config config, PrintStream out) {
        Clock clock = Clock.systemUTC();
        Database db = Database.open(config.dataDir());
        DuckDbMeta meta = new DuckDbMeta(db);
        Bootstrap.ensureDefaults(meta, config, out);
        DuckDbEvents events = new DuckDbEvents(db);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Enricher enricher = new Enricher(config.enrich());
        Pipeline pipeline = new Pipeline(new DuckDbIngest(db), List.of(new EnrichmentStage(enricher)),
                new Pipeline.Settings(config.queueCapacity(), config.maxBatchEvents(), config.dedupCapacity()), metrics, clock);
        AtomicBoolean ready = new AtomicBoolean();
        DuckDbQueries queryStore = new DuckDbQueries(db);
        QueryService queries = new QueryService(new DuckDbDialect(), queryStore, queryStore, queryStore, clock);
        HttpServer http = new HttpServer(meta, events, new DuckDbPersonReads(db), pipeline, metrics, ready::get, clock, queries)
                .start(config.host(), config.port());
        ready.set(true);
        log.info("Sightline listening on http://{}:{} with data in {}", config.host(), http.port(), config.dataDir().toAbsolutePath());
        return new Sightline(db, meta, pipeline, http, enricher);
    }

    public int port() {
        return http.port();
    }

    public MetaStore meta() {
        return meta;
    }

    public Project defaultProject() {
        return meta.projects().getFirst();
    }

    /** Graceful: refuse new events, commit every accepted one (their senders get their 200), then stop. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        pipeline.close();
        http.close();
        enricher.close();
        db.close();
        log.info("Sightline stopped");
    }
}
