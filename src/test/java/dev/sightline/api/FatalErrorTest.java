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
import java.time.Clock;
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

    private static Services services(Database db, DuckDbMeta meta, DuckDbQueries queries, Pipeline pipeline, Clock clock) {
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
                new Accounts(accounts, meta, clock), accounts, noDemo, () -> "phc_x", () -> "phx_x",
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, Map::of, clock,
                new dev.sightline.billing.UsageReports(new dev.sightline.store.duckdb.DuckDbUsage(db), dev.sightline.billing.UsageMeter.notCounting(new dev.sightline.store.duckdb.DuckDbUsage(db)), clock));
    }
}
