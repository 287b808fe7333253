package dev.sightline.robust;

import static dev.sightline.robust.Wire.base64;
import static dev.sightline.robust.Wire.batch;
import static dev.sightline.robust.Wire.bytes;
import static dev.sightline.robust.Wire.event;
import static dev.sightline.robust.Wire.form;
import static dev.sightline.robust.Wire.gzip;
import static dev.sightline.robust.Wire.lz64;
import static dev.sightline.robust.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of malformed capture request is refused with a 4xx and a JSON error body that names
 * the problem, and a well-formed twin of each request is accepted, so each refusal is caused by the
 * defect under test and not by something else in the request.
 */
class BadInputTest {
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

    private static ObjectNode anEvent() {
        return event(UUID.randomUUID(), "bad-input-user", "bad input test");
    }

    private static byte[] aBatch() {
        return bytes(batch(token, anEvent()));
    }

    /** The JSON error body: type, code and detail, where code or detail mentions one of {@code words}. */
    private static void assertRefused(Wire.Response response, int status, String... words) {
        assertRefused(response, new int[] {status}, words);
    }

    private static void assertRefused(Wire.Response response, int[] statuses, String... words) {
        assertThat(statuses).as("status of %s", response).contains(response.status());
        JsonNode error = response.json();
        assertThat(error.path("type").asText()).as("error type in %s", response).isNotBlank();
        assertThat(error.path("code").asText()).as("error code in %s", response).isNotBlank();
        assertThat(error.path("detail").asText()).as("error detail in %s", response).isNotBlank();
        String said = (error.path("code").asText() + " " + error.path("detail").asText()).toLowerCase(Locale.ROOT);
        assertThat(Arrays.stream(words).anyMatch(said::contains))
                .as("code/detail of %s names the problem (one of %s)", response, List.of(words)).isTrue();
    }

    private static void assertAccepted(Wire.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().path("status").asInt()).as("%s", response).isEqualTo(1);
    }

    // ---- JSON and shapes -------------------------------------------------------------------------

    @Test
    void malformedJson() throws Exception {
        assertRefused(wire.post("/batch/", "application/json", utf8("{\"api_key\": \"" + token + "\", \"batch\": [")),
                400, "json");
        assertRefused(wire.post("/e/", "application/json", utf8("{event: 'single quotes'}")), 400, "json");
        assertRefused(wire.post("/e/", "text/plain", utf8("not json at all")), 400, "json");
        assertRefused(wire.post("/e/", "application/json", utf8("[{\"event\":\"a\",\"distinct_id\":\"d\"},]")), 400, "json");
    }

    @Test
    void topLevelJsonThatIsNoEventShape() throws Exception {
        for (String body : List.of("42", "\"a string\"", "true", "null")) {
            assertRefused(wire.post("/e/", "application/json", utf8(body)), 400, "payload", "json", "event", "batch");
        }
    }

    @Test
    void eventNameOfWrongType() throws Exception {
        ObjectNode number = anEvent();
        number.put("event", 42);
        assertRefused(wire.postJson("/batch/", batch(token, number)), 400, "event");
        ObjectNode object = anEvent();
        object.putObject("event").put("name", "x");
        assertRefused(wire.postJson("/batch/", batch(token, object)), 400, "event");
        ObjectNode array = anEvent();
        array.putArray("event").add("x");
        assertRefused(wire.postJson("/batch/", batch(token, array)), 400, "event");
    }

    @Test
    void missingOrEmptyEventName() throws Exception {
        ObjectNode missing = anEvent();
        missing.remove("event");
        assertRefused(wire.postJson("/batch/", batch(token, missing)), 400, "event");
        ObjectNode empty = anEvent();
        empty.put("event", "");
        assertRefused(wire.postJson("/batch/", batch(token, empty)), 400, "event");
    }

    @Test
    void propertiesThatAreNotAnObject() throws Exception {
        ObjectNode array = anEvent();
        array.putArray("properties").add(1);
        assertRefused(wire.postJson("/batch/", batch(token, array)), 400, "properties");
        ObjectNode string = anEvent();
        string.put("properties", "$lib=web");
        assertRefused(wire.postJson("/batch/", batch(token, string)), 400, "properties");
    }

    @Test
    void batchThatIsNotAnArray() throws Exception {
        ObjectNode envelope = batch(token, anEvent());
        envelope.set("batch", anEvent());
        assertRefused(wire.postJson("/batch/", envelope), 400, "batch");
        envelope.put("batch", "[]");
        assertRefused(wire.postJson("/batch/", envelope), 400, "batch");
    }

    @Test
    void emptyBatchAndBatchItemsThatAreNotEvents() throws Exception {
        assertRefused(wire.postJson("/batch/", batch(token)), 400, "empty", "no event");
        ObjectNode envelope = batch(token, anEvent());
        ((ArrayNode) envelope.get("batch")).add(7);
        assertRefused(wire.postJson("/batch/", envelope), 400, "event");
        assertRefused(wire.post("/e/", "application/json", utf8("[1, 2, 3]")), 400, "event");
    }

    @Test
    void missingDistinctId() throws Exception {
        ObjectNode missing = anEvent();
        missing.remove("distinct_id");
        assertRefused(wire.postJson("/batch/", batch(token, missing)), 400, "distinct_id");
        ObjectNode empty = anEvent();
        empty.put("distinct_id", "");
        assertRefused(wire.postJson("/batch/", batch(token, empty)), 400, "distinct_id");
        ObjectNode nul = anEvent();
        nul.putNull("distinct_id");
        assertRefused(wire.postJson("/batch/", batch(token, nul)), 400, "distinct_id");
    }

    @Test
    void malformedUuid() throws Exception {
        ObjectNode bad = anEvent();
        bad.put("uuid", "not-a-uuid");
        assertRefused(wire.postJson("/batch/", batch(token, bad)), 400, "uuid");
        ObjectNode number = anEvent();
        number.put("uuid", 12345);
        assertRefused(wire.postJson("/batch/", batch(token, number)), 400, "uuid");
    }

    @Test
    void wrongTypesOfPersonUpdates() throws Exception {
        ObjectNode set = anEvent();
        set.put("$set", "email=a@b.c");
        assertRefused(wire.postJson("/batch/", batch(token, set)), 400, "set");
    }

    // ---- tokens ----------------------------------------------------------------------------------

    @Test
    void missingToken() throws Exception {
        ObjectNode envelope = batch(token, anEvent());
        envelope.remove("api_key");
        assertRefused(wire.postJson("/batch/", envelope), 401, "token");
        assertRefused(wire.postJson("/e/", anEvent()), 401, "token");
    }

    @Test
    void emptyToken() throws Exception {
        assertRefused(wire.postJson("/batch/", batch("", anEvent())), 401, "token");
    }

    @Test
    void personalApiKeyUsedAsToken() throws Exception {
        assertRefused(wire.postJson("/batch/", batch(server.personalKey(), anEvent())), 401, "personal", "phx");
        ObjectNode single = anEvent();
        ((ObjectNode) single.get("properties")).put("token", server.personalKey());
        assertRefused(wire.postJson("/e/", single), 401, "personal", "phx");
    }

    @Test
    void unknownToken() throws Exception {
        assertRefused(wire.postJson("/batch/", batch("phc_no_such_project_0000000000", anEvent())), 401, "token", "project");
    }

    @Test
    void differentTokensInOneArray() throws Exception {
        ObjectNode a = anEvent();
        a.put("api_key", token);
        ObjectNode b = anEvent();
        b.put("api_key", "phc_another_project_00000000000");
        ArrayNode array = Wire.JSON.createArrayNode().add(a).add(b);
        assertRefused(wire.postJson("/e/", array), 401, "token");
    }

    // ---- encodings -------------------------------------------------------------------------------

    @Test
    void gzipMagicFollowedByJunk() throws Exception {
        byte[] junk = {0x1f, (byte) 0x8b, 0x08, 0, 0x13, 0x37, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42};
        assertRefused(wire.post("/batch/", "application/json", junk), 400, "gzip", "decompress");
        assertRefused(wire.send("POST", "/batch/", "application/json", "gzip", aBatch()), 400, "gzip", "decompress");
    }

    @Test
    void truncatedGzip() throws Exception {
        byte[] whole = gzip(aBatch());
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        assertRefused(wire.send("POST", "/batch/", "application/json", "gzip", truncated), 400, "gzip", "decompress");
        assertRefused(wire.post("/e/?compression=gzip-js", "text/plain", truncated), 400, "gzip", "decompress");
    }

    @Test
    void brokenBase64() throws Exception {
        assertRefused(wire.post("/e/?compression=base64", "application/x-www-form-urlencoded",
                form("eyJldmVudCI6!!not*base64$$", null)), 400, "base64");
        assertRefused(wire.post("/e/?compression=base64", "text/plain", utf8("@@@@not base64@@@@")), 400, "base64");
    }

    @Test
    void base64OfSomethingThatIsNotJson() throws Exception {
        // the server names the base64 step for a payload hinted as base64 that does not decode to JSON
        assertRefused(wire.post("/e/?compression=base64", "application/x-www-form-urlencoded",
                form(base64(utf8("<html>hello</html>")), null)), 400, "json", "base64");
    }

    @Test
    void lz64Garbage() throws Exception {
        assertRefused(wire.post("/e/", "application/x-www-form-urlencoded",
                form("%%%not lz64%%%", "lz64")), 400, "lz");
        String valid = lz64(new String(aBatch(), StandardCharsets.UTF_8));
        String mangled = "AAAA" + valid.substring(4, valid.length() / 2);
        Wire.Response response = wire.post("/e/", "application/x-www-form-urlencoded", form(mangled, "lz64"));
        assertRefused(response, 400, "lz", "json", "utf");
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] prefix = utf8("{\"api_key\":\"" + token + "\",\"batch\":[{\"event\":\"bad \u00e9");
        byte[] suffix = utf8("\",\"distinct_id\":\"u\"}]}");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(prefix);
        body.writeBytes(new byte[] {(byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80});
        body.writeBytes(suffix);
        assertRefused(wire.post("/batch/", "application/json", body.toByteArray()), 400, "utf", "json", "encoding");
        assertRefused(wire.send("POST", "/batch/", "application/json", "gzip", gzip(body.toByteArray())),
                400, "utf", "json", "encoding");
    }

    @Test
    void emptyBody() throws Exception {
        assertRefused(wire.post("/e/", "application/json", new byte[0]), 400, "empty", "payload");
        assertRefused(wire.post("/batch/", "application/json", new byte[0]), 400, "empty", "payload");
        assertRefused(wire.get("/e/"), 400, "empty", "payload");
        assertRefused(wire.post("/e/", "application/json", utf8("   \n")), 400, "empty", "json", "payload");
    }

    @Test
    void formContentTypeWithoutData() throws Exception {
        assertRefused(wire.post("/e/", "application/x-www-form-urlencoded", utf8("compression=base64")),
                400, "data", "form");
        assertRefused(wire.post("/e/", "application/x-www-form-urlencoded", utf8("data=")), 400, "data", "form", "empty");
        assertRefused(wire.post("/e/", "application/x-www-form-urlencoded", utf8("ver=1.2&token=" + token)),
                400, "data", "form");
        assertRefused(wire.post("/e/", "application/x-www-form-urlencoded", utf8("just some text")), 400, "data", "form");
    }

    // ---- sizes and nesting -----------------------------------------------------------------------

    /** A batch of real-looking events of about {@code size} bytes of JSON. */
    private static byte[] batchOfSize(int size) {
        List<ObjectNode> events = new ArrayList<>();
        int perEvent = bytes(anEvent()).length + 1;
        for (int total = 64; total < size; total += perEvent) {
            events.add(anEvent());
        }
        return bytes(batch(token, events));
    }

    @Test
    void eventEndpointBodyOverTwoMebibytes() throws Exception {
        byte[] big = batchOfSize(2 * MIB + 4096);
        assertThat(big.length).isGreaterThan(2 * MIB);
        assertRefused(wire.post("/e/", "application/json", big), new int[] {400, 413}, "large", "big", "size", "limit");
        assertRefused(wire.post("/i/v0/e/", "application/json", big), new int[] {400, 413}, "large", "big", "size", "limit");
    }

    @Test
    void batchEndpointTakesMoreThanTwoMebibytesButNotOverTwenty() throws Exception {
        byte[] three = batchOfSize(3 * MIB);
        assertAccepted(wire.post("/batch/", "application/json", three));
        byte[] big = batchOfSize(20 * MIB + 4096);
        assertThat(big.length).isGreaterThan(20 * MIB);
        assertRefused(wire.post("/batch/", "application/json", big), new int[] {400, 413}, "large", "big", "size", "limit");
    }

    @Test
    void gzipBombOverTheLimit() throws Exception {
        // 30 MiB of spaces inside a JSON string compress to about 30 KiB
        byte[] inflated = new byte[30 * MIB];
        Arrays.fill(inflated, (byte) ' ');
        byte[] head = utf8("{\"api_key\":\"" + token + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"u\",\"properties\":{\"pad\":\"");
        System.arraycopy(head, 0, inflated, 0, head.length);
        byte[] bomb = gzip(inflated);
        assertThat(bomb.length).isLessThan(2 * MIB);
        assertRefused(wire.send("POST", "/e/", "text/plain", "gzip", bomb), new int[] {400, 413},
                "large", "big", "size", "limit");
        assertRefused(wire.send("POST", "/batch/", "application/json", "gzip", bomb), new int[] {400, 413},
                "large", "big", "size", "limit");
    }

    @Test
    void deepNesting() throws Exception {
        int depth = 10_000;
        String arrays = "[".repeat(depth) + "]".repeat(depth);
        assertRefused(wire.post("/e/", "application/json", utf8(arrays)), 400, "deep", "depth", "nest");
        String event = new String(bytes(anEvent()), StandardCharsets.UTF_8);
        String deepProps = event.replace("\"plan\":\"team\"", "\"plan\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
        assertThat(deepProps).contains("{\"a\":{\"a\":");
        assertRefused(wire.post("/batch/", "application/json",
                utf8("{\"api_key\":\"" + token + "\",\"batch\":[" + deepProps + "]}")), 400, "deep", "depth", "nest");
    }

    @Test
    void overlongUriIsRefusedCleanly() throws Exception {
        // a legacy GET whose data= parameter is larger than the server takes in a request line
        String uri = "/e/?data=" + "A".repeat(64 * 1024);
        RawExchange exchange = RawExchange.run(server.baseUrl(),
                "GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(exchange.status()).as("status of an overlong request line").isIn(414, 431);
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThatCode(() -> assertRefused(new Wire.Response(exchange.status(), exchange.body()),
                    new int[] {414, 431}, "uri", "long", "large", "header"))
                    .as("JSON error body of the %d", exchange.status()).doesNotThrowAnyException();
            // if the server drops the connection it must say so, or a pooling client's next request fails
            soft.assertThat(exchange.announcedClose() || exchange.nextRequestAnswered())
                    .as("connection still usable, or closed with 'Connection: close' announced; headers:%n%s",
                            exchange.headers())
                    .isTrue();
        });
    }

    // ---- twins: the well-formed versions of the requests above are accepted and stored ----------

    @Test
    void wellFormedTwinsAreAcceptedAndStored() throws Exception {
        String distinctId = "twin-" + UUID.randomUUID();
        List<UUID> uuids = Wire.uuids(8);
        List<byte[]> bodies = new ArrayList<>();
        for (UUID uuid : uuids) bodies.add(bytes(batch(token, event(uuid, distinctId, "twin"))));
        String json0 = new String(bodies.get(4), StandardCharsets.UTF_8);
        String json1 = new String(bodies.get(5), StandardCharsets.UTF_8);

        assertAccepted(wire.post("/batch/", "application/json", bodies.get(0)));
        assertAccepted(wire.send("POST", "/batch/", "application/json", "gzip", gzip(bodies.get(1))));
        assertAccepted(wire.post("/e/", "text/plain", gzip(bodies.get(2))));
        assertAccepted(wire.post("/e/?compression=base64", "application/x-www-form-urlencoded",
                form(base64(bodies.get(3)), null)));
        assertAccepted(wire.post("/e/", "application/x-www-form-urlencoded", form(lz64(json0), "lz64")));
        assertAccepted(wire.get("/e/?data=" + Wire.urlEncode(base64(utf8(json1)))));
        ObjectNode single = event(uuids.get(6), distinctId, "twin");
        ((ObjectNode) single.get("properties")).put("token", token);
        assertAccepted(wire.postJson("/i/v0/e/", single));
        ObjectNode deepButFine = event(uuids.get(7), distinctId, "twin");
        ((ObjectNode) deepButFine.get("properties")).set("nested", Wire.JSON.readTree("[[[[[[[[[[1]]]]]]]]]]"));
        assertAccepted(wire.postJson("/batch/", batch(token, deepButFine)));

        Map<String, Integer> stored = wire.storedUuidCounts(distinctId);
        for (UUID uuid : uuids) {
            assertThat(stored.get(uuid.toString())).as("stored copies of %s", uuid).isEqualTo(1);
        }
    }

    @Test
    void refusedRequestsLoseNothingAlreadyAccepted() throws Exception {
        String distinctId = "survivor-" + UUID.randomUUID();
        UUID before = UUID.randomUUID();
        assertAccepted(wire.postJson("/batch/", batch(token, event(before, distinctId, "before"))));
        for (int i = 0; i < 20; i++) {
            assertThat(wire.post("/batch/", "application/json", utf8("{\"batch\": [" + i)).status()).isEqualTo(400);
            assertThat(wire.send("POST", "/batch/", "application/json", "gzip", utf8("junk")).status()).isEqualTo(400);
        }
        UUID after = UUID.randomUUID();
        assertAccepted(wire.postJson("/batch/", batch(token, event(after, distinctId, "after"))));
        assertThat(wire.storedUuidCounts(distinctId))
                .containsEntry(before.toString(), 1)
                .containsEntry(after.toString(), 1)
                .hasSize(2);
    }
}
