package dev.sightline.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.StoredEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD_1 = "00000000-0000-7000-8000-000000000001";
    private static final String GOOD_2 = "00000000-0000-7000-8000-000000000002";
    private static final String OLD = "00000000-0000-7000-8000-000000000003";
    private static final String FUTURE = "00000000-0000-7000-8000-000000000004";
    private static final Instant TOMORROW_AND_MORE = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

    private final ImportFixture fixture = new ImportFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static String jsonLines() {
        return String.join("\n",
                "{\"uuid\":\"" + GOOD_1 + "\",\"event\":\"$pageview\",\"distinct_id\":\"anon-1\",\"timestamp\":\"2026-11-02T10:00:00.123Z\",\"properties\":{\"$current_url\":\"https://a.example/\",\"$process_person_profile\":false}}",
                "",
                "{\"uuid\":\"" + GOOD_2 + "\",\"event\":\"$identify\",\"timestamp\":\"2026-11-02T10:01:00Z\",\"properties\":{\"distinct_id\":\"user-1\",\"$anon_distinct_id\":\"anon-1\"},\"$set\":{\"email\":\"a@b.example\"}}",
                "{\"event\":\"broken\",",
                "{\"event\":\"no id\",\"timestamp\":\"2026-11-02T10:02:00Z\",\"properties\":{}}",
                "{\"distinct_id\":\"user-1\",\"timestamp\":\"2026-11-02T10:02:00Z\"}",
                "{\"event\":\"no time\",\"distinct_id\":\"user-1\"}",
                "{\"event\":\"bad time\",\"distinct_id\":\"user-1\",\"timestamp\":\"last tuesday\"}",
                "{\"uuid\":\"not-a-uuid\",\"event\":\"x\",\"distinct_id\":\"user-1\",\"timestamp\":\"2026-11-02T10:02:00Z\"}",
                "[1, 2]",
                "{\"event\":\"a\",\"distinct_id\":\"u\",\"timestamp\":\"2026-11-02T10:02:00Z\"},{\"event\":\"b\",\"distinct_id\":\"u\",\"timestamp\":\"2026-11-02T10:02:00Z\"}",
                "{\"uuid\":\"" + OLD + "\",\"event\":\"old\",\"distinct_id\":\"user-1\",\"timestamp\":\"2019-03-04T05:06:07.890Z\"}",
                "{\"uuid\":\"" + FUTURE + "\",\"event\":\"scheduled\",\"distinct_id\":\"user-1\",\"timestamp\":\"" + TOMORROW_AND_MORE + "\"}",
                "");
    }

    private static final Map<String, Long> EXPECTED_REJECTIONS = Map.of(
            "invalid_json", 2L, "missing_distinct_id", 1L, "missing_event_name", 1L, "invalid_timestamp", 2L,
            "invalid_uuid", 1L, "invalid_event", 1L);

    private void assertGoodRowsStoredAsGiven(ImportSummary summary) {
        assertThat(summary.rows()).isEqualTo(12);
        assertThat(summary.accepted()).isEqualTo(4);
        assertThat(summary.rejected()).isEqualTo(EXPECTED_REJECTIONS);
        assertThat(fixture.events.count(ImportFixture.PROJECT)).isEqualTo(4);

        StoredEvent pageview = fixture.events.get(ImportFixture.PROJECT, UUID.fromString(GOOD_1)).orElseThrow();
        assertThat(pageview.timestamp()).isEqualTo(Instant.parse("2026-11-02T10:00:00.123Z"));
        assertThat(pageview.distinctId()).isEqualTo("anon-1");
        StoredEvent identify = fixture.events.get(ImportFixture.PROJECT, UUID.fromString(GOOD_2)).orElseThrow();
        assertThat(identify.distinctId()).isEqualTo("user-1");
        assertThat(identify.properties()).contains("\"$set\":{\"email\":\"a@b.example\"}").doesNotContain("$sent_at");
        // historical migration: no skew correction, no clamping of a timestamp days ahead
        assertThat(fixture.events.get(ImportFixture.PROJECT, UUID.fromString(OLD)).orElseThrow().timestamp())
                .isEqualTo(Instant.parse("2019-03-04T05:06:07.890Z"));
        assertThat(fixture.events.get(ImportFixture.PROJECT, UUID.fromString(FUTURE)).orElseThrow().timestamp())
                .isEqualTo(TOMORROW_AND_MORE);
    }

    @Test
    void jsonLinesStoreTheGoodRowsAndCountTheBadOnesByReason() throws IOException {
        ImportSummary summary = fixture.importer().from(stream(jsonLines().getBytes(StandardCharsets.UTF_8)), ImportProgress.NONE);
        assertGoodRowsStoredAsGiven(summary);
    }

    @Test
    void gzippedJsonLinesAreRecognisedByTheirMagicBytes() throws IOException {
        long[] lastBytes = {0};
        byte[] gz = gzip(jsonLines().getBytes(StandardCharsets.UTF_8));
        ImportSummary summary = fixture.importer().from(stream(gz), (rows, bytes) -> lastBytes[0] = bytes);
        assertGoodRowsStoredAsGiven(summary);
        assertThat(lastBytes[0]).isEqualTo(gz.length);
    }

    @Test
    void csvWithPropertiesAsJsonStoresGoodRowsAndReportsBadOnes() throws IOException {
        String csv = """
                uuid,event,distinct_id,timestamp,properties
                %s,$pageview,anon-1,2026-11-02T10:00:00.123Z,"{""$current_url"":""https://a.example/"",""n"":3}"
                ,signed up,user-1,2026-11-02 10:05:00,
                ,bad props,user-1,2026-11-02T10:06:00Z,"{not json"
                ,array props,user-1,2026-11-02T10:06:00Z,"[1,2]"
                ,no id,,2026-11-02T10:07:00Z,{}
                ,,user-1,2026-11-02T10:07:00Z,{}
                ,no time,user-1,,{}
                %s,too,many,columns,{},extra
                ,after the bad ones,user-2,2026-11-03T00:00:00Z,"{""ok"":true}"
                """.formatted(GOOD_1, GOOD_2);
        ImportSummary summary = fixture.importer().from(stream(csv.getBytes(StandardCharsets.UTF_8)), ImportProgress.NONE);

        assertThat(summary.rows()).isEqualTo(9);
        assertThat(summary.rejected()).isEqualTo(Map.of("invalid_properties_json", 2L, "missing_distinct_id", 1L,
                "missing_event_name", 1L, "invalid_timestamp", 1L, "malformed_csv_row", 1L));
        assertThat(summary.accepted()).isEqualTo(3);
        assertThat(fixture.events.count(ImportFixture.PROJECT)).isEqualTo(3);
        StoredEvent pageview = fixture.events.get(ImportFixture.PROJECT, UUID.fromString(GOOD_1)).orElseThrow();
        assertThat(JSON.readTree(pageview.properties()).get("n").asInt()).isEqualTo(3);
        assertThat(pageview.timestamp()).isEqualTo(Instant.parse("2026-11-02T10:00:00.123Z"));
    }

    @Test
    void gzippedCsvWorksToo() throws IOException {
        String csv = "event,distinct_id,timestamp\nsigned up,user-1,2026-11-02T10:05:00Z\n";
        ImportSummary summary = fixture.importer().from(stream(gzip(csv.getBytes(StandardCharsets.UTF_8))), ImportProgress.NONE);
        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(fixture.events.count(ImportFixture.PROJECT)).isEqualTo(1);
    }

    @Test
    void aCsvHeaderWithoutTheRequiredColumnsIsRefusedWithTheirNames() {
        String csv = "uuid,name,user\n,x,y\n";
        assertThatThrownBy(() -> fixture.importer().from(stream(csv.getBytes(StandardCharsets.UTF_8)), ImportProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event").hasMessageContaining("distinct_id").hasMessageContaining("timestamp");
    }

    @Test
    void oneBadRowInALargeChunkCostsOnlyItself() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_500; i++) {
            if (i == 1_234) lines.append("{\"event\":\"no id\",\"timestamp\":\"2026-11-02T10:00:00Z\"}\n");
            lines.append("{\"event\":\"e\",\"distinct_id\":\"u").append(i % 7).append("\",\"timestamp\":\"2026-11-02T10:00:00Z\"}\n");
        }
        ImportSummary summary = fixture.importer().from(stream(lines.toString().getBytes(StandardCharsets.UTF_8)), ImportProgress.NONE);
        assertThat(summary.rows()).isEqualTo(2_501);
        assertThat(summary.accepted()).isEqualTo(2_500);
        assertThat(summary.rejected()).isEqualTo(Map.of("missing_distinct_id", 1L));
        assertThat(fixture.events.count(ImportFixture.PROJECT)).isEqualTo(2_500);
    }

    @Test
    void importingTheSameFileTwiceStoresEachEventOnce() throws IOException {
        byte[] data = jsonLines().getBytes(StandardCharsets.UTF_8);
        fixture.importer().from(stream(data), ImportProgress.NONE);
        fixture.importer().from(stream(data), ImportProgress.NONE);
        assertThat(fixture.events.count(ImportFixture.PROJECT)).isEqualTo(4);
    }

    static ByteArrayInputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
