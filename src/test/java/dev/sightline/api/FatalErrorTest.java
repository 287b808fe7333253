package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.pipeline.Stage;
import dev.sightline.account.Accounts;
import dev.sightline.query.Definitions;
import dev.sightline.query.QueryService;
import dev.sightline.store.duckdb.DuckDbAccounts;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbEvents;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.store.duckdb.DuckDbPersonReads;
import dev.sightline.store.duckdb.DuckDbQueries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import dev.sightline.identity.PersonChanges;
import dev.sightline.testing.ForwardingSink;
import dev.sightline.store.EventRecord;
import dev.sightline.store.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A {@link Error} thrown while a request is handled (here a stack overflow in a stage) is answered
 * with the JSON error body that names it, and the server goes on serving.
 */
class FatalErrorTest {

    @Test
    void anErrorInAHandlerIsAnsweredWithANamedJsonErrorAndTheServerKeepsServing() throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        Stage breaking = batch -> {
            if (failed.compareAndSet(false, true)) throw new StackOverflowError("deep input");
        };
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(Files.createTempDirectory("fatal"))) {
            DuckDbMeta meta = new DuckDbMeta(db);
            String token = meta.createProject(meta.createOrganization("o"), "p", "phc_fatal", "UTC").token();
            DuckDbQueries queries = new DuckDbQueries(db);
            try (Pipeline pipeline = new Pipeline(new DuckDbIngest(db), List.of(breaking), new Pipeline.Settings(1000, 1000, 10_000, true),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
                 HttpServer http = new HttpServer(services(db, meta, queries, pipeline, clock)).start("127.0.0.1", 0)) {
                HttpClient client = HttpClient.newHttpClient();
                String body = "{\"api_key\":\"" + token + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\"}]}";
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/batch/"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();

                HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(first.statusCode()).isEqualTo(500);
                JsonNode error = new ObjectMapper().readTree(first.body());
                assertThat(error.path("type").asText()).isEqualTo("server_error");
                assertThat(error.path("detail").asText()).contains("StackOverflowError");

                HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            }
        }
    }

    /**
     * An {@link Error} on the pipeline's writer thread (the heap running out while a batch is
     * appended) used to end that thread for good: the batch's senders waited two minutes for a
     * 503, every later request too, while readiness said ready. Now the batch is rolled back, its
     * requests hear a 5xx at once, and the writer goes on with the next batch.
     */
    @Test
    void anErrorOnTheWriterThreadFailsOnlyItsBatchPromptlyAndTheWriterGoesOn() throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(Files.createTempDirectory("fatal-writer"))) {
            DuckDbMeta meta = new DuckDbMeta(db);
            String token = meta.createProject(meta.createOrganization("o"), "p", "phc_fatal", "UTC").token();
            DuckDbQueries queries = new DuckDbQueries(db);
            EventSink sink = new FailingOnce(new DuckDbIngest(db), failed);
            try (Pipeline pipeline = new Pipeline(sink, List.of(), new Pipeline.Settings(1000, 1000, 10_000, true),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
                 HttpServer http = new HttpServer(services(db, meta, queries, pipeline, clock)).start("127.0.0.1", 0)) {
                HttpClient client = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + http.port();
                String first = "{\"api_key\":\"" + token + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + FIRST_A
                        + "\"},{\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + FIRST_B + "\"}]}";
                long started = System.nanoTime();
                HttpResponse<String> failedAnswer = client.send(post(base, first), HttpResponse.BodyHandlers.ofString());
                assertThat(failedAnswer.statusCode()).as(failedAnswer.body()).isBetween(500, 599);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered promptly").isLessThan(Duration.ofSeconds(10));
                assertThat(new ObjectMapper().readTree(failedAnswer.body()).path("detail").asText()).contains("OutOfMemoryError");

                String second = "{\"api_key\":\"" + token + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + SECOND + "\"}]}";
                HttpResponse<String> ok = client.send(post(base, second), HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(base + "/_readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                // the failed batch's first row, appended before the Error, was rolled back rather than committed with the next batch
                assertThat(storedUuids(db)).containsExactly(SECOND);
            }
        }
    }

    private static final String FIRST_A = "018f0000-0000-7000-8000-00000000000a";
    private static final String FIRST_B = "018f0000-0000-7000-8000-00000000000b";
    private static final String SECOND = "018f0000-0000-7000-8000-00000000000c";

    private static HttpRequest post(String base, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/batch/")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<String> storedUuids(Database db) throws java.sql.SQLException {
        List<String> uuids = new java.util.ArrayList<>();
        try (var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT uuid::VARCHAR FROM events ORDER BY 1")) {
            while (rs.next()) uuids.add(rs.getString(1));
        }
        return uuids;
    }

    /** The store, except that the first commit runs out of heap after appending its first event. */
    private static final class FailingOnce extends ForwardingSink {
        private final AtomicBoolean failed;

        FailingOnce(EventSink store, AtomicBoolean failed) {
            super(store);
            this.failed = failed;
        }

        @Override
        public void commit(List<EventRecord> events, PersonChanges changes, dev.sightline.billing.UsageTally usage) {
            if (events.size() < 2 || !failed.compareAndSet(false, true)) {
                store.commit(events, changes, usage);
                return;
            }
            List<EventRecord> exploding = new java.util.AbstractList<>() {
                @Override
                public EventRecord get(int index) {
                    if (index > 0) throw new OutOfMemoryError("Java heap space (test)");
                    return events.get(index);
                }

                @Override
                public int size() {
                    return events.size();
                }
            };
            store.commit(exploding, changes, usage);
        }
    }

    static Services services(Database db, DuckDbMeta meta, DuckDbQueries queries, Pipeline pipeline, Clock clock) {
        DuckDbDialect dialect = new DuckDbDialect(Map.of());
        DuckDbAccounts accounts = new DuckDbAccounts(db);
        DemoProjects noDemo = new DemoProjects() {
            @Override
            public Status status(long organizationId) {
                return new Status(java.util.Optional.empty(), "none", 0, 0);
            }

            @Override
            public Status start(long organizationId) {
                throw new UnsupportedOperationException("no demo in this test");
            }
        };
        return new Services(meta, new DuckDbEvents(db), new DuckDbPersonReads(db), pipeline,
                new QueryService(dialect, queries, queries, queries, clock), new Definitions(dialect, queries, queries, clock),
                new dev.sightline.insight.Insights(new dev.sightline.store.duckdb.DuckDbInsights(db),
                        new QueryService(dialect, queries, queries, queries, clock), clock),
                new Accounts(accounts, meta, clock), accounts, noDemo, () -> "phc_x", () -> "phx_x",
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, Map::of, clock, HttpOptions.defaults(), new dev.sightline.store.duckdb.DuckDbBackups(db, clock),
                new dev.sightline.billing.UsageReports(new dev.sightline.store.duckdb.DuckDbUsage(db), dev.sightline.billing.UsageMeter.notCounting(new dev.sightline.store.duckdb.DuckDbUsage(db)), clock),
                new dev.sightline.cohort.Cohorts(new dev.sightline.store.duckdb.DuckDbCohorts(db), dialect, queries, id -> java.time.ZoneOffset.UTC, clock));
    }
}
