package dev.sightline.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule for each kind of odd input, the same on every way a body can come (docs/configuration.md,
 * "Input fidelity"): plain JSON, form {@code data=}, gzip, base64, lz64, each read as trees and as
 * text (plain capture).
 */
class InputFidelityTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    /** A way to send JSON bytes: what the client does to them, and the request it makes. */
    record Path(String name, Function<byte[], CaptureRequest> request) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Path> paths() {
        return Stream.of(
                new Path("json", json -> new CaptureRequest(json, "application/json", "", Map.of())),
                new Path("form data", json -> new CaptureRequest(form(percentEncode(json)), "application/x-www-form-urlencoded", "", Map.of())),
                new Path("gzip", json -> new CaptureRequest(gzip(json), "text/plain", "", Map.of())),
                new Path("base64 form", json -> new CaptureRequest(form(URLEncoder.encode(Base64.getEncoder().encodeToString(json),
                        StandardCharsets.UTF_8)), "application/x-www-form-urlencoded", "", Map.of("compression", "base64"))),
                new Path("lz64 form", json -> new CaptureRequest(form(URLEncoder.encode(dev.sightline.testing.Lz64.compress(json),
                        StandardCharsets.UTF_8)), "application/x-www-form-urlencoded", "", Map.of("compression", "lz64"))));
    }

    static Stream<Arguments> pathsAndForms() {
        return paths().flatMap(p -> Stream.of(CaptureDecoder.PropertyForm.values()).map(f -> Arguments.of(p, f)));
    }

    private static CaptureBatch decode(Path path, CaptureDecoder.PropertyForm form, byte[] json) {
        return new CaptureDecoder(form).decode(path.request().apply(json), true, NOW);
    }

    private static byte[] batch(String properties) {
        return ("{\"api_key\":\"phc_t\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\",\"properties\":" + properties + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String stored(CaptureBatch batch) {
        return batch.events().getFirst().sentProperties().json();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("pathsAndForms")
    void aNumberBeyondADoubleIsRefusedAndATinyOneIsZero(Path path, CaptureDecoder.PropertyForm form) {
        for (String huge : new String[] {"1e400", "-1e400", "1" + "0".repeat(400)}) {
            assertThatThrownBy(() -> decode(path, form, batch("{\"n\":" + huge + "}")))
                    .as(huge).isInstanceOfSatisfying(CaptureError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("invalid_json");
                        assertThat(e.detail()).contains("number");
                    });
        }
        assertThat(new CaptureDecoder().decode(path.request().apply(batch("{\"n\":1e-400}")), true, NOW)
                .events().getFirst().properties().get("n").doubleValue()).isZero();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("pathsAndForms")
    void aLoneSurrogateBecomesTheReplacementCharacter(Path path, CaptureDecoder.PropertyForm form) {
        CaptureBatch b = decode(path, form, batch("{\"lone\":\"a\\ud800b\",\"low\":\"\\udc00\",\"pair\":\"\\ud83d\\ude00\",\"x\\ud800\":1,"
                + "\"escaped\":\"\\\\ud800\"}"));
        var p = b.events().getFirst().properties();
        assertThat(p.get("lone").asText()).isEqualTo("a\uFFFDb");
        assertThat(p.get("low").asText()).isEqualTo("\uFFFD");
        assertThat(p.get("pair").asText()).isEqualTo("\uD83D\uDE00");
        assertThat(p.has("x\uFFFD")).isTrue();
        assertThat(p.get("escaped").asText()).as("a backslash, then text").isEqualTo("\\ud800");
        assertThat(stored(b).getBytes(StandardCharsets.UTF_8)).doesNotContain((byte) '?');
    }

    /** lz64 carries UTF-16 text, which may hold a lone half itself rather than an escape of one. */
    @org.junit.jupiter.api.Test
    void aLoneSurrogateCharacterInLz64TextBecomesTheReplacementCharacter() {
        String json = "{\"api_key\":\"phc_t\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\",\"properties\":"
                + "{\"lone\":\"a\ud800b\",\"pair\":\"\ud83d\ude00\"}}]}";
        byte[] form = form(URLEncoder.encode(dev.sightline.testing.Lz64.compress(json), StandardCharsets.UTF_8));
        var p = new CaptureDecoder().decode(new CaptureRequest(form, "application/x-www-form-urlencoded", "",
                Map.of("compression", "lz64")), true, NOW).events().getFirst().properties();
        assertThat(p.get("lone").asText()).isEqualTo("a\uFFFDb");
        assertThat(p.get("pair").asText()).isEqualTo("\uD83D\uDE00");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void invalidUtf8IsRefused(Path path) {
        if (path.name().startsWith("lz64")) return; // lz64 carries UTF-16 text: no UTF-8 to break
        byte[] json = batch("{\"bad\":\"caf\u00e9\"}");
        // é is C3 A9: drop the A9 and the C3 starts nothing
        int at = indexOf(json, (byte) 0xA9);
        byte[] broken = new byte[json.length - 1];
        System.arraycopy(json, 0, broken, 0, at);
        System.arraycopy(json, at + 1, broken, at, json.length - at - 1);
        for (CaptureDecoder.PropertyForm form : CaptureDecoder.PropertyForm.values()) {
            assertThatThrownBy(() -> decode(path, form, broken)).isInstanceOfSatisfying(CaptureError.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("invalid_utf8");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void gzipWithTrailingBytesIsReadUpToItsEnd(Path ignored) {
        byte[] json = batch("{\"k\":\"v\"}");
        byte[] gz = gzip(json);
        for (byte[] junk : new byte[][] {"junk".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 0}, new byte[] {'\n'}}) {
            byte[] body = new byte[gz.length + junk.length];
            System.arraycopy(gz, 0, body, 0, gz.length);
            System.arraycopy(junk, 0, body, gz.length, junk.length);
            assertThat(new CaptureDecoder().decode(new CaptureRequest(body, "text/plain", "", Map.of()), true, NOW).events()).hasSize(1);
            assertThat(new CaptureDecoder().decode(new CaptureRequest(body, "application/json", "gzip", Map.of()), true, NOW).events()).hasSize(1);
            byte[] form = form(URLEncoder.encode(Base64.getEncoder().encodeToString(body), StandardCharsets.UTF_8));
            assertThat(new CaptureDecoder().decode(new CaptureRequest(form, "application/x-www-form-urlencoded", "", Map.of()), true, NOW)
                    .events()).hasSize(1);
        }
    }

    /**
     * PostHog's rule: a timestamp that ends up before year 0 or after 9999 is replaced by now, with
     * the ingestion warning {@code ignored_invalid_timestamp}; one more than 23 hours ahead is now,
     * with {@code event_timestamp_in_future}. Year 0 itself is in range, there as here.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("pathsAndForms")
    void timestampsOutOfRangeAreNowWithAWarning(Path path, CaptureDecoder.PropertyForm form) {
        record Case(String timestamp, String sentAt, Instant stored, String warning) {}
        for (Case c : java.util.List.of(
                new Case("0000-01-01T00:00:00Z", null, Instant.parse("0000-01-01T00:00:00Z"), null),
                new Case("-000001-01-01T00:00:00Z", null, NOW, "ignored_invalid_timestamp"),
                new Case("0000-01-01T00:00:00Z", "2026-11-29T12:00:01Z", NOW, "ignored_invalid_timestamp"),
                new Case("+999999999-01-01T00:00:00Z", null, NOW, "event_timestamp_in_future"),
                new Case("+10000-01-01T00:00:00Z", null, NOW, "event_timestamp_in_future"),
                new Case("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", Instant.parse("2026-11-29T12:00:00Z"), null))) {
            String envelope = "{\"api_key\":\"phc_t\"" + (c.sentAt() == null ? "" : ",\"sent_at\":\"" + c.sentAt() + "\"")
                    + ",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\",\"timestamp\":\"" + c.timestamp() + "\",\"properties\":{}}]}";
            CaptureBatch b = decode(path, form, envelope.getBytes(StandardCharsets.UTF_8));
            assertThat(b.events().getFirst().timestamp()).as(c.toString()).isEqualTo(c.stored());
            assertThat(b.warnings()).as(c.toString()).isEqualTo(c.warning() == null ? Map.of() : Map.of(c.warning(), 1));
        }
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) if (b[i] == value) return i;
        throw new AssertionError("not found");
    }

    private static byte[] form(String encodedData) {
        return ("data=" + encodedData).getBytes(StandardCharsets.US_ASCII);
    }

    /** Every byte percent-encoded that is not plain ASCII text, as a browser form would send raw JSON. */
    private static String percentEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out.append((char) c);
            else out.append('%').append(String.format("%02X", c));
        }
        return out.toString();
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
