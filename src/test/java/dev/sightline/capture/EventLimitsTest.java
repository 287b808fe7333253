package dev.sightline.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link EventLimits} through both ways capture reads a body: as trees, and as text (plain capture). */
class EventLimitsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private static CaptureBatch decode(CaptureDecoder.PropertyForm form, String body) {
        return new CaptureDecoder(form).decode(new CaptureRequest(body.getBytes(StandardCharsets.UTF_8),
                "application/json", "", Map.of()), true, NOW);
    }

    private static String event(String name, int padding) {
        return "{\"event\":\"" + name + "\",\"distinct_id\":\"d\",\"properties\":{\"pad\":\"" + "x".repeat(padding) + "\"}}";
    }

    private static String batch(String... events) {
        return "{\"api_key\":\"phc_t\",\"batch\":[" + String.join(",", events) + "]}";
    }

    /** The padding that makes {@link #event} exactly {@code bytes} long. */
    private static int paddingFor(String name, int bytes) {
        return bytes - event(name, 0).length();
    }

    @ParameterizedTest
    @EnumSource(CaptureDecoder.PropertyForm.class)
    void anEventOfExactlyTheLimitIsKeptAndOneByteMoreIsNot(CaptureDecoder.PropertyForm form) {
        String atLimit = event("at", paddingFor("at", EventLimits.MAX_EVENT_BYTES));
        String over = event("over", paddingFor("over", EventLimits.MAX_EVENT_BYTES + 1));
        assertThat(atLimit).hasSize(EventLimits.MAX_EVENT_BYTES);

        CaptureBatch both = decode(form, batch(atLimit, over, event("small", 1)));
        assertThat(both.events()).extracting(CapturedEvent::event).containsExactly("at", "small");
        assertThat(both.eventsTooLarge()).isEqualTo(1);

        assertThatThrownBy(() -> decode(form, batch(over))).isInstanceOfSatisfying(CaptureError.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.code()).isEqualTo("event_too_large");
        });
    }

    @ParameterizedTest
    @EnumSource(CaptureDecoder.PropertyForm.class)
    void eventNamesHaveAtMost200Characters(CaptureDecoder.PropertyForm form) {
        assertThat(decode(form, batch(event("n".repeat(200), 1))).events()).hasSize(1);
        assertThat(decode(form, batch(event("\uD83D\uDE00".repeat(200), 1))).events()).as("code points, not UTF-16 units").hasSize(1);
        assertThatThrownBy(() -> decode(form, batch(event("ok", 1), event("n".repeat(201), 1))))
                .isInstanceOfSatisfying(CaptureError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_event_name");
                    assertThat(e.attr()).isEqualTo("event");
                    assertThat(e.detail()).contains("event 1").contains("200 characters");
                });
    }
}
