package dev.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sightline import` and `sightline export` as a user runs them. */
class TransferCommandsTest {
    @TempDir
    Path dir;

    @Test
    void importPrintsRejectionsByReasonAndExportWritesEveryStoredEvent() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, """
                {"uuid":"00000000-0000-7000-8000-00000000000a","event":"a","distinct_id":"u1","timestamp":"2025-01-02T03:04:05Z","properties":{"x":1}}
                {"event":"b","timestamp":"2025-01-02T03:04:06Z"}
                {"uuid":"00000000-0000-7000-8000-00000000000b","event":"c","distinct_id":"u2","timestamp":"2025-01-02T03:04:07Z"}
                {"event":"d","distinct_id":"u2"}
                """);
        Path data = dir.resolve("data");
        String out = DemoModeTest.run("import", file.toString(), "--data-dir", data.toString());
        assertThat(out).contains("4 rows read, 2 accepted, 2 new events stored, 2 rejected")
                .containsPattern("rejected invalid_timestamp\\s+1")
                .containsPattern("rejected missing_distinct_id\\s+1");

        Path export = dir.resolve("export.jsonl.gz");
        Path persons = dir.resolve("persons.jsonl");
        String exported = DemoModeTest.run("export", "--out", export.toString(), "--persons", persons.toString(),
                "--data-dir", data.toString());
        assertThat(exported).contains("2 events");
        assertThat(persons).exists();

        // re-importing the export into the same project adds nothing: the uuids are already there
        String again = DemoModeTest.run("import", export.toString(), "--data-dir", data.toString());
        assertThat(again).contains("2 rows read, 2 accepted, 0 new events stored, 0 rejected");

        Set<String> uuids = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(export))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                uuids.add(json.readTree(line).get("uuid").asText());
            }
        }
        assertThat(uuids).containsExactlyInAnyOrder("00000000-0000-7000-8000-00000000000a", "00000000-0000-7000-8000-00000000000b");
    }
}
