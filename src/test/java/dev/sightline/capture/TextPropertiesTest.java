package dev.sightline.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sightline.store.EnrichmentColumns;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plain capture keeps properties as the text that was sent. Whatever the body, the events (or the
 * error) must be the ones the tree parser gives; only the form of the properties differs.
 */
class TextPropertiesTest {
    static final Instant NOW = CaptureDecoderTest.NOW;
    static final String U1 = "018f3c5e-1b2a-7c3d-8e4f-0123456789ab";
    static final String U2 = "018f3c5e-1b2a-7c3d-8e4f-0123456789ac";

    final CaptureDecoder trees = new CaptureDecoder(CaptureDecoder.PropertyForm.TREE);
    final CaptureDecoder text = new CaptureDecoder(CaptureDecoder.PropertyForm.TEXT);

    static String ev(String fields) {
        return "{\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + U1 + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    static Stream<String> bodies() {
        return Stream.of(
                // the common shapes: posthog-node's envelope, posthog-js's array
                "{\"api_key\":\"phc_a\",\"batch\":[" + ev("\"properties\":{\"a\":1,\"$session_id\":\"s1\"},\"timestamp\":\"2026-11-29T11:59:00.123Z\"") + "],\"sent_at\":\"2026-11-29T11:59:01Z\"}",
                "{\"batch\":[" + ev("\"properties\":{\"a\":{\"b\":[1,2,{\"c\":null}]}}") + "],\"api_key\":\"phc_a\"}",
                "[" + ev("\"properties\":{\"token\":\"phc_a\",\"x\":\"\\u00e9\\n\"}") + "," + ev("\"uuid\":\"" + U2 + "\",\"properties\":{\"token\":\"phc_a\"}") + "]",
                "[ " + ev("\"token\":\"phc_a\",\"properties\" : { \"a\" : 1 , \"b\" : [ ] }") + " ]",
                "{\"batch\":[" + ev("\"properties\":{}") + "],\"token\":\"phc_a\",\"sent_at\":\"2026-11-29T11:00:00Z\"}",
                "{\"batch\":[" + ev("\"properties\":null") + "],\"api_key\":\"phc_a\",\"sent_at\":\"2026-11-29T11:00:00Z\"}",
                "{\"batch\":[" + ev("") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"offset\":1500,\"properties\":{\"$ignore_sent_at\":true}") + "],\"api_key\":\"phc_a\",\"sent_at\":\"2026-11-29T11:00:00Z\"}",
                "{\"batch\":[" + ev("\"properties\":{\"$session_id\":\"\"}") + "],\"api_key\":\"phc_a\",\"historical_migration\":true}",
                "{\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"\"}],\"api_key\":\"phc_a\"}".replace("\"uuid\":\"\"", "\"uuid\":\"" + U1.toUpperCase() + "\""),
                // what the text pass leaves to the tree parser, per event or whole
                "{\"batch\":[" + ev("\"$set\":{\"a\":1},\"properties\":{\"$set\":{\"a\":2,\"b\":3}}") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[{\"event\":\"e\",\"distinct_id\":42,\"uuid\":\"" + U1 + "\"}],\"api_key\":\"phc_a\"}",
                "{\"batch\":[{\"event\":\"e\",\"$distinct_id\":\"x\",\"uuid\":\"" + U1 + "\"}],\"api_key\":\"phc_a\"}",
                "{\"batch\":[{\"event\":\"e\",\"uuid\":\"" + U1 + "\",\"properties\":{\"distinct_id\":\"p\"}}],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"properties\":{\"a\":1,\"a\":2}") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"properties\":{\"a\":{\"b\":1,\"b\":2}}") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"properties\":{\"$sent_at\":\"x\"}") + "],\"api_key\":\"phc_a\",\"sent_at\":\"2026-11-29T11:00:00Z\"}",
                "{\"batch\":[" + ev("\"properties\":{\"s\":\"\\ud83d\\ude00\"}") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"properties\":{\"$ignore_sent_at\":\"yes\"}") + "],\"api_key\":\"phc_a\",\"sent_at\":\"2026-11-29T11:00:00Z\"}",
                "{\"batch\":[" + ev("\"offset\":1.5") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"event\":\"twice\"") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[{\"distinct_id\":\"d\",\"event\":\"" + "x".repeat(3) + "\",\"uuid\":\"" + U1 + "\",\"distinct_id\":\"" + "long".repeat(80) + "\"}],\"api_key\":\"phc_a\"}",
                "{\"batch\":[{\"event\":\"e\",\"distinct_id\":\"" + "é".repeat(250) + "\",\"uuid\":\"" + U1 + "\"}],\"api_key\":\"phc_a\"}",
                ev("\"api_key\":\"phc_a\",\"properties\":{\"a\":1}"),
                // the values that get columns of their own: text is picked out by the scan, anything else goes the tree way
                "{\"batch\":[" + ev("\"properties\":{\"$browser\":\"Fire\\\"fox\",\"$geoip_city_name\":\"S\\u00e3o Paulo\",\"$os\":\"\",\"x\":{\"$os\":\"inner\"}}") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"properties\":{\"$os_version\":17.5,\"$device_type\":null,\"$geoip_time_zone\":{\"a\":[1]}}") + "],\"api_key\":\"phc_a\"}",
                // errors, which the tree parser names
                "{\"batch\":[],\"api_key\":\"phc_a\"}",
                "{\"batch\":{},\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"properties\":[1]") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[{\"event\":\"\",\"distinct_id\":\"d\"}],\"api_key\":\"phc_a\"}",
                "{\"batch\":[{\"event\":\"e\",\"distinct_id\":\"\"}],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"uuid\":\"not-a-uuid\"") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("") + ",7],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("") + "]}",
                "{\"batch\":[" + ev("") + "],\"api_key\":\"phx_personal\"}",
                "[" + ev("\"token\":\"phc_a\"") + "," + ev("\"token\":\"phc_b\"") + "]",
                "{\"batch\":[" + ev("\"properties\":{\"a\":") + "],\"api_key\":\"phc_a\"}",
                "{\"batch\":[" + ev("\"properties\":{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}") + "],\"api_key\":\"phc_a\"}",
                "\"just a string\"",
                "");
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void textGivesTheEventsTreesGive(String body) {
        Object expected = outcome(trees, body);
        Object actual = outcome(text, body);
        assertThat(actual).isEqualTo(expected);
    }

    /** A comparable summary of what decoding gave: the error's code and detail, or each event with its properties as a tree. */
    private static Object outcome(CaptureDecoder decoder, String body) {
        Throwable error = catchThrowable(() -> decoder.decode(request(body), true, NOW));
        if (error != null) {
            assertThat(error).isInstanceOf(CaptureError.class);
            CaptureError e = (CaptureError) error;
            return List.of(e.status(), e.code(), e.detail());
        }
        CaptureBatch batch = decoder.decode(request(body), true, NOW);
        return List.of(batch.token(), batch.historicalMigration(), batch.events().stream()
                .map(e -> List.of(e.uuid().toString().startsWith("018f3c5e") ? e.uuid() : "generated", e.event(), e.distinctId(),
                        e.timestamp(), e.properties(), e.sentProperties().sessionId(),
                        // the columns' values: picked out by the text scan, or read from the JSON
                        e.sentProperties() instanceof EventProperties.Text t ? t.enrichment() : EnrichmentColumns.read(e.sentProperties().json())))
                .toList());
    }

    private static CaptureRequest request(String body) {
        return new CaptureRequest(body.getBytes(StandardCharsets.UTF_8), "application/json", "", Map.of());
    }

    @Test
    void commonEventsKeepTheTextAsSentWithSentAtAdded() {
        String body = "{\"api_key\":\"phc_a\",\"batch\":[" + ev("\"properties\":{ \"a\": 1.50 }") + "],\"sent_at\":\"2026-11-29T11:59:01Z\"}";
        CapturedEvent e = text.decode(request(body), true, NOW).events().getFirst();
        assertThat(e.sentProperties()).isInstanceOf(EventProperties.Text.class);
        assertThat(e.sentProperties().json()).isEqualTo("{ \"a\": 1.50 ,\"$sent_at\":\"2026-11-29T11:59:01Z\"}");
    }

    @Test
    void duplicateKeysGoTheTreeWaySoTheLastOneWins() {
        String body = "{\"api_key\":\"phc_a\",\"batch\":[" + ev("\"properties\":{\"a\":1,\"a\":2}") + "]}";
        CapturedEvent e = text.decode(request(body), true, NOW).events().getFirst();
        assertThat(e.sentProperties()).isInstanceOf(EventProperties.Tree.class);
        assertThat(e.sentProperties().json()).isEqualTo("{\"a\":2}");
    }
}
