package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.identity.PersonChanges;
import dev.sightline.testing.ForwardingSink;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.EventRecord;
import dev.sightline.store.EventSink;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.store.duckdb.DuckDbQueries;
import dev.sightline.store.duckdb.StorageException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each capture failure has its own status and code, and a 503 says when to retry: a full queue is
 * {@code ingestion_queue_full}, a failed commit {@code storage_unavailable} (both used to be
 * {@code ingestion_queue_full}, without Retry-After).
 */
class HonestStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The store, held at its commit until released, then failing while {@code failing} says so. */
    private static final class HeldStore extends ForwardingSink {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch committing = new CountDownLatch(1);
        volatile boolean failing;

        HeldStore(EventSink store) {
            super(store);
        }

        @Override
        public void commit(List<EventRecord> events, PersonChanges changes, dev.sightline.billing.UsageTally usage) {
            committing.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failing) throw new StorageException("IO Error: No space left on device (test)", null);
            store.commit(events, changes, usage);
        }
    }

    private static HttpRequest batch(String base, String token, int events) {
        StringBuilder body = new StringBuilder("{\"api_key\":\"" + token + "\",\"batch\":[");
        for (int i = 0; i < events; i++) body.append(i == 0 ? "" : ",").append("{\"event\":\"e\",\"distinct_id\":\"d\"}");
        return HttpRequest.newBuilder(URI.create(base + "/batch/")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body + "]}")).build();
    }

    @Test
    void aFullQueueIsIngestionQueueFullAndAFailedCommitIsStorageUnavailableBothWithRetryAfter() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(Files.createTempDirectory("status"))) {
            DuckDbMeta meta = new DuckDbMeta(db);
            String token = meta.createProject(meta.createOrganization("o"), "p", "phc_status", "UTC").token();
            HeldStore store = new HeldStore(new DuckDbIngest(db));
            store.failing = true;
            try (Pipeline pipeline = new Pipeline(store, List.of(), new Pipeline.Settings(3, 1000, 10_000, true),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
                 HttpServer http = new HttpServer(FatalErrorTest.services(db, meta, new DuckDbQueries(db), pipeline, clock)).start("127.0.0.1", 0)) {
                HttpClient client = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + http.port();
                // two events of a queue of three wait while the store holds their commit; two more do not fit
                CompletableFuture<HttpResponse<String>> held = client.sendAsync(batch(base, token, 2), HttpResponse.BodyHandlers.ofString());
                assertThat(store.committing.await(20, TimeUnit.SECONDS)).isTrue();

                HttpResponse<String> full = client.send(batch(base, token, 2), HttpResponse.BodyHandlers.ofString());
                assertThat(full.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(full.body()).path("code").asText()).isEqualTo("ingestion_queue_full");
                assertThat(full.headers().firstValue("Retry-After")).isPresent();

                store.release.countDown();
                HttpResponse<String> failed = held.get(30, TimeUnit.SECONDS);
                assertThat(failed.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(failed.body()).path("code").asText()).isEqualTo("storage_unavailable");
                assertThat(failed.headers().firstValue("Retry-After")).isPresent();

                // one fits, even while the failed batch's room is being given back
                store.failing = false;
                assertThat(client.send(batch(base, token, 1), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
        }
    }
}
