package dev.sightline.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage counters against a SIGKILL: the server (its own process) takes batches mixing
 * identified, anonymous and non-billed events under an identified-event limit that is reached
 * mid-stream, its counter parts folded every few batches; it is killed, restarted, and every unanswered batch is sent again (with a few
 * answered ones, as SDKs may). The counters must then equal what the events table holds, kind by
 * kind, with no event counted twice, and the limit must have held across the restart.
 */
class UsageCrashTest {
    private static final int CLIENTS = 3;
    /** Per batch: 10 identified, 8 anonymous, 2 not billed. */
    private static final int IDENTIFIED = 10, ANONYMOUS = 8, NOT_BILLED = 2;
    private static final int ACKED_BEFORE_KILL = 30;
    /** Reached before the kill: 30 acknowledged batches hold 300 identified events. */
    private static final long LIMIT = 250;

    @TempDir
    Path tmp;

    private static List<ObjectNode> batch(String run, int client) {
        List<ObjectNode> events = new ArrayList<>();
        String user = run + "-user-" + client;
        for (int i = 0; i < IDENTIFIED; i++) events.add(Wire.event(UUID.randomUUID(), user, "usage crash identified"));
        for (int i = 0; i < ANONYMOUS; i++) {
            ObjectNode e = Wire.event(UUID.randomUUID(), run + "-visitor-" + client + "-" + i, "usage crash anonymous");
            ((ObjectNode) e.get("properties")).put("$process_person_profile", false);
            events.add(e);
        }
        for (int i = 0; i < NOT_BILLED; i++) events.add(Wire.event(UUID.randomUUID(), user, "$feature_flag_called"));
        return events;
    }

    private static void setLimit(ServerProcess server) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/1/billing_limits/"))
                    .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"identified\": " + LIMIT + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    @Test
    void countersSurviveAKillWithoutCountingAnEventTwice() throws Exception {
        Path data = tmp.resolve("data");
        String run = "usage-kill-" + UUID.randomUUID();
        Map<String, List<ObjectNode>> acked = new ConcurrentHashMap<>();
        Map<String, List<ObjectNode>> unanswered = new ConcurrentHashMap<>();
        AtomicInteger ackedBatches = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();

        // parts folded every 40 rows (every few batches), so that the kill may land on a fold too
        ServerProcess first = ServerProcess.builder(data).jvmOption("-Dsightline.usageFoldRows=40").start();
        List<Thread> clients = new ArrayList<>();
        try {
            setLimit(first);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Wire wire = new Wire(first.baseUrl(), first.personalKey());
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        List<ObjectNode> events = batch(run, client);
                        String key = client + "/" + n;
                        try {
                            Wire.Response r = wire.postBatchGzip(Wire.batch(first.token(), events));
                            if (r.status() == 200) {
                                acked.put(key, events);
                                ackedBatches.incrementAndGet();
                            } else {
                                unanswered.put(key, events);
                            }
                        } catch (IOException e) {
                            unanswered.put(key, events);
                            return;
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (ackedBatches.get() < ACKED_BEFORE_KILL) {
                if (System.nanoTime() > deadline || !first.isAlive()) throw new AssertionError("too few batches answered; log:\n" + first.logTail());
                Thread.sleep(10);
            }
            first.kill();
        } finally {
            stop.set(true);
            first.close();
        }
        for (Thread t : clients) t.join(Duration.ofSeconds(60));

        try (ServerProcess second = ServerProcess.builder(data).jvmOption("-Dsightline.usageFoldRows=40").start()) {
            Wire wire = new Wire(second.baseUrl(), second.personalKey());
            List<List<ObjectNode>> again = new ArrayList<>(unanswered.values());
            acked.values().stream().limit(3).forEach(again::add);
            for (List<ObjectNode> events : again) {
                assertThat(wire.postBatchGzip(Wire.batch(second.token(), events)).status()).isEqualTo(200);
            }
            assertThat(second.terminate(Duration.ofSeconds(60))).isIn(0, 143);
        }

        Map<String, Long> stored = new HashMap<>();
        Map<String, Long> counted = new HashMap<>();
        long rows;
        long distinct;
        java.util.Properties readOnly = new java.util.Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + data.resolve("sightline.duckdb"), readOnly)) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT usage_class, count(*) FROM events GROUP BY ALL")) {
                while (rs.next()) stored.put(rs.getString(1), rs.getLong(2));
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT kind, sum(count) FROM (SELECT * FROM usage_counters UNION ALL SELECT * FROM usage_counter_parts) GROUP BY ALL")) {
                while (rs.next()) counted.put(rs.getString(1), rs.getLong(2));
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT uuid) FROM events")) {
                rs.next();
                rows = rs.getLong(1);
                distinct = rs.getLong(2);
            }
        }
        long sentBatches = acked.size() + unanswered.size();
        System.out.printf("usage crash test: %d batches acknowledged, %d unanswered; stored %s; counted %s%n",
                acked.size(), unanswered.size(), stored, counted);
        assertThat(rows).as("no event stored twice").isEqualTo(distinct);
        for (String kind : List.of("identified", "anonymous", "not_billed")) {
            assertThat(counted.getOrDefault(kind, 0L)).as("counted " + kind + " events equal the stored ones").isEqualTo(stored.getOrDefault(kind, 0L));
        }
        assertThat(stored.get("identified")).as("the limit held across the kill and the restart").isEqualTo(LIMIT);
        assertThat(stored.get("anonymous")).as("every anonymous event sent, after the retries").isEqualTo(sentBatches * ANONYMOUS);
        assertThat(counted.get("dropped_identified")).as("identified events over the limit counted as dropped")
                .isGreaterThanOrEqualTo(sentBatches * IDENTIFIED - LIMIT);
        assertThat(Files.exists(data.resolve("sightline.duckdb"))).isTrue();
    }
}
