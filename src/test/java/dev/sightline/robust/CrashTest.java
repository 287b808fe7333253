package dev.sightline.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Durable before acknowledged": the server runs as its own process while several clients send
 * batches of known events; it is SIGKILLed (or SIGTERMed) mid-stream and restarted on the same
 * data directory. Every event answered 200 must be there exactly once; events whose request got
 * no answer may be there at most once; retrying them (as an SDK would) must not double count.
 */
class CrashTest {
    private static final int CLIENTS = 4;
    private static final int EVENTS_PER_BATCH = 25;
    /** Acknowledged batches to wait for before pulling the plug, so the kill lands mid-stream. */
    private static final int ACKED_BEFORE_SIGNAL = 40;

    @TempDir
    Path tmp;

    /** What the clients sent and what the server said about it. */
    private static final class Ledger {
        final Map<String, List<ObjectNode>> acked = new ConcurrentHashMap<>();
        final Map<String, List<ObjectNode>> unanswered = new ConcurrentHashMap<>();
        final List<String> badAnswers = new CopyOnWriteArrayList<>();
        final AtomicInteger ackedBatches = new AtomicInteger();

        Set<String> ackedUuids() {
            Set<String> uuids = new HashSet<>();
            acked.values().forEach(events -> events.forEach(e -> uuids.add(e.get("uuid").asText())));
            return uuids;
        }

        Set<String> unansweredUuids() {
            Set<String> uuids = new HashSet<>();
            unanswered.values().forEach(events -> events.forEach(e -> uuids.add(e.get("uuid").asText())));
            return uuids;
        }
    }

    private static String distinctId(String run, int client) {
        return run + "-client-" + client;
    }

    /**
     * Starts CLIENTS senders that post gzip batches in a loop until {@code stop} is set or the
     * server stops answering. A batch counts as acknowledged only on 200; a 503 (queue full) is a
     * proper refusal and is not retried here; anything else is recorded as a bad answer.
     */
    private static List<Thread> startClients(ServerProcess server, String run, Ledger ledger, AtomicBoolean stop) {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Wire wire = new Wire(server.baseUrl(), server.personalKey());
            threads.add(Thread.ofPlatform().name("crash-client-" + c).start(() -> {
                for (int batchNo = 0; !stop.get(); batchNo++) {
                    List<ObjectNode> events = new ArrayList<>();
                    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                        events.add(Wire.event(UUID.randomUUID(), distinctId(run, client), "crash test"));
                    }
                    String key = client + "/" + batchNo;
                    try {
                        Wire.Response response = wire.postBatchGzip(Wire.batch(server.token(), events));
                        if (response.status() == 200) {
                            ledger.acked.put(key, events);
                            ledger.ackedBatches.incrementAndGet();
                        } else if (response.status() == 503) {
                            ledger.unanswered.put(key, events);
                        } else {
                            ledger.badAnswers.add(key + ": " + response);
                            ledger.unanswered.put(key, events);
                        }
                    } catch (IOException e) {
                        // the server died or is going down: the outcome of this batch is unknown
                        ledger.unanswered.put(key, events);
                        return;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        return threads;
    }

    private static void awaitAcked(Ledger ledger, ServerProcess server, int batches) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (ledger.ackedBatches.get() < batches) {
            if (System.nanoTime() > deadline || !ledger.badAnswers.isEmpty() || !server.isAlive()) {
                throw new AssertionError("only " + ledger.ackedBatches.get() + " batches acknowledged; bad answers "
                        + ledger.badAnswers + "; server log:\n" + server.logTail());
            }
            Thread.sleep(10);
        }
    }

    private static Map<String, Integer> stored(ServerProcess server, String run) throws Exception {
        Wire wire = new Wire(server.baseUrl(), server.personalKey());
        Map<String, Integer> counts = new HashMap<>();
        for (int c = 0; c < CLIENTS; c++) {
            wire.storedUuidCounts(distinctId(run, c)).forEach((uuid, n) -> counts.merge(uuid, n, Integer::sum));
        }
        return counts;
    }

    private static void assertDurable(Ledger ledger, Map<String, Integer> stored) {
        Set<String> acked = ledger.ackedUuids();
        Set<String> unanswered = ledger.unansweredUuids();
        System.out.printf("crash test: %d events acknowledged, %d without answer, %d stored%n",
                acked.size(), unanswered.size(), stored.size());
        assertThat(acked).as("acknowledged events").isNotEmpty();

        List<String> lost = acked.stream().filter(u -> !stored.containsKey(u)).toList();
        assertThat(lost).as("events answered 200 but missing after restart (of %d acknowledged)", acked.size()).isEmpty();
        Map<String, Integer> duplicated = new HashMap<>();
        stored.forEach((uuid, n) -> { if (n != 1) duplicated.put(uuid, n); });
        assertThat(duplicated).as("events stored more than once").isEmpty();
        List<String> phantoms = stored.keySet().stream()
                .filter(u -> !acked.contains(u) && !unanswered.contains(u)).toList();
        assertThat(phantoms).as("stored events that were never sent").isEmpty();
    }

    @Test
    void sigkillMidStreamLosesNoAcknowledgedEventAndRetriesDoNotDoubleCount() throws Exception {
        Path data = tmp.resolve("data");
        String run = "kill-" + UUID.randomUUID();
        Ledger ledger = new Ledger();
        AtomicBoolean stop = new AtomicBoolean();

        ServerProcess first = ServerProcess.start(data);
        List<Thread> clients;
        try {
            clients = startClients(first, run, ledger, stop);
            awaitAcked(ledger, first, ACKED_BEFORE_SIGNAL);
            first.kill();
        } finally {
            stop.set(true);
            first.close();
        }
        for (Thread t : clients) t.join(Duration.ofSeconds(60));
        assertThat(ledger.badAnswers).as("answers other than 200/503 before the kill").isEmpty();

        try (ServerProcess second = ServerProcess.start(data)) {
            assertDurable(ledger, stored(second, run));

            // an SDK retries what got no answer, and may resend what did: still one copy each
            Wire wire = new Wire(second.baseUrl(), second.personalKey());
            List<List<ObjectNode>> retries = new ArrayList<>(ledger.unanswered.values());
            ledger.acked.values().stream().limit(3).forEach(retries::add);
            for (List<ObjectNode> events : retries) {
                Wire.Response response = wire.postBatchGzip(Wire.batch(second.token(), events));
                assertThat(response.status()).as("retry answered %s", response).isEqualTo(200);
            }
            ledger.unanswered.forEach(ledger.acked::put);
            ledger.unanswered.clear();
            Map<String, Integer> afterRetry = stored(second, run);
            assertDurable(ledger, afterRetry);
            assertThat(afterRetry.keySet()).as("every event stored after the retries").isEqualTo(ledger.ackedUuids());
        }
    }

    @Test
    void sigtermCommitsEverythingAcceptedAndExitsCleanly() throws Exception {
        Path data = tmp.resolve("data");
        String run = "term-" + UUID.randomUUID();
        Ledger ledger = new Ledger();
        AtomicBoolean stop = new AtomicBoolean();

        ServerProcess first = ServerProcess.start(data);
        int exitCode;
        List<Thread> clients;
        try {
            clients = startClients(first, run, ledger, stop);
            awaitAcked(ledger, first, ACKED_BEFORE_SIGNAL);
            exitCode = first.terminate(Duration.ofSeconds(60));
        } finally {
            stop.set(true);
            first.close();
        }
        for (Thread t : clients) t.join(Duration.ofSeconds(60));
        assertThat(exitCode).as("exit code after SIGTERM; log:\n%s", first.logTail()).isIn(0, 143);
        assertThat(ledger.badAnswers).as("answers other than 200/503 during shutdown").isEmpty();

        try (ServerProcess second = ServerProcess.start(data)) {
            assertDurable(ledger, stored(second, run));
        }
    }
}
