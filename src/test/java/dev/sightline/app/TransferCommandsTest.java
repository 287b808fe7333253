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

    @Test
    void materializeFillsStoredEventsAndLaterImportsFillTheirs() throws Exception {
        Path data = dir.resolve("data");
        Path first = dir.resolve("first.jsonl");
        Files.writeString(first, """
                {"uuid":"00000000-0000-7000-8000-0000000000a1","event":"buy","distinct_id":"u1","timestamp":"2025-01-02T03:04:05Z","properties":{"amount":12.5,"it's":"x"}}
                {"uuid":"00000000-0000-7000-8000-0000000000a2","event":"buy","distinct_id":"u2","timestamp":"2025-01-02T03:04:06Z","properties":{}}
                """);
        DemoModeTest.run("import", first.toString(), "--data-dir", data.toString());
        String out = DemoModeTest.run("materialize", "amount", "it's", "--data-dir", data.toString());
        assertThat(out).contains("'amount' → mp_1: 2 events filled").contains("'it's' → mp_2: 2 events filled")
                .contains("materialized properties: [amount, it's]");
        assertThat(DemoModeTest.run("materialize", "amount", "--data-dir", data.toString())).contains("'amount' has a column already (mp_1)");

        Path second = dir.resolve("second.jsonl");
        Files.writeString(second, """
                {"uuid":"00000000-0000-7000-8000-0000000000a3","event":"buy","distinct_id":"u3","timestamp":"2025-01-02T03:04:07Z","properties":{"amount":"7","it's":true}}
                """);
        DemoModeTest.run("import", second.toString(), "--data-dir", data.toString());
        try (var db = dev.sightline.store.duckdb.Database.open(data); var c = db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT string_agg(coalesce(mp_1, '-') || '/' || coalesce(mp_2, '-'), ' ' ORDER BY uuid) FROM events")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("12.5/x -/- 7/true");
        }
    }

    @Test
    void aCommandOnTheDataOfARunningServerSaysSoInOneLine() {
        Path data = dir.resolve("busy");
        try (var server = dev.sightline.testing.ServerProcess.start(data)) {
            java.io.StringWriter err = new java.io.StringWriter();
            int code = new picocli.CommandLine(new Main()).setExecutionExceptionHandler(Main::failure)
                    .setErr(new java.io.PrintWriter(err, true)).execute("materialize", "amount", "--data-dir", data.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString().strip()).startsWith("sightline materialize: the data directory ").contains("is in use by another Sightline process")
                    .contains("stop the server first").doesNotContain("\tat ");
        }
    }
}
