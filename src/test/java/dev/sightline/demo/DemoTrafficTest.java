package dev.sightline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {
    private static final Instant END = Instant.parse("2026-11-29T08:30:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    static byte[] generate(long seed, long events, int days) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DemoTraffic(new DemoTraffic.Settings(seed, events, END, days, Optional.empty())).writeJsonLines(out);
        return out.toByteArray();
    }

    static List<JsonNode> parse(byte[] jsonLines) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : new String(jsonLines, StandardCharsets.UTF_8).split("\n")) events.add(JSON.readTree(line));
        return events;
    }

    @Test
    void theSameSeedGivesByteIdenticalOutput() throws IOException {
        byte[] first = generate(7, 15_000, 14);
        byte[] second = generate(7, 15_000, 14);
        byte[] otherSeed = generate(8, 15_000, 14);
        assertThat(first).isEqualTo(second);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @ParameterizedTest
    @CsvSource({"1, 10000, 28, 24", "2, 10000, 7, 24", "3, 25000, 1, 8", "4, 40000, 21, 24", "5, 300, 28, 672", "6, 3000, 90, 2160"})
    void producesExactlyTheRequestedNumberOfEventsInTimeOrderInsideTheSpan(long seed, long events, int days, int lastEventWithinHours)
            throws IOException {
        List<JsonNode> all = parse(generate(seed, events, days));
        assertThat(all).hasSize((int) events);
        Instant start = END.minus(Duration.ofDays(days));
        Instant previous = start;
        for (JsonNode e : all) {
            Instant at = Instant.parse(e.get("timestamp").asText());
            assertThat(at).isAfterOrEqualTo(previous).isBeforeOrEqualTo(END);
            previous = at;
        }
        // the budget is aimed so that the stream reaches the count close to the end, not days early
        assertThat(previous).isAfter(END.minus(Duration.ofHours(lastEventWithinHours)));
    }
}
