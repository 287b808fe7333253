package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DatabaseCopy;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Deleting a person (GDPR Art. 17) removes everything that names it, from the database file and
 * not only from the answers. Its distinct ids used to stay in {@code person_merges} and
 * {@code personless_distinct_ids}, and deleted rows stayed in the file: DuckDB keeps a deleted
 * row in its row group, and the blocks a checkpoint rewrites are freed, not cleared.
 */
class PersonErasureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void capture(TestServer server, String events) {
        HttpResponse<String> r = server.post("/batch/", "application/json",
                ("{\"api_key\":\"" + server.token() + "\",\"batch\":[" + events + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> delete(TestServer server, String pathAndQuery) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + server.personalKey()).DELETE().build());
    }

    /** The ids of {@code found} that the data directory's files (database and WAL) hold as plain bytes. */
    private static List<String> inFiles(Path dataDir, String... ids) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("sightline.duckdb")).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String id : ids) if (bytes.contains(id)) found.add(id + " in " + f.getFileName());
            }
        }
        return found;
    }

    private static String event(String name, String distinctId, String extra) {
        return "{\"event\":\"" + name + "\",\"distinct_id\":\"" + distinctId + "\",\"properties\":{" + extra + "}}";
    }

    @Test
    void aDeletedPersonsIdsLeaveEveryTableAndTheDatabaseFile() throws Exception {
        String m = UUID.randomUUID().toString().replace("-", "");
        String anon = "anon-" + m, user = "user-" + m, email = "ada-" + m + "@example.com", guest = "guest-" + m, keep = "keep-" + m;
        try (TestServer server = TestServer.start()) {
            // two persons, then an identify that merges them: a merge row names both ids
            capture(server, event("$pageview", anon, "\"$current_url\":\"https://example.com/?email=" + email + "\"") + ","
                    + event("$pageview", user, "\"plan\":\"trial\""));
            capture(server, String.join(",",
                    event("$identify", user, "\"$anon_distinct_id\":\"" + anon + "\",\"$set\":{\"email\":\"" + email + "\"}"),
                    event("$pageview", user, "\"plan\":\"pro\""),
                    event("$pageview", guest, "\"$process_person_profile\":false"),
                    event("$pageview", keep, "\"plan\":\"free\"")));
            JsonNode person = server.getJson("/api/projects/" + server.projectId() + "/persons/?distinct_id=" + user).get("results").get(0);
            assertThat(server.getJson("/api/projects/" + server.projectId() + "/persons/" + person.get("id").asText() + "/merges/")
                    .get("results")).as("the identify merged the anonymous person").isNotEmpty();
            // a clean restart checkpoints: the ids are in the file as plain text (the test's own control)
            server.restart();
            // (each id at least once: a fold at start may also have written the web sessions that name them to the WAL)
            List<String> before = inFiles(server.dataDir(), anon, user, email, guest, keep);
            for (String id : List.of(anon, user, email, guest, keep)) assertThat(before).anyMatch(f -> f.startsWith(id + " in "));

            HttpResponse<String> gone = delete(server, "/api/projects/" + server.projectId() + "/persons/" + person.get("id").asText() + "/?delete_events=true");
            assertThat(gone.statusCode()).as(gone.body()).isEqualTo(204);
            HttpResponse<String> guestGone = delete(server, "/api/projects/" + server.projectId() + "/persons/?distinct_id=" + guest + "&delete_events=true");
            assertThat(guestGone.statusCode()).as(guestGone.body()).isEqualTo(204);
            assertThat(delete(server, "/api/projects/" + server.projectId() + "/persons/?distinct_id=" + guest).statusCode())
                    .as("nothing left to delete").isEqualTo(404);

            // gone from the answers at once
            for (String id : List.of(anon, user, guest)) {
                assertThat(server.getJson("/api/projects/" + server.projectId() + "/events/?distinct_id=" + id).get("results")).isEmpty();
                assertThat(server.getJson("/api/projects/" + server.projectId() + "/persons/?distinct_id=" + id).get("results")).isEmpty();
            }
            // and from the file's bytes once it is next opened: DuckDB keeps deleted rows in their row
            // groups and does not clear freed blocks, so the open compacts the file first
            assertThat(DatabaseCopy.erasurePending(server.dataDir())).isTrue();
            assertThat(rowsNaming(server, m)).as("rows of any table that name the deleted ids (only keep-... may)")
                    .allSatisfy(row -> assertThat(row).contains(keep));
            assertThat(DatabaseCopy.erasurePending(server.dataDir())).isFalse();
            assertThat(inFiles(server.dataDir(), anon, user, email, guest)).isEmpty();
            assertThat(inFiles(server.dataDir(), keep)).as("what was kept is still there").isNotEmpty();
            server.restart();
            assertThat(server.getJson("/api/projects/" + server.projectId() + "/events/?distinct_id=" + keep).get("results")).hasSize(1);
            assertThat(server.getJson("/api/projects/" + server.projectId() + "/persons/?distinct_id=" + keep).get("results")).hasSize(1);
        }
    }

    /** Every text value of every table that contains {@code marker}, as "table.column: value"; stops the server to open its file. */
    private static List<String> rowsNaming(TestServer server, String marker) throws Exception {
        server.sightline().close();
        List<String> found = new ArrayList<>();
        try (Database db = Database.open(server.dataDir()); var c = db.connect(); var st = c.createStatement()) {
            List<String[]> columns = new ArrayList<>();
            try (var rs = st.executeQuery("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'"
                    + " AND data_type IN ('VARCHAR', 'JSON') AND table_name IN (SELECT table_name FROM duckdb_tables())")) {
                while (rs.next()) columns.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            for (String[] col : columns) {
                try (var ps = c.prepareStatement("SELECT \"" + col[1] + "\" FROM \"" + col[0] + "\" WHERE contains(\"" + col[1] + "\", ?)")) {
                    ps.setString(1, marker);
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) found.add(col[0] + "." + col[1] + ": " + rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    @Test
    void bulkDeletionTakesPostHogsShape() throws Exception {
        try (TestServer server = TestServer.start()) {
            capture(server, String.join(",", event("e", "a", ""), event("e", "b", ""), event("e", "c", ""), event("e", "d", "")));
            String c = server.getJson("/api/projects/" + server.projectId() + "/persons/?distinct_id=c").get("results").get(0).get("id").asText();
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/persons/bulk_delete/"))
                    .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ids\":[\"" + c + "\"],\"distinct_ids\":[\"a\",\"b\",\"nobody\"],\"delete_events\":true}")).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(JSON.readTree(r.body()).get("persons_deleted").asInt()).isEqualTo(3);
            for (String id : List.of("a", "b", "c")) {
                assertThat(server.getJson("/api/projects/" + server.projectId() + "/events/?distinct_id=" + id).get("results")).isEmpty();
            }
            assertThat(server.getJson("/api/projects/" + server.projectId() + "/events/?distinct_id=d").get("results")).hasSize(1);

            for (String bad : List.of("{}", "{\"ids\":[\"not-a-uuid\"]}", "{\"distinct_ids\":\"a\"}", "{\"distinct_ids\":[\"a\"],\"keep_person\":true}")) {
                HttpResponse<String> refused = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/persons/bulk_delete/"))
                        .header("Authorization", "Bearer " + server.personalKey()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bad)).build());
                assertThat(refused.statusCode()).as(bad + " -> " + refused.body()).isEqualTo(400);
            }
        }
    }
}
