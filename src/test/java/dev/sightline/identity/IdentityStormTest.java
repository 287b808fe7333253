package dev.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many clients sending overlapping identify / alias / $set storms at once. Whatever order the
 * server chose, the stored persons must equal a one-by-one replay of the stored events in that
 * order, with no orphan ids or persons.
 */
class IdentityStormTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int THREADS = 8;
    static final int REQUESTS_PER_THREAD = 60;

    @Test
    void concurrentStormsEndInTheStateOfASequentialReplay() throws Exception {
        Map<String, Set<String>> storedGroups;
        Map<String, String> storedProperties;
        List<IdentityEvent> processedOrder = new ArrayList<>();
        long project;
        try (TestServer server = TestServer.start()) {
            project = server.projectId();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                List<Future<?>> sent = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    sent.add(pool.submit(() -> storm(server, thread)));
                }
                for (Future<?> f : sent) f.get();
            }
            server.sightline().close();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + server.dataDir().resolve("sightline.duckdb"))) {
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT uuid, event, distinct_id, epoch_us(timestamp), properties FROM events ORDER BY rowid")) {
                    while (rs.next()) {
                        processedOrder.add(new IdentityEvent(project, (UUID) rs.getObject(1), rs.getString(2), rs.getString(3),
                                Instant.EPOCH.plus(rs.getLong(4), ChronoUnit.MICROS), (ObjectNode) JSON.readTree(rs.getString(5))));
                    }
                }
                storedGroups = groups(c, "SELECT distinct_id, person_id::VARCHAR FROM person_distinct_ids");
                storedProperties = new HashMap<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT uuid::VARCHAR, properties FROM persons")) {
                    while (rs.next()) storedProperties.put(rs.getString(1), JSON.readTree(rs.getString(2)).toString());
                }
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM person_distinct_ids d WHERE d.person_id = p.uuid)")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("persons without any distinct id").isZero();
                }
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM person_distinct_ids d WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.uuid = d.person_id)")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("distinct ids pointing at no person").isZero();
                }
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM person_merges m WHERE kind <> 'split' AND EXISTS "
                                + "(SELECT 1 FROM persons p WHERE p.uuid = m.source_person_id)")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("merged-away persons still alive").isZero();
                }
            }
        }
        assertThat(processedOrder).hasSizeGreaterThan(THREADS * REQUESTS_PER_THREAD);

        InMemoryPersonStore replayStore = new InMemoryPersonStore();
        PersonProcessor replay = new PersonProcessor(replayStore);
        for (IdentityEvent e : processedOrder) {
            BatchOutcome outcome = replay.process(List.of(e));
            replayStore.write(outcome.changes());
            replay.committed(outcome.changes());
        }
        Map<String, Set<String>> replayGroups = new HashMap<>();
        Map<String, String> replayProperties = new HashMap<>();
        for (String id : storedGroups.keySet()) {
            DistinctIdMapping m = replayStore.mappings(project, List.of(id)).get(id);
            assertThat(m).as("replay knows " + id).isNotNull();
            replayGroups.put(id, new TreeSet<>(replayStore.mappingsOf(project, m.personUuid()).stream().map(DistinctIdMapping::distinctId).toList()));
            Person p = replayStore.persons(project, List.of(m.personUuid())).get(m.personUuid());
            replayProperties.put(m.personUuid().toString(), p.properties().toObjectNode().toString());
        }
        assertThat(storedGroups).isEqualTo(replayGroups);
        assertThat(storedProperties).isEqualTo(replayProperties);
        assertThat(storedGroups.values().stream().mapToInt(Set::size).max().orElse(0)).as("some merging happened").isGreaterThan(1);
    }

    /** Each thread plays users 0..29 (shared by all threads) on devices of its own, with conflicting $sets. */
    private static void storm(TestServer server, int thread) {
        Random random = new Random(thread);
        for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
            StringBuilder batch = new StringBuilder("{\"api_key\":\"" + server.token() + "\",\"batch\":[");
            int events = 1 + random.nextInt(5);
            for (int j = 0; j < events; j++) {
                if (j > 0) batch.append(',');
                String user = "user-" + random.nextInt(30);
                String device = "device-" + thread + "-" + random.nextInt(10);
                String props = switch (random.nextInt(5)) {
                    case 0 -> "{\"event\":\"$identify\",\"distinct_id\":\"" + user + "\",\"properties\":{\"$anon_distinct_id\":\"" + device
                            + "\",\"$set\":{\"plan\":\"p" + random.nextInt(4) + "\",\"t" + thread + "\":" + i + "}}}";
                    case 1 -> "{\"event\":\"$create_alias\",\"distinct_id\":\"" + user + "\",\"properties\":{\"alias\":\"alias-"
                            + random.nextInt(40) + "\"}}";
                    case 2 -> "{\"event\":\"$set\",\"distinct_id\":\"" + user + "\",\"properties\":{\"$set\":{\"score\":" + random.nextInt(100)
                            + "},\"$set_once\":{\"first\":\"t" + thread + "\"}}}";
                    case 3 -> "{\"event\":\"$pageview\",\"distinct_id\":\"" + device + "\",\"properties\":{\"$process_person_profile\":false}}";
                    default -> "{\"event\":\"click\",\"distinct_id\":\"" + device + "\",\"properties\":{\"$set\":{\"last_thread\":" + thread + "}}}";
                };
                batch.append(props);
            }
            batch.append("]}");
            var response = server.post("/batch/", "application/json", batch.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private static Map<String, Set<String>> groups(Connection c, String sql) throws Exception {
        Map<String, String> personOf = new HashMap<>();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) personOf.put(rs.getString(1), rs.getString(2));
        }
        Map<String, Set<String>> members = new HashMap<>();
        personOf.forEach((id, person) -> members.computeIfAbsent(person, k -> new TreeSet<>()).add(id));
        Map<String, Set<String>> out = new HashMap<>();
        personOf.forEach((id, person) -> out.put(id, members.get(person)));
        return out;
    }
}
