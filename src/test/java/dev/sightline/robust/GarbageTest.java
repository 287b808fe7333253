package dev.sightline.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand seeded garbage requests over real HTTP, with valid events of known uuids between
 * them: garbage is refused with a 4xx (or accepted, when a mutation happens to stay valid), never
 * a 5xx; the server keeps serving; and every valid event sent in between is stored exactly once.
 *
 * <p>Reproduce a run with {@code -Dsightline.garbage.seed=N}; {@code -Dsightline.garbage.count=N}
 * changes its size.
 */
class GarbageTest {
    private static final long SEED = Long.getLong("sightline.garbage.seed", 20260401L);
    private static final int COUNT = Integer.getInteger("sightline.garbage.count", 10_000);
    private static final int VALID_EVERY = 20;
    private static final int SENDERS = 4;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private record Outcome(Garbage.Request request, int status, String body) {}

    @Test
    void garbageIsRefusedAndValidEventsBetweenItAreStored() throws Exception {
        Wire wire = new Wire(server.baseUrl(), server.personalKey());
        Garbage garbage = new Garbage(server.token(), SEED);
        String validDistinctId = "valid-" + SEED + "-" + UUID.randomUUID();

        List<Outcome> garbageOutcomes = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> validSent = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();

        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < SENDERS; t++) {
            running.add(senders.submit(() -> {
                for (int i = next.getAndIncrement(); i < COUNT; i = next.getAndIncrement()) {
                    if (i % VALID_EVERY == 0) {
                        sendValid(wire, i, validDistinctId, validSent, failures);
                    }
                    Garbage.Request request = garbage.request(i);
                    // Jetty refuses an overlong request line and drops the connection without saying
                    // so; BadInputTest.overlongUriIsRefusedCleanly pins that down, so such requests
                    // get a connection of their own here and cannot fail the next request.
                    try {
                        Wire.Response response = request.pathAndQuery().length() > 4096
                                ? wire.sendAlone(request.method(), request.pathAndQuery(),
                                        request.contentType(), request.contentEncoding(), request.body())
                                : wire.send(request.method(), request.pathAndQuery(),
                                        request.contentType(), request.contentEncoding(), request.body());
                        garbageOutcomes.add(new Outcome(request, response.status(), response.body()));
                    } catch (IOException e) {
                        failures.add("garbage #" + i + " got no answer (" + e + "): " + request.describe());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        senders.shutdown();

        Map<String, Map<Integer, Integer>> statusesByKind = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Outcome o : garbageOutcomes) {
            statusesByKind.computeIfAbsent(o.request().kind(), k -> new TreeMap<>()).merge(o.status(), 1, Integer::sum);
            boolean acceptable = (o.status() >= 400 && o.status() < 500) || o.status() == 200 || o.status() == 204;
            if (!acceptable) {
                wrong.add(o.status() + " " + Wire.abbreviate(o.body()) + " for " + o.request().describe());
            } else if (o.status() >= 400 && o.status() != 414 && o.status() != 431 && !isErrorBody(o.body())) {
                // 414/431 come from Jetty before routing; their body is checked in BadInputTest
                wrong.add("error body is not {type, code, detail}: " + o.status() + " " + Wire.abbreviate(o.body())
                        + " for " + o.request().describe());
            }
        }
        System.out.println("garbage (seed " + SEED + "): statuses by kind " + statusesByKind);

        assertThat(failures).as("requests without an answer, or valid events refused").isEmpty();
        assertThat(wrong).as("garbage answered with something else than 4xx or success").isEmpty();
        assertThat(garbageOutcomes).hasSize(COUNT);
        // the generator must really produce garbage: most of it refused, in every kind
        long refused = garbageOutcomes.stream().filter(o -> o.status() >= 400).count();
        assertThat(refused).as("refused garbage requests").isGreaterThan(COUNT / 2);
        statusesByKind.forEach((kind, statuses) -> assertThat(statuses.keySet().stream().anyMatch(s -> s >= 400))
                .as("some %s garbage refused: %s", kind, statuses).isTrue());

        assertThat(wire.get("/_health").status()).as("server still healthy").isEqualTo(200);
        Map<String, Integer> stored = wire.storedUuidCounts(validDistinctId);
        assertThat(stored).as("valid events stored, each once").isEqualTo(validSent);
    }

    /** A valid batch of 1-3 known events in a random SDK encoding; it must be accepted. */
    private static void sendValid(Wire wire, int index, String distinctId, Map<String, Integer> sent,
                                  List<String> failures) {
        Random r = new Random(SEED ^ index);
        List<ObjectNode> events = new ArrayList<>();
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            events.add(Wire.event(UUID.randomUUID(), distinctId, "valid " + r.nextInt(3)));
        }
        byte[] json = Wire.bytes(Wire.batch(server.token(), events));
        String path = Wire.CAPTURE_PATHS.get(r.nextInt(Wire.CAPTURE_PATHS.size()));
        try {
            Wire.Response response = switch (r.nextInt(5)) {
                case 0 -> wire.post(path, "application/json", json);
                case 1 -> wire.send("POST", path, "application/json", "gzip", Wire.gzip(json));
                case 2 -> wire.post(path, "text/plain", Wire.gzip(json));
                case 3 -> wire.post(path + "?compression=base64", "application/x-www-form-urlencoded",
                        Wire.form(Wire.base64(json), null));
                default -> wire.post(path, "application/x-www-form-urlencoded",
                        Wire.form(Wire.lz64(new String(json, java.nio.charset.StandardCharsets.UTF_8)), "lz64"));
            };
            if (response.status() != 200) {
                failures.add("valid batch #" + index + " to " + path + " answered " + response);
                return;
            }
            events.forEach(e -> sent.put(e.get("uuid").asText(), 1));
        } catch (IOException | InterruptedException e) {
            failures.add("valid batch #" + index + " got no answer: " + e);
        }
    }

    private static boolean isErrorBody(String body) {
        try {
            var json = Wire.JSON.readTree(body);
            return json.path("type").isTextual() && json.path("code").isTextual() && json.path("detail").isTextual();
        } catch (IOException e) {
            return false;
        }
    }
}
