package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.identity.PersonChanges;
import dev.sightline.query.PropertyFilter;
import dev.sightline.store.EnrichmentColumns;
import dev.sightline.store.EventQuery;
import dev.sightline.store.EventRecord;
import dev.sightline.store.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * Enrichment's text properties live in columns of their own: whatever the shape of a value, an
 * event reads back whole and the same, each column holds what {@code json_extract_string} gives
 * for the properties as captured, and events stored as sent (every key in the JSON) read the same
 * as events the pipeline split.
 */
class EnrichmentColumnsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    /** Property sets with every kind of value under the keys, and none of them. */
    static final List<String> PROPERTIES = List.of(
            "{\"$browser\": \"Chrome\", \"$os\": \"Mac OS X\", \"$geoip_city_name\": \"São Paulo\", \"$current_url\": \"https://x.io/\", \"n\": 1}",
            "{\"$browser\": \"Fire\\\"fox\\\\\", \"$device_type\": \"Mobile\", \"$geoip_latitude\": 47.14}",
            "{\"$os_version\": 17.5, \"$geoip_postal_code\": 10115, \"$browser\": true}",
            "{\"$geoip_country_code\": null, \"$geoip_time_zone\": {\"nested\": [1, \"two\"]}, \"$os\": [\"a\"]}",
            "{\"$browser\": \"\", \"$geoip_country_name\": \"🎉 ünïcødé\"}",
            "{\"only\": \"other keys\", \"$set\": {\"$browser\": \"not top level\"}}",
            "{\"$os\": \"Linux\"}",
            "{}");

    @Test
    void splittingTakesTextOutOfTheJsonAndLeavesTheTreeAsItWas() throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(PROPERTIES.get(0));
        String before = tree.toString();
        EnrichmentColumns.Split split = EnrichmentColumns.split(tree);
        assertThat(tree.toString()).isEqualTo(before);
        assertThat(JSON.readTree(split.json())).isEqualTo(JSON.readTree("{\"$current_url\": \"https://x.io/\", \"n\": 1}"));
        assertThat(split.values().get(EnrichmentColumns.KEYS.indexOf("$browser"))).isEqualTo("Chrome");
        assertThat(split.values().get(EnrichmentColumns.KEYS.indexOf("$geoip_city_name"))).isEqualTo("São Paulo");
        assertThat(split.values().get(EnrichmentColumns.KEYS.indexOf("$device_type"))).isNull();

        // a value that is not text stays in the JSON as sent; its column holds its text
        EnrichmentColumns.Split numbers = EnrichmentColumns.split((ObjectNode) JSON.readTree(PROPERTIES.get(2)));
        assertThat(JSON.readTree(numbers.json())).isEqualTo(JSON.readTree(PROPERTIES.get(2)));
        assertThat(numbers.values().get(EnrichmentColumns.KEYS.indexOf("$os_version"))).isEqualTo("17.5");
        assertThat(numbers.values().get(EnrichmentColumns.KEYS.indexOf("$browser"))).isEqualTo("true");

        // reading the values from unsplit JSON text gives what splitting gives
        for (String p : PROPERTIES) {
            assertThat(EnrichmentColumns.read(p)).as(p).isEqualTo(EnrichmentColumns.split((ObjectNode) JSON.readTree(p)).values());
        }
        assertThatThrownBy(() -> EnrichmentColumns.read("{\"$browser\": ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitAndUnsplitEventsReadBackWholeAndAlike() throws Exception {
        Path dir = Files.createTempDirectory("enrichment-columns");
        try (Database db = Database.open(dir)) {
            // each property set twice: as the pipeline writes it (split) and as sent (all in the JSON)
            List<EventRecord> records = new ArrayList<>();
            Map<UUID, String> original = new HashMap<>();
            Map<UUID, UUID> twin = new HashMap<>();
            for (int i = 0; i < PROPERTIES.size(); i++) {
                String p = PROPERTIES.get(i);
                EnrichmentColumns.Split split = EnrichmentColumns.split((ObjectNode) JSON.readTree(p));
                UUID a = new UUID(1, i);
                UUID b = new UUID(2, i);
                records.add(record(a, i, split.json(), split.values()));
                records.add(record(b, i, p, null));
                original.put(a, p);
                original.put(b, p);
                twin.put(a, b);
            }
            new DuckDbIngest(db).commit(records, PersonChanges.NONE);

            DuckDbEvents events = new DuckDbEvents(db);
            for (var e : original.entrySet()) {
                StoredEvent stored = events.get(1, e.getKey()).orElseThrow();
                assertThat(JSON.readTree(stored.properties())).as(e.getValue()).isEqualTo(JSON.readTree(e.getValue()));
            }
            // each column holds json_extract_string of the properties as captured, split or not
            try (DuckDBConnection c = db.connect()) {
                for (String key : EnrichmentColumns.KEYS) {
                    String column = EnrichmentColumns.COLUMNS.get(key);
                    try (PreparedStatement ps = c.prepareStatement("SELECT uuid, " + column + ", json_extract_string(CAST(? AS VARCHAR), ?) FROM events")) {
                        for (var e : original.entrySet()) {
                            // one row per property set is enough to compare the column with DuckDB's own reading
                            ps.setString(1, e.getValue());
                            ps.setString(2, JsonPath.pointer(key));
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    if (!rs.getObject(1).equals(e.getKey())) continue;
                                    assertThat(rs.getString(2)).as("%s of %s", key, e.getValue()).isEqualTo(rs.getString(3));
                                }
                            }
                        }
                    }
                }
            }
            // filters on the events list read the columns: both shapes match alike
            for (String[] f : new String[][]{{"$browser", "exact", "\"Chrome\""}, {"$browser", "is_set", "null"}, {"$os", "icontains", "\"mac\""},
                    {"$os_version", "gt", "17"}, {"$geoip_country_code", "is_not_set", "null"}}) {
                JsonNode filter = JSON.readTree("[{\"key\": \"" + f[0] + "\", \"operator\": \"" + f[1] + "\", \"value\": " + f[2] + ", \"type\": \"event\"}]");
                List<UUID> found = events.list(1, new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        PropertyFilter.parseList(filter), 100, Optional.empty())).stream().map(StoredEvent::uuid).toList();
                assertThat(found).as("%s %s", f[0], f[1]).isNotEmpty();
                for (var pair : twin.entrySet()) assertThat(found.contains(pair.getKey())).as("%s %s", f[0], f[1]).isEqualTo(found.contains(pair.getValue()));
            }
            // the export writes whole properties too
            Path file = dir.resolve("events.jsonl.gz");
            new DuckDbExport(db).events(1, file, true);
            int lines = 0;
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new GZIPInputStream(Files.newInputStream(file))))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode row = JSON.readTree(line);
                    assertThat(row.get("properties")).isEqualTo(JSON.readTree(original.get(UUID.fromString(row.get("uuid").asText()))));
                    lines++;
                }
            }
            assertThat(lines).isEqualTo(original.size());
        }
    }

    @Test
    void eventsStoredBeforeTheColumnsExistedGetThemFilledAndReadTheSame() throws Exception {
        Path dir = Files.createTempDirectory("enrichment-columns-migration");
        String properties = PROPERTIES.get(0);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("sightline.duckdb").toAbsolutePath())) {
            // every step before the one that adds the columns
            Migrations.apply(c, java.util.stream.IntStream.range(0, Migrations.STEPS.size())
                    .filter(i -> Migrations.STEPS.get(i).contains("ADD COLUMN ep_browser")).findFirst().orElseThrow());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (project_id, uuid, event, distinct_id, timestamp, created_at, properties, "
                    + "person_properties) VALUES (1, ?, '$pageview', 'old', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:00', ?, '{}')")) {
                ps.setObject(1, new UUID(3, 3));
                ps.setString(2, properties);
                ps.executeUpdate();
            }
        }
        try (Database db = Database.open(dir); DuckDBConnection c = db.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT ep_browser, ep_os, ep_geoip_city_name, ep_device_type, properties FROM events")) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3))).containsExactly("Chrome", "Mac OS X", "São Paulo");
            assertThat(rs.getString(4)).isNull();
            assertThat(rs.getString(5)).isEqualTo(properties);
            assertThat(JSON.readTree(new DuckDbEvents(db).get(1, new UUID(3, 3)).orElseThrow().properties())).isEqualTo(JSON.readTree(properties));
        }
    }

    static EventRecord record(UUID uuid, int i, String properties, List<String> enrichment) {
        return new EventRecord(1, uuid, "$pageview", "visitor-" + i, T0.plusSeconds(i), T0, properties, Optional.empty(), "{}",
                Optional.empty(), Optional.empty(), EventRecord.NO_GROUPS, Optional.empty(), enrichment);
    }
}
