package dev.sightline.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.testing.Lz64;
import dev.sightline.testing.RandomInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a client sends, capture answers it, with events or with a 4xx whose code and
 * detail name the problem; never an exception of another kind, which the server would answer 500.
 * Inputs: random bytes, and random PostHog-shaped JSON (the fields capture reads, values of every
 * type) in each encoding the SDKs use, whole or cut short, under random hints, both property forms.
 */
public class DecoderPropertiesTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final List<String> FIELDS = List.of("event", "distinct_id", "$distinct_id", "properties", "uuid", "timestamp",
            "offset", "sent_at", "api_key", "token", "$token", "batch", "$set", "$set_once", "$unset", "historical_migration",
            "$process_person_profile", "$anon_distinct_id", "$groups", "$session_id", "$ip", "$ignore_sent_at", "type");
    private static final List<String> SCALARS = List.of("\"phc_test\"", "\"phx_key\"", "\"$identify\"", "\"$create_alias\"",
            "\"$pageview\"", "\"$groupidentify\"", "\"user-1\"");

    enum Encoding { PLAIN, GZIP, BASE64, FORM_BASE64, FORM_PLAIN, LZ64, GZIP_BASE64 }

    public static CaptureRequest request(RandomInput in) {
        byte[] body;
        if (in.chance(0.15)) {
            body = in.bytes(2000);
        } else {
            String json = in.chance(0.5) ? in.json(FIELDS, SCALARS, 4) : nearlyValid(in);
            byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
            body = switch (in.pick(Encoding.values())) {
                case PLAIN -> utf8;
                case GZIP -> gzip(utf8);
                case BASE64 -> Base64.getEncoder().encode(utf8);
                case FORM_BASE64 -> ("data=" + Base64.getEncoder().encodeToString(utf8)).getBytes(StandardCharsets.US_ASCII);
                case FORM_PLAIN -> ("data=" + java.net.URLEncoder.encode(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
                case LZ64 -> Lz64.compress(json).getBytes(StandardCharsets.US_ASCII);
                case GZIP_BASE64 -> Base64.getEncoder().encode(gzip(utf8));
            };
            // cut short sometimes: a truncated gzip, base64 or JSON
            if (in.chance(0.2)) body = Arrays.copyOf(body, in.between(0, body.length));
        }
        return new CaptureRequest(body,
                in.pick("", "application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"),
                in.pick("", "", "gzip", "deflate", "br"),
                in.pick(Map.<String, String>of(), Map.of("compression", "gzip-js"), Map.of("compression", "lz64"),
                        Map.of("compression", "base64"), Map.of("ver", "1.0", "_", "1733486400000"), Map.of("sent_at", "garbage")));
    }

    /** A request as an SDK sends it, with some of its fields swapped for random values, dropped, or added. */
    static String nearlyValid(RandomInput in) {
        StringBuilder events = new StringBuilder();
        for (int i = in.between(1, 4); i > 0; i--) {
            if (events.length() > 0) events.append(',');
            events.append('{');
            field(in, events, "event", RandomInput.quoted(in.pick("$pageview", "$identify", "$create_alias", "$set", "signed up", "$groupidentify")), true);
            field(in, events, "distinct_id", in.chance(0.8) ? RandomInput.quoted("user-" + in.between(0, 3)) : in.pick("42", "\"\"", "null"), false);
            field(in, events, "properties", "{\"$set\":{\"plan\":\"pro\"},\"alias\":\"user-9\",\"$anon_distinct_id\":\"anon-1\","
                    + "\"$groups\":{\"company\":\"acme\"},\"$group_type\":\"company\",\"$group_key\":\"acme\",\"n\":" + in.between(-5, 5) + "}", false);
            if (in.chance(0.5)) field(in, events, "uuid", RandomInput.quoted(java.util.UUID.randomUUID().toString()), false);
            if (in.chance(0.5)) field(in, events, "timestamp", RandomInput.quoted("2026-12-0" + in.between(1, 9) + "T10:00:00Z"), false);
            if (in.chance(0.2)) field(in, events, in.pick(FIELDS), in.json(FIELDS, SCALARS, 2), false);
            events.setLength(events.length() - (events.charAt(events.length() - 1) == ',' ? 1 : 0));
            events.append('}');
        }
        String token = in.chance(0.9) ? "\"phc_test\"" : in.json(FIELDS, SCALARS, 1);
        return in.chance(0.7) ? "{\"api_key\":" + token + ",\"batch\":[" + events + "]}"
                : in.chance(0.5) ? "[" + events.toString().replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement("{\"token\":" + token + ",")) + "]"
                : events.toString().replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement("{\"api_key\":" + token + ","));
    }

    /** The field as given, or (rarely) with a random value, or left out. */
    private static void field(RandomInput in, StringBuilder event, String name, String value, boolean first) {
        double roll = in.between(0, 99) / 100.0;
        if (roll < 0.05) return;
        String v = roll < 0.15 ? in.json(FIELDS, SCALARS, 2) : value;
        event.append(RandomInput.quoted(name)).append(':').append(v).append(',');
    }

    @Test
    void everyRequestIsDecodedOrRefusedWithANamed4xx() {
        int[] outcomes = new int[2];
        RandomInput.forEachSeed(18, 4000, seed -> {
            RandomInput in = new RandomInput(seed);
            CaptureRequest request = request(in);
            boolean batchPath = in.chance(0.5);
            for (CaptureDecoder.PropertyForm form : CaptureDecoder.PropertyForm.values()) {
                try {
                    CaptureBatch batch = new CaptureDecoder(form).decode(request, batchPath, NOW);
                    assertThat(batch.token()).isNotBlank();
                    assertThat(batch.events()).isNotEmpty();
                    outcomes[0]++;
                } catch (CaptureError e) {
                    assertThat(e.status()).as(e.code() + ": " + e.detail()).isBetween(400, 499);
                    assertThat(e.code()).isNotBlank();
                    assertThat(e.detail()).isNotBlank();
                    outcomes[1]++;
                }
            }
        });
        // the generator reaches both answers, or the property says little
        System.out.printf("decoder properties: %d decoded, %d refused%n", outcomes[0], outcomes[1]);
        assertThat(outcomes[0]).as("decoded").isGreaterThan(50);
        assertThat(outcomes[1]).as("refused").isGreaterThan(50);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
