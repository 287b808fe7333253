package dev.sightline.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** PostHog's capture decoding rules (posthog-semantics.md §1), one behaviour per test. */
class CaptureDecoderTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final String TOKEN = "phc_abc";
    static final String ONE = "{\"event\":\"e1\",\"distinct_id\":\"d1\",\"api_key\":\"" + TOKEN + "\",\"properties\":{\"k\":\"v\"}}";
    final CaptureDecoder decoder = new CaptureDecoder();

    CaptureBatch decode(String contentType, String encoding, byte[] body, Map<String, String> query) {
        return decoder.decode(new CaptureRequest(body, contentType, encoding, query), false, NOW);
    }

    CaptureBatch json(String body) {
        return decode("application/json", "", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static byte[] gzip(String s) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(s.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Nested
    class BodyShapes {
        @Test
        void singleEvent() {
            CaptureBatch b = json(ONE);
            assertThat(b.token()).isEqualTo(TOKEN);
            assertThat(b.events()).singleElement().satisfies(e -> {
                assertThat(e.event()).isEqualTo("e1");
                assertThat(e.distinctId()).isEqualTo("d1");
                assertThat(e.properties().get("k").asText()).isEqualTo("v");
            });
        }

        @Test
        void arrayOfEvents() {
            CaptureBatch b = json("[" + ONE + "," + ONE.replace("e1", "e2") + "]");
            assertThat(b.events()).extracting(CapturedEvent::event).containsExactly("e1", "e2");
        }

        @Test
        void batchEnvelopeWithApiKeyOrToken() {
            String events = "[{\"event\":\"a\",\"distinct_id\":\"x\"},{\"event\":\"b\",\"distinct_id\":\"y\"}]";
            assertThat(json("{\"api_key\":\"phc_1\",\"batch\":" + events + "}").token()).isEqualTo("phc_1");
            CaptureBatch viaToken = json("{\"token\":\"phc_2\",\"batch\":" + events + ",\"historical_migration\":true}");
            assertThat(viaToken.token()).isEqualTo("phc_2");
            assertThat(viaToken.historicalMigration()).isTrue();
            assertThat(viaToken.events()).hasSize(2);
        }

        @Test
        void emptyBatchIsRejected() {
            assertThatThrownBy(() -> json("{\"api_key\":\"phc_1\",\"batch\":[]}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("empty_batch"));
            assertThatThrownBy(() -> json("[]"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.status()).isEqualTo(400));
        }

        @Test
        void scalarsAndNonObjectEventsAreRejected() {
            assertThatThrownBy(() -> json("42")).isInstanceOfSatisfying(CaptureError.class,
                    e -> assertThat(e.code()).isEqualTo("invalid_payload"));
            assertThatThrownBy(() -> json("[" + ONE + ", 7]")).isInstanceOfSatisfying(CaptureError.class,
                    e -> assertThat(e.detail()).contains("event 1"));
        }
    }

    @Nested
    class Encodings {
        @Test
        void gzipByHeader() {
            assertThat(decode("application/json", "gzip", gzip(ONE), Map.of()).events()).hasSize(1);
        }

        @Test
        void gzipOfSeveralMembers() {
            // the trailer's size is then only the last member's: the whole payload must still be read
            byte[] first = gzip("[" + ONE + ",");
            byte[] second = gzip(ONE + "]");
            byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            assertThat(decode("application/json", "gzip", both, Map.of()).events()).hasSize(2);
        }

        @Test
        void gzipByMagicBytesWithoutAnyHint() {
            // what posthog-js sends: text/plain, no Content-Encoding, no query hint
            assertThat(decode("text/plain", "", gzip(ONE), Map.of()).events().getFirst().event()).isEqualTo("e1");
        }

        @Test
        void gzipByQueryHint() {
            assertThat(decode("text/plain", "", gzip(ONE), Map.of("compression", "gzip-js")).events()).hasSize(1);
        }

        @Test
        void plainBase64Body() {
            assertThat(decode("text/plain", "", b64(ONE.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII), Map.of())
                    .events()).hasSize(1);
        }

        @Test
        void beaconFormWithBase64Data() {
            String encoded = b64(("[" + ONE + "]").getBytes(StandardCharsets.UTF_8));
            byte[] form = ("data=" + URLEncoder.encode(encoded, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
            CaptureBatch b = decode("application/x-www-form-urlencoded", "", form, Map.of("compression", "base64"));
            assertThat(b.events().getFirst().distinctId()).isEqualTo("d1");
        }

        @Test
        void formDataWhosePlusSignsBecameSpaces() {
            // find a payload whose base64 contains '+', then send it un-escaped as form data
            String payload = null;
            for (int i = 0; i < 500 && payload == null; i++) {
                String candidate = ONE.replace("\"v\"", "\"v" + "~".repeat(i) + ">?\"");
                if (b64(candidate.getBytes(StandardCharsets.UTF_8)).contains("+")) payload = candidate;
            }
            assertThat(payload).isNotNull();
            String raw = "data=" + b64(payload.getBytes(StandardCharsets.UTF_8)) + "&compression=base64";
            CaptureBatch b = decode("application/x-www-form-urlencoded", "", raw.getBytes(StandardCharsets.US_ASCII), Map.of());
            assertThat(b.events().getFirst().properties().get("k").asText()).startsWith("v~");
        }

        @Test
        void formWithGzipInsideBase64() {
            String encoded = b64(gzip(ONE));
            byte[] form = ("data=" + URLEncoder.encode(encoded, StandardCharsets.UTF_8) + "&compression=gzip-js")
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(decode("application/x-www-form-urlencoded", "", form, Map.of()).events()).hasSize(1);
        }

        @Test
        void legacyGetWithDataQueryParameter() {
            Map<String, String> query = new HashMap<>();
            query.put("data", b64(ONE.getBytes(StandardCharsets.UTF_8)));
            assertThat(decode("", "", new byte[0], query).events()).hasSize(1);
        }

        @Test
        void lz64FromTheReferenceImplementation() {
            // produced by lz-string 1.5.0 compressToBase64 of a JSON event with non-ASCII text
            String lz = "N4IgpgbmB2AuIC4QBsBeACSN4BoQAcAnAe3zENgEswBnRUAE0pqugGNYB9ShxFVALQBXGuRB5YxANYw+AFQDyAaQCiAOXEhYYAB7wkACwCXyZMXSBkcnQB3AG+FkvAL5OgA=";
            byte[] form = ("data=" + URLEncoder.encode(lz, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
            CaptureBatch b = decode("application/x-www-form-urlencoded", "", form, Map.of("compression", "lz64"));
            assertThat(b.token()).isEqualTo("TOKEN");
            assertThat(b.events().getFirst().properties().get("text").asText()).isEqualTo("héllo ✓ wörld");
        }

        @Test
        void brokenEncodingsAreNamed() {
            byte[] truncated = java.util.Arrays.copyOf(gzip(ONE), 12);
            assertThatThrownBy(() -> decode("text/plain", "", truncated, Map.of()))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_gzip"));
            assertThatThrownBy(() -> decode("text/plain", "", "data=!!!".getBytes(), Map.of("compression", "lz64")))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_lz64"));
            assertThatThrownBy(() -> decode("application/x-www-form-urlencoded", "", "data=%%%".getBytes(), Map.of()))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_form"));
            assertThatThrownBy(() -> decode("text/plain", "", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, Map.of()))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_utf8"));
            assertThatThrownBy(() -> decode("text/plain", "", new byte[0], Map.of()))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("empty_payload"));
        }

        @Test
        void decompressionBombsStopAtTheLimit() {
            String big = "{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"properties\":{\"p\":\""
                    + "a".repeat(CaptureDecoder.EVENT_BODY_LIMIT) + "\"}}";
            assertThatThrownBy(() -> decode("text/plain", "", gzip(big), Map.of()))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.status()).isEqualTo(413));
        }

        /**
         * An lz64 payload of a few kilobytes standing for a gigabyte: refused with 413 once its text
         * passes the limit, having held little more than the limit, never the whole text.
         */
        @Test
        void lz64BombsStopAtTheLimitWithoutBeingExpanded() {
            String bomb = dev.sightline.testing.Lz64.bomb('a', 1L << 30);
            byte[] form = ("data=" + URLEncoder.encode(bomb, StandardCharsets.UTF_8) + "&compression=lz64")
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(form.length).isLessThan(CaptureDecoder.EVENT_BODY_LIMIT);
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> decode("application/x-www-form-urlencoded", "", form, Map.of()))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.status()).isEqualTo(413));
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated decoding it").isLessThan(12L * CaptureDecoder.EVENT_BODY_LIMIT);
        }

        @Test
        void deepNestingIsRejectedNotACrash() {
            String deep = "[".repeat(10_000) + "]".repeat(10_000);
            assertThatThrownBy(() -> json(deep))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("json_too_deep"));
        }
    }

    @Nested
    class Tokens {
        @Test
        void tokenFromEventAliasesOrProperties() {
            assertThat(json("{\"event\":\"e\",\"distinct_id\":\"d\",\"token\":\"phc_t\"}").token()).isEqualTo("phc_t");
            assertThat(json("{\"event\":\"e\",\"distinct_id\":\"d\",\"$token\":\"phc_s\"}").token()).isEqualTo("phc_s");
            assertThat(json("{\"event\":\"e\",\"properties\":{\"distinct_id\":\"d\",\"token\":\"phc_p\"}}").token()).isEqualTo("phc_p");
        }

        @Test
        void differentTokensInOneArrayAre401() {
            assertThatThrownBy(() -> json("[" + ONE + "," + ONE.replace(TOKEN, "phc_other") + "]"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.code()).isEqualTo("multiple_tokens");
                    });
        }

        @Test
        void missingEmptyAndPersonalKeysAre401() {
            assertThatThrownBy(() -> json("{\"event\":\"e\",\"distinct_id\":\"d\"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("missing_token"));
            assertThatThrownBy(() -> json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\" \"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_token"));
            assertThatThrownBy(() -> json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"phx_secret\"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.code()).isEqualTo("personal_api_key_used_as_token");
                    });
        }
    }

    @Nested
    class EventFields {
        CapturedEvent only(String eventJson) {
            return json(eventJson).events().getFirst();
        }

        @Test
        void topLevelDistinctIdWinsOverProperties() {
            assertThat(only("{\"event\":\"e\",\"distinct_id\":\"top\",\"api_key\":\"t\",\"properties\":{\"distinct_id\":\"inner\"}}")
                    .distinctId()).isEqualTo("top");
            assertThat(only("{\"event\":\"e\",\"$distinct_id\":\"alias\",\"api_key\":\"t\"}").distinctId()).isEqualTo("alias");
        }

        @Test
        void nonStringDistinctIdsAreStringifiedAsCompactJson() {
            assertThat(only("{\"event\":\"e\",\"distinct_id\":23,\"api_key\":\"t\"}").distinctId()).isEqualTo("23");
            assertThat(only("{\"event\":\"e\",\"distinct_id\":[\"a\", \"b\"],\"api_key\":\"t\"}").distinctId()).isEqualTo("[\"a\",\"b\"]");
        }

        @Test
        void distinctIdIsCleanedAndCappedAt200Characters() {
            assertThat(only("{\"event\":\"e\",\"distinct_id\":\"a\\u0000b\",\"api_key\":\"t\"}").distinctId()).isEqualTo("a\uFFFDb");
            String longId = "é".repeat(250);
            assertThat(only("{\"event\":\"e\",\"distinct_id\":\"" + longId + "\",\"api_key\":\"t\"}").distinctId()).hasSize(200);
        }

        @Test
        void missingDistinctIdOrEventNameIs400() {
            assertThatThrownBy(() -> json("{\"event\":\"e\",\"api_key\":\"t\"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> {
                        assertThat(e.code()).isEqualTo("missing_distinct_id");
                        assertThat(e.detail()).contains("without a distinct_id");
                    });
            assertThatThrownBy(() -> json("{\"event\":\"e\",\"distinct_id\":\"\",\"api_key\":\"t\"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("missing_distinct_id"));
            assertThatThrownBy(() -> json("{\"event\":\"\",\"distinct_id\":\"d\",\"api_key\":\"t\"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("missing_event_name"));
            assertThatThrownBy(() -> json("{\"event\":5,\"distinct_id\":\"d\",\"api_key\":\"t\"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_event_name"));
            assertThatThrownBy(() -> json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"properties\":[1]}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_properties"));
        }

        @Test
        void uuidIsKeptGeneratedWhenAbsentAndRejectedWhenMalformed() {
            UUID given = UUID.randomUUID();
            assertThat(only("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"uuid\":\"" + given + "\"}").uuid()).isEqualTo(given);
            UUID generated = only("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"uuid\":\"\"}").uuid();
            assertThat(generated.version()).isEqualTo(7);
            assertThatThrownBy(() -> json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"uuid\":\"not-a-uuid\"}"))
                    .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.code()).isEqualTo("invalid_uuid"));
        }

        @Test
        void topLevelSetAndSetOnceAreFoldedIntoPropertiesAndWin() {
            CapturedEvent e = only("{\"event\":\"$identify\",\"distinct_id\":\"d\",\"api_key\":\"t\","
                    + "\"$set\":{\"email\":\"top@x\"},\"$set_once\":{\"first\":1},"
                    + "\"properties\":{\"$set\":{\"email\":\"inner@x\",\"plan\":\"pro\"}}}");
            assertThat(e.properties().at("/$set/email").asText()).isEqualTo("top@x");
            assertThat(e.properties().at("/$set/plan").asText()).isEqualTo("pro");
            assertThat(e.properties().at("/$set_once/first").asInt()).isEqualTo(1);
        }
    }

    @Nested
    class ClockSkew {
        CapturedEvent at(String envelopeSentAt, String timestamp) {
            String body = "{\"api_key\":\"t\",\"sent_at\":\"" + envelopeSentAt + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\","
                    + "\"timestamp\":\"" + timestamp + "\"}]}";
            return json(body).events().getFirst();
        }

        @Test
        void clientClockAheadIsCorrected() {
            assertThat(at("2026-11-29T12:00:10Z", "2026-11-29T11:00:00Z").timestamp()).isEqualTo("2026-11-29T10:59:50Z");
        }

        @Test
        void clientClockBehindIsCorrected() {
            assertThat(at("2026-11-29T11:59:50Z", "2026-11-29T11:00:00Z").timestamp()).isEqualTo("2026-11-29T11:00:10Z");
        }

        @Test
        void offsetOverridesTimestamp() {
            CapturedEvent e = json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"offset\":5000,"
                    + "\"timestamp\":\"2020-01-01T00:00:00Z\"}").events().getFirst();
            assertThat(e.timestamp()).isEqualTo(NOW.minusSeconds(5));
        }

        @Test
        void noSentAtKeepsTheTimestampAndMissingTimestampIsNow() {
            assertThat(json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"timestamp\":\"2026-11-28T01:02:03+03\"}")
                    .events().getFirst().timestamp()).isEqualTo("2026-11-27T22:02:03Z");
            assertThat(json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"timestamp\":\"garbage\"}")
                    .events().getFirst().timestamp()).isEqualTo(NOW);
        }

        @Test
        void farFutureIsClampedToNow() {
            assertThat(json("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"timestamp\":\"2026-12-01T00:00:00Z\"}")
                    .events().getFirst().timestamp()).isEqualTo(NOW);
        }

        @Test
        void ignoreSentAtProperty() {
            String body = "{\"api_key\":\"t\",\"sent_at\":\"2026-11-29T12:00:10Z\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\","
                    + "\"timestamp\":\"2026-11-29T11:00:00Z\",\"properties\":{\"$ignore_sent_at\":true}}]}";
            assertThat(json(body).events().getFirst().timestamp()).isEqualTo("2026-11-29T11:00:00Z");
        }

        @Test
        void querySentAtIsMillisecondsAndSecondsAreIgnored() {
            long sentMs = NOW.plusSeconds(10).toEpochMilli();
            String event = "{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"t\",\"timestamp\":\"2026-11-29T11:00:00Z\"}";
            assertThat(decode("application/json", "", event.getBytes(), Map.of("_", Long.toString(sentMs)))
                    .events().getFirst().timestamp()).isEqualTo("2026-11-29T10:59:50Z");
            assertThat(decode("application/json", "", event.getBytes(), Map.of("sent_at", Long.toString(sentMs / 1000)))
                    .events().getFirst().timestamp()).isEqualTo("2026-11-29T11:00:00Z");
        }
    }
}
