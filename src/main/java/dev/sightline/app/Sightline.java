package dev.sightline.app;

import dev.sightline.account.Accounts;
import dev.sightline.api.HttpServer;
import dev.sightline.api.Services;
import dev.sightline.billing.UsageReports;
import dev.sightline.cohort.Cohorts;
import dev.sightline.store.duckdb.DuckDbCohorts;
import dev.sightline.query.Definitions;
import dev.sightline.insight.Insights;
import dev.sightline.store.duckdb.DuckDbAccounts;
import dev.sightline.store.duckdb.DuckDbBackups;
import dev.sightline.store.duckdb.DuckDbInsights;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.store.duckdb.DuckDbPersonReads;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.MaterializedProperties;
import dev.sightline.store.duckdb.DuckDbQueries;
import dev.sightline.query.QueryService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server, wired by hand in one place: store, pipeline (see {@link Embedded}), HTTP. */
public final class Sightline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sightline.class);

    private final Embedded core;
    private final HttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Accounts accounts;

    private final RetentionSchedule retention;

    /** Recomputes the cohorts' stored membership every few minutes (see Cohorts). */
    private AutoCloseable cohortTimer = () -> { };

    private Sightline(Embedded core, HttpServer http, Accounts accounts, RetentionSchedule retention) {
        this.core = core;
        this.http = http;
        this.accounts = accounts;
        this.retention = retention;
    }

    /** Users, sign-in and the set-up code (tests and the command line create users through it). */
    public Accounts accounts() {
        return accounts;
    }

    public static Sightline start(Config config, PrintStream out) {
        Clock clock = Clock.systemUTC();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // heap and non-heap use by pool, beside the ingest figures: what a soak watches for growth
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(metrics);
        Embedded core = Embedded.open(config, metrics, clock);
        Bootstrap.ensureDefaults(core.meta, config, out);
        AtomicBoolean ready = new AtomicBoolean();
        DuckDbQueries queryStore = new DuckDbQueries(core.db);
        // properties with a column of their own are read from it (see MaterializedProperties)
        DuckDbDialect dialect = new DuckDbDialect(MaterializedProperties.load(core.db));
        Cohorts cohorts = new Cohorts(new DuckDbCohorts(core.db), dialect, queryStore, id -> core.meta.project(id).map(Sightline::zone)
                .orElse(java.time.ZoneOffset.UTC), clock);
        QueryService queries = new QueryService(dialect, queryStore, queryStore, queryStore, clock, cohorts,
                java.util.List.of(new dev.sightline.webanalytics.WebAnalytics()));
        DuckDbAccounts accountStore = new DuckDbAccounts(core.db);
        Accounts accounts = new Accounts(accountStore, core.meta, clock);
        DuckDbInsights insightStore = new DuckDbInsights(core.db);
        DemoProjectsInBackground demo = new DemoProjectsInBackground(core.meta, insightStore, core.pipeline, new DemoProject.Options(300_000, 28, 42));
        HttpServer http = new HttpServer(new Services(core.meta, core.events, new DuckDbPersonReads(core.db), core.pipeline, queries,
                new Definitions(dialect, queryStore, queryStore, clock), new Insights(insightStore, queries, clock), accounts, accountStore, demo,
                Keys::projectToken, Keys::personalApiKey, metrics, ready::get, core::components, clock, config.http(), new DuckDbBackups(core.db, clock),
                new UsageReports(core.usage, core.meter, clock), cohorts))
                .start(config.host(), config.port());
        ready.set(true);
        log.info("Sightline listening on http://{}:{} with data in {}", config.host(), http.port(), config.dataDir().toAbsolutePath());
        long heap = Runtime.getRuntime().maxMemory();
        log.info("memory: {}; this JVM's heap is {} MiB{}", config.memory(), heap / (1024 * 1024),
                Math.abs(heap - config.memory().heapBytes()) > config.memory().heapBytes() / 5 ? " (start it with ./sightline, or -Xmx"
                        + config.memory().heapBytes() / (1024 * 1024) + "m, to match)" : "");
        accounts.setupCode().ifPresent(code -> out.printf("""

                Open the web app to create the first user: http://localhost:%d/setup
                  Set-up code: %s

                """, http.port(), code));
        Sightline started = new Sightline(core, http, accounts, new RetentionSchedule(core.meta, core.pipeline, clock).start());
        started.cohortTimer = cohorts.schedule(java.time.Duration.ofMinutes(COHORT_MINUTES));
        return started;
    }

    /** How often the stored cohort membership is refreshed; queries never wait for it (they evaluate definitions). */
    private static final long COHORT_MINUTES = Long.getLong("sightline.cohortMinutes", 5);

    private static java.time.ZoneId zone(Project p) {
        try {
            return java.time.ZoneId.of(p.timezone());
        } catch (java.time.DateTimeException e) {
            return java.time.ZoneOffset.UTC;
        }
    }

    public int port() {
        return http.port();
    }

    public MetaStore meta() {
        return core.meta;
    }

    public Project defaultProject() {
        return core.meta.projects().getFirst();
    }

    /** For demo mode: the server's own pipeline, so the demo traffic takes the capture path. */
    /** Folds the merges' read-time overrides into the stored events now (it also runs on a timer); returns the events rewritten. */
    public long compactOverrides() {
        return core.pipeline.compactOverrides().join();
    }

    Embedded core() {
        return core;
    }

    /** Graceful: refuse new events, commit every accepted one (their senders get their 200), then stop. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        core.stopTimers();
        try {
            cohortTimer.close();
        } catch (Exception e) {
            log.warn("stopping the cohort timer failed", e);
        }
        retention.close();
        core.pipeline.close();
        http.close();
        core.closeStores();
        log.info("Sightline stopped");
    }
}
