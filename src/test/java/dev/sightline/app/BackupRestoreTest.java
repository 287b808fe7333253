package dev.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.store.duckdb.Database;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sightline backup} while the server ingests (it asks the server, which holds the file),
 * and {@code sightline restore} into a fresh data directory: the copy holds every event
 * acknowledged before the backup began, only events that were sent, and rows equal to the live ones.
 * With the server stopped the command backs up the file itself.
 */
class BackupRestoreTest {
    @TempDir
    Path dir;

    private static String batch(TestServer server, List<String> uuids, int n, int client) {
        StringBuilder b = new StringBuilder("{\"api_key\":\"" + server.token() + "\",\"batch\":[");
        for (int i = 0; i < n; i++) {
            String uuid = UUID.randomUUID().toString();
            uuids.add(uuid);
            String distinctId = "user-" + client + "-" + (i % 5);
            b.append(i == 0 ? "" : ",").append(i % 7 == 0
                    ? "{\"event\":\"$identify\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + uuid + "\",\"properties\":{\"$set\":{\"plan\":\"pro\"}}}"
                    : "{\"event\":\"$pageview\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + uuid + "\",\"properties\":{\"n\":" + i + "}}");
        }
        return b.append("]}").toString();
    }

    /** Each row of the events table, by uuid, every column as text. */
    private static Map<String, String> rows(Path dataDir) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Database db = Database.open(dataDir); var c = db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT uuid::VARCHAR, * FROM events")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 2; i <= columns; i++) row.append(rs.getString(i)).append('|');
                rows.put(rs.getString(1), row.toString());
            }
        }
        return rows;
    }

    private static long persons(Path dataDir) throws Exception {
        try (Database db = Database.open(dataDir); var c = db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM persons")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aBackupTakenDuringIngestRestoresIntoAFreshDataDirectory() throws Exception {
        Path out = dir.resolve("backup");
        Set<String> ackedBefore;
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Path live;
        try (TestServer server = TestServer.start()) {
            live = server.dataDir();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        List<String> uuids = new ArrayList<>();
                        String body = batch(server, uuids, 50, client);
                        sent.addAll(uuids);
                        HttpResponse<String> r = server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8));
                        if (r.statusCode() == 200) acked.addAll(uuids);
                    }
                }));
            }
            while (acked.size() < 2000) Thread.sleep(20);
            ackedBefore = Set.copyOf(acked);
            String printed = DemoModeTest.run("backup", "--out", out.toString(), "--data-dir", live.toString(),
                    "--server", server.baseUrl(), "--personal-api-key", server.personalKey());
            int ackedAfterBackup = acked.size();
            assertThat(printed).contains("backed up").contains(out.toString());
            Thread.sleep(300);
            stop.set(true);
            for (Thread t : clients) t.join();
            assertThat(acked.size()).as("ingest went on during the backup").isGreaterThan(ackedAfterBackup);

            // only an administrator of the first organization may ask
            var meta = server.sightline().meta();
            long other = meta.createOrganization("other");
            meta.createPersonalApiKey(other, "other", "phx_other_org_admin_key_0123456789");
            HttpResponse<String> refused = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/backup"))
                    .header("Authorization", "Bearer phx_other_org_admin_key_0123456789").POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(refused.statusCode()).isEqualTo(403);
            server.sightline().close();

            Path restored = dir.resolve("restored");
            assertThat(DemoModeTest.run("restore", "--from", out.toString(), "--data-dir", restored.toString())).contains("restored");
            Map<String, String> backedUp = rows(restored);
            Map<String, String> now = rows(live);
            assertThat(backedUp.keySet()).as("every event acknowledged before the backup").containsAll(ackedBefore);
            assertThat(sent).as("only events that were sent").containsAll(backedUp.keySet());
            assertThat(now.keySet()).containsAll(backedUp.keySet());
            // the rows are the live ones, column for column (persons stamped at ingest, properties, enrichment)
            for (String uuid : backedUp.keySet()) assertThat(backedUp.get(uuid)).as(uuid).isEqualTo(now.get(uuid));
            assertThat(persons(restored)).isPositive().isLessThanOrEqualTo(persons(live));

            // the restored directory serves: a server on it answers with its events
            try (TestServer again = TestServer.start(restored)) {
                assertThat(again.getJson("/api/projects/1/events/?limit=1000").get("results")).hasSize(1000);
            }
        }
    }

    @Test
    void withTheServerStoppedTheFileIsBackedUpDirectly() throws Exception {
        Path data;
        try (TestServer server = TestServer.start()) {
            data = server.dataDir();
            List<String> uuids = new ArrayList<>();
            assertThat(server.post("/batch/", "application/json", batch(server, uuids, 40, 0).getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(200);
        }
        Path out = dir.resolve("offline-backup");
        assertThat(DemoModeTest.run("backup", "--out", out.toString(), "--data-dir", data.toString())).contains("backed up 40 events");
        Path restored = dir.resolve("offline-restored");
        assertThat(DemoModeTest.run("restore", "--from", out.toString(), "--data-dir", restored.toString())).contains("restored 40 events");
        assertThat(rows(restored)).isEqualTo(rows(data));
        assertThat(persons(restored)).isEqualTo(persons(data));
    }
}
