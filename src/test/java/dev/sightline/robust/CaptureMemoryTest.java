package dev.sightline.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many large requests at once may hold only so much of the heap: past it, capture answers 503
 * with Retry-After instead of reading more. Before, parallel batches each decoded into trees of
 * several times their size until the heap ran out (a 1 GiB heap reached 2.2 GB of memory with 30).
 * Here 24 batches of 8 MiB of JSON meet a 256 MiB heap at once: every answer is a 200 or a 503,
 * every 200's events are stored, and the server keeps serving.
 */
class CaptureMemoryTest {
    private static final int CLIENTS = 24;
    private static final int EVENTS_PER_BATCH = 7_000;

    @TempDir
    Path tmp;

    @Test
    void parallelLargeBatchesGet200Or503AndEvery200IsStored() throws Exception {
        try (ServerProcess server = ServerProcess.builder(tmp.resolve("data")).jvmOption("-Xmx256m")
                .serverOption("--enrichment=false").start()) {
            Map<Integer, List<String>> acked = new ConcurrentHashMap<>();
            Map<Integer, String> answers = new ConcurrentHashMap<>();
            CountDownLatch ready = new CountDownLatch(CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    List<ObjectNode> events = new ArrayList<>();
                    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                        ObjectNode e = Wire.event(UUID.randomUUID(), "memory-" + client, "large batch");
                        ((ObjectNode) e.get("properties")).put("padding", "p".repeat(900) + i);
                        events.add(e);
                    }
                    byte[] body = Wire.gzip(Wire.bytes(Wire.batch(server.token(), events)));
                    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/batch/"))
                                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        ready.countDown();
                        go.await();
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        answers.put(client, r.statusCode() + (r.statusCode() == 503 ? " retry-after=" + r.headers().firstValue("Retry-After").orElse("none") : "")
                                + " " + Wire.abbreviate(r.body()));
                        if (r.statusCode() == 200) acked.put(client, events.stream().map(e -> e.get("uuid").asText()).toList());
                    } catch (Exception e) {
                        answers.put(client, "no answer: " + e);
                    }
                }));
            }
            ready.await();
            go.countDown();
            for (Thread t : clients) t.join(Duration.ofMinutes(4));
            System.out.println("capture memory test answers: " + answers);

            assertThat(answers).hasSize(CLIENTS);
            assertThat(answers.values()).allSatisfy(a -> assertThat(a).matches("(200 .*|503 retry-after=1 .*capture_busy.*)"));
            assertThat(acked).as("some batches are stored").isNotEmpty();
            assertThat(server.isAlive()).isTrue();
            Wire wire = new Wire(server.baseUrl(), server.personalKey());
            for (var e : acked.entrySet()) {
                assertThat(wire.storedUuidCounts("memory-" + e.getKey()).keySet()).containsExactlyInAnyOrderElementsOf(e.getValue());
            }
            // and it still takes a small request
            assertThat(wire.postJson("/batch/", Wire.batch(server.token(), Wire.event(UUID.randomUUID(), "after", "small"))).status()).isEqualTo(200);
        }
    }
}
