package dev.sightline.robust;

import static dev.sightline.robust.Wire.base64;
import static dev.sightline.robust.Wire.batch;
import static dev.sightline.robust.Wire.bytes;
import static dev.sightline.robust.Wire.event;
import static dev.sightline.robust.Wire.form;
import static dev.sightline.robust.Wire.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.testing.Lz64;
import dev.sightline.testing.TestServer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits that stand between the public project token and the disk: one event's size, an event
 * name's length, and how far a compressed body may expand (see docs/configuration.md, "Limits").
 */
class CaptureLimitsTest {
    private static final int MIB = 1024 * 1024;

    private static TestServer server;
    private static Wire wire;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        wire = new Wire(server.baseUrl(), server.personalKey());
        token = server.token();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** An event whose serialized JSON is about {@code size} bytes, padded in one property. */
    private static ObjectNode eventOfSize(UUID uuid, String distinctId, int size) {
        ObjectNode event = event(uuid, distinctId, "limits test");
        int padding = Math.max(0, size - bytes(event).length - 12);
        ((ObjectNode) event.get("properties")).put("pad", "x".repeat(padding));
        return event;
    }

    private static void assertRefused(Wire.Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.json().path("code").asText()).as("%s", response).isEqualTo(code);
        assertThat(response.json().path("detail").asText()).as("%s", response).isNotBlank();
    }

    private static void assertAccepted(Wire.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().path("status").asInt()).as("%s", response).isEqualTo(1);
    }

    // ---- one event's size ------------------------------------------------------------------------

    @Test
    void aRequestOfOneOversizedEventIsRefusedWith413() throws Exception {
        String distinctId = "big-" + UUID.randomUUID();
        ObjectNode big = eventOfSize(UUID.randomUUID(), distinctId, MIB + 4096);
        assertRefused(wire.postJson("/batch/", batch(token, big)), 413, "event_too_large");
        ObjectNode single = big.deepCopy();
        ((ObjectNode) single.get("properties")).put("token", token);
        assertRefused(wire.postJson("/e/", single), 413, "event_too_large");

        // the report of #18: a 19 MB property in a small gzipped request
        ObjectNode huge = event(UUID.randomUUID(), distinctId, "limits test");
        ((ObjectNode) huge.get("properties")).put("pad", "y".repeat(19 * 1000 * 1000));
        byte[] gzipped = gzip(bytes(batch(token, huge)));
        assertThat(gzipped.length).isLessThan(100 * 1024);
        assertRefused(wire.send("POST", "/batch/", "application/json", "gzip", gzipped), 413, "event_too_large");

        assertThat(wire.storedUuidCounts(distinctId)).isEmpty();
    }

    @Test
    void anOversizedEventInABatchIsDroppedAndTheOthersKept() throws Exception {
        String distinctId = "mixed-" + UUID.randomUUID();
        UUID small1 = UUID.randomUUID();
        UUID big = UUID.randomUUID();
        UUID small2 = UUID.randomUUID();
        UUID justUnder = UUID.randomUUID();
        double droppedBefore = dropped();
        assertAccepted(wire.postJson("/batch/", batch(token, List.of(
                event(small1, distinctId, "limits test"),
                eventOfSize(big, distinctId, MIB + 100),
                event(small2, distinctId, "limits test"),
                eventOfSize(justUnder, distinctId, MIB - 1024)))));
        Map<String, Integer> stored = wire.storedUuidCounts(distinctId);
        assertThat(stored.keySet()).containsExactlyInAnyOrder(small1.toString(), small2.toString(), justUnder.toString());
        assertThat(dropped() - droppedBefore).isEqualTo(1);
    }

    private static double dropped() throws Exception {
        Wire.Response metrics = wire.get("/metrics");
        return metrics.body().lines()
                .filter(line -> line.startsWith("sightline_capture_dropped_total{") && line.contains("reason=\"event_too_large\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    // ---- event names -----------------------------------------------------------------------------

    @Test
    void eventNamesLongerThan200CharactersAreRefused() throws Exception {
        String distinctId = "names-" + UUID.randomUUID();
        UUID ok = UUID.randomUUID();
        ObjectNode longest = event(ok, distinctId, "n".repeat(200));
        assertAccepted(wire.postJson("/batch/", batch(token, longest)));
        // 200 characters, not UTF-16 units: each of these is two
        assertAccepted(wire.postJson("/batch/", batch(token, event(UUID.randomUUID(), distinctId, "\uD83D\uDE00".repeat(200)))));

        ObjectNode tooLong = event(UUID.randomUUID(), distinctId, "n".repeat(201));
        Wire.Response response = wire.postJson("/batch/", batch(token, event(UUID.randomUUID(), distinctId, "fine"), tooLong));
        assertRefused(response, 400, "invalid_event_name");
        assertThat(response.json().path("attr").asText()).isEqualTo("event");
        assertThat(response.json().path("detail").asText()).contains("200");

        // the report of #18: a name of 1.9 million characters makes the event too large before it is read
        ObjectNode huge = event(UUID.randomUUID(), distinctId, "n".repeat(1_900_000));
        assertRefused(wire.postJson("/batch/", batch(token, huge)), 413, "event_too_large");
        assertAccepted(wire.postJson("/batch/", batch(token, event(UUID.randomUUID(), distinctId, "fine"), huge)));
        assertThat(wire.storedUuidCounts(distinctId)).hasSize(3);
    }

    // ---- decompression bombs ---------------------------------------------------------------------

    @Test
    void lz64ThatExpandsPastTheBodyLimitIsRefusedWith413() throws Exception {
        String bomb = Lz64.bomb('a', 25L * MIB);
        assertThat(bomb.length()).isLessThan(64 * 1024);
        assertRefused(wire.post("/batch/", "application/x-www-form-urlencoded", form(bomb, "lz64")), 413, "payload_too_large");
        assertRefused(wire.post("/e/", "application/x-www-form-urlencoded", form(Lz64.bomb('a', 3L * MIB), "lz64")),
                413, "payload_too_large");
    }

    @Test
    void gzipAndBase64GzipThatExpandPastTheBodyLimitAreRefusedWith413() throws Exception {
        byte[] inflated = new byte[21 * MIB];
        Arrays.fill(inflated, (byte) ' ');
        byte[] bomb = gzip(inflated);
        assertRefused(wire.send("POST", "/batch/", "application/json", "gzip", bomb), 413, "payload_too_large");
        assertRefused(wire.send("POST", "/e/", "text/plain", "gzip", bomb), 413, "payload_too_large");
        assertRefused(wire.post("/batch/?compression=gzip-js", "application/x-www-form-urlencoded", form(base64(bomb), null)),
                413, "payload_too_large");
    }

    @Test
    void theLimitsLeaveOrdinaryTrafficAlone() throws Exception {
        String distinctId = "ordinary-" + UUID.randomUUID();
        ObjectNode one = event(UUID.randomUUID(), distinctId, "limits test");
        ObjectNode two = event(UUID.randomUUID(), distinctId, "limits test");
        assertAccepted(wire.send("POST", "/batch/", "application/json", "gzip", gzip(bytes(batch(token, one)))));
        assertAccepted(wire.post("/e/", "application/x-www-form-urlencoded", form(Wire.lz64(new String(bytes(batch(token, two)),
                java.nio.charset.StandardCharsets.UTF_8)), "lz64")));
        JsonNode page = server.getJson("/api/projects/" + server.projectId() + "/events/?distinct_id=" + distinctId);
        assertThat(page.get("results")).hasSize(2);
    }
}
