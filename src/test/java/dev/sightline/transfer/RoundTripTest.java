package dev.sightline.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.demo.DemoTraffic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export a project, import the file into a fresh data directory, export again: nothing is lost or changed. */
class RoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    @Test
    void exportThenImportIntoAFreshDataDirectoryKeepsEveryEventAndPerson() throws IOException {
        List<String> generated = new ArrayList<>();
        new DemoTraffic(new DemoTraffic.Settings(5, 6_000, Instant.parse("2026-11-29T00:00:00Z"), 7, Optional.of("phc_x")))
                .forEachLine(generated::add);

        Path firstExport = files.resolve("first.jsonl.gz");
        Path firstPersons = files.resolve("first-persons.jsonl");
        long exported;
        try (ImportFixture first = new ImportFixture()) {
            ImportSummary summary = first.importer().fromJsonLines(generated.iterator(), ImportProgress.NONE);
            assertThat(summary.accepted()).isEqualTo(generated.size());
            exported = first.export().events(ImportFixture.PROJECT, firstExport, true);
            first.export().persons(ImportFixture.PROJECT, firstPersons, false);
        }
        assertThat(exported).isEqualTo(generated.size());

        Path secondExport = files.resolve("second.jsonl");
        Path secondPersons = files.resolve("second-persons.jsonl");
        try (ImportFixture second = new ImportFixture(); InputStream in = Files.newInputStream(firstExport)) {
            ImportSummary summary = second.importer().from(in, ImportProgress.NONE);
            assertThat(summary.rejected()).isEmpty();
            assertThat(summary.accepted()).isEqualTo(generated.size());
            second.export().events(ImportFixture.PROJECT, secondExport, false);
            second.export().persons(ImportFixture.PROJECT, secondPersons, false);
        }

        Map<String, JsonNode> original = byUuid(generated);
        Map<String, JsonNode> first = byUuid(lines(firstExport));
        Map<String, JsonNode> second = byUuid(lines(secondExport));
        assertThat(second.keySet()).isEqualTo(first.keySet()).isEqualTo(original.keySet());
        for (Map.Entry<String, JsonNode> e : original.entrySet()) {
            JsonNode sent = e.getValue();
            JsonNode back = second.get(e.getKey());
            // the second export is the first one, byte for byte in meaning
            assertThat(back).isEqualTo(first.get(e.getKey()));
            assertThat(back.get("event")).isEqualTo(sent.get("event"));
            assertThat(back.get("distinct_id")).isEqualTo(sent.get("distinct_id"));
            assertThat(Instant.parse(back.get("timestamp").asText())).isEqualTo(Instant.parse(sent.get("timestamp").asText()));
            // capture folds a top-level $set / $set_once into properties, and person processing lifts
            // browser facts into them and drops $process_person_profile=true (PostHog's rules);
            // every property the SDK sent is still there with its value
            JsonNode stored = back.get("properties");
            sent.get("properties").properties().forEach(p -> {
                if (p.getKey().equals("$process_person_profile") && p.getValue().asBoolean()) return;
                assertThat(stored.get(p.getKey())).as(p.getKey()).isEqualTo(p.getValue());
            });
            for (String personUpdate : List.of("$set", "$set_once")) {
                if (!sent.has(personUpdate)) continue;
                sent.get(personUpdate).properties().forEach(p ->
                        assertThat(stored.get(personUpdate).get(p.getKey())).as(p.getKey()).isEqualTo(p.getValue()));
            }
        }
        // persons are rebuilt from the events by the pipeline: the same events give the same persons
        assertThat(lines(firstPersons)).hasSizeGreaterThan(10);
        assertThat(byUuid(lines(secondPersons))).isEqualTo(byUuid(lines(firstPersons)));
    }

    private static Map<String, JsonNode> byUuid(List<String> lines) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            out.put(node.get("uuid").asText(), node);
        }
        return out;
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
