package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.store.EnrichmentColumns;
import dev.sightline.store.EventRecord;
import dev.sightline.store.duckdb.Database;
import dev.sightline.identity.PersonChanges;
import dev.sightline.store.duckdb.DuckDbIngest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * A fixed, seeded dataset written straight into a real DuckDB file, and kept in plain Java for
 * the {@link Oracle} to compute expected answers from. It has merged persons (read-time
 * overrides), events stored without a person (resolved by distinct id, or not at all),
 * personless events, hostile property keys and values, and a second project that reuses the
 * first one's distinct ids and person ids.
 */
final class Dataset {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2025-02-20T00:00:00Z");
    static final Instant NOW = Instant.parse("2025-03-31T15:00:00Z");
    static final String WEIRD_EVENT = "it's \"odd\"; DROP TABLE events; --";
    static final String UNICODE_EVENT = "ünï €vent 🎉";
    static final List<String> WEIRD_KEYS = List.of("it's \"quoted\"", "back\\slash", "$dollar", "ünïcødé 🎉",
            "DROP TABLE events; --", "a/b~c", "$$_posthog_breakdown_null_$$", "'); SELECT 1; --");
    static final List<String> WEIRD_VALUES = List.of("O'Reilly", "\"double\"", "back\\slash", "100%_off", "ünï 🎉",
            "'; DELETE FROM events; --", "$x", "");
    static final List<String> EVENTS = List.of("$pageview", "$pageview", "$pageview", "$pageview", "signup", "purchase", "purchase",
            WEIRD_EVENT, UNICODE_EVENT, "$screen");
    static final List<String> BROWSERS = List.of("Chrome", "Chrome", "Chrome", "Firefox", "Safari", "Edge", "Opera");
    static final List<String> URLS = List.of("https://a.test/", "https://a.test/pricing", "https://a.test/docs", "https://a.test/signup");

    record Ev(long project, UUID uuid, String event, String distinctId, Instant ts, JsonNode props, UUID stamped,
              String sessionId, String personMode) {}

    record Person(long project, UUID id, JsonNode props, Instant createdAt, List<String> distinctIds) {}

    final List<Ev> events = new ArrayList<>();
    final Map<Long, Map<UUID, Person>> persons = new HashMap<>();
    final Map<Long, Map<String, UUID>> overrides = new HashMap<>();
    final Map<Long, Map<String, UUID>> distinctIds = new HashMap<>();
    final List<UUID> mergedPersons = new ArrayList<>();

    static Dataset generate(long projectA, long projectB, long seed) {
        Dataset d = new Dataset();
        Random r = new Random(seed);
        d.project(projectA, 90, r, true);
        d.project(projectB, 15, new Random(seed + 1), false);
        return d;
    }

    private void project(long project, int people, Random r, boolean rich) {
        Map<UUID, Person> ps = persons.computeIfAbsent(project, k -> new HashMap<>());
        Map<String, UUID> ov = overrides.computeIfAbsent(project, k -> new HashMap<>());
        Map<String, UUID> pdi = distinctIds.computeIfAbsent(project, k -> new HashMap<>());
        for (int i = 0; i < people; i++) {
            // the same ids in both projects: isolation must come from project_id alone
            UUID id = new UUID(0x5157L << 48 | i, 0x8000_0000_0000_0000L | i);
            String user = "user-" + i;
            List<String> ids = new ArrayList<>(List.of(user));
            UUID ghost = null;
            int kind = i % 10;
            if (rich && kind == 3) {
                // merged: events of anon-i were stamped with a person that no longer exists
                ghost = new UUID(0xdeadL << 48 | i, 0x8000_0000_0000_0000L | i);
                ids.add("anon-" + i);
                ov.put("anon-" + i, id);
                mergedPersons.add(id);
            }
            if (rich && kind == 5) ids.add("legacy-" + i);
            for (String did : ids) pdi.put(did, id);

            int n = r.nextInt(rich ? 40 : 8);
            Instant first = null;
            for (int k = 0; k < n; k++) {
                String did = ids.get(r.nextInt(ids.size()));
                Instant ts = START.plusSeconds((long) (r.nextDouble() * ChronoUnit.SECONDS.between(START, NOW.minusSeconds(3600))));
                if (r.nextInt(6) == 0 && k > 0) ts = events.getLast().ts().plusSeconds(r.nextInt(3 * 86400)); // bursts
                if (ts.isAfter(NOW)) ts = NOW.minusSeconds(r.nextInt(3600));
                UUID stamped = did.equals("anon-" + i) ? ghost : did.startsWith("legacy-") ? null : id;
                String mode = rich && r.nextInt(25) == 0 ? "propertyless" : "full";
                events.add(new Ev(project, new UUID(r.nextLong(), r.nextLong()), EVENTS.get(r.nextInt(EVENTS.size())), did, ts,
                        props(r, rich, did, ts), stamped, "s-" + did + "-" + ts.truncatedTo(ChronoUnit.DAYS).getEpochSecond(), mode));
                if (first == null || ts.isBefore(first)) first = ts;
            }
            ObjectNode pp = JSON.createObjectNode();
            pp.put("email", i % 7 == 0 ? "staff" + i + "@internal.test" : "p" + i + "@example.com");
            if (i % 3 != 0) pp.put("plan", i % 3 == 1 ? "free" : "pro");
            pp.put("age", 18 + i % 50);
            if (rich) pp.put(WEIRD_KEYS.get(i % WEIRD_KEYS.size()), WEIRD_VALUES.get(i % WEIRD_VALUES.size()));
            Instant created = first == null ? START : (i % 4 == 0 ? first.minus(10, ChronoUnit.DAYS) : first);
            ps.put(id, new Person(project, id, pp, created.truncatedTo(ChronoUnit.SECONDS), List.copyOf(ids)));
        }
        if (!rich) {
            // an override in this project only: it must not move project A's user-1
            ov.put("user-1", new UUID(0x5157L << 48 | 2, 0x8000_0000_0000_0000L | 2));
        }
        if (rich) {
            // events stored before identity processing, whose distinct id no person owns
            for (int k = 0; k < 12; k++) {
                String did = "orphan-" + (k % 4);
                Instant ts = START.plusSeconds((long) (r.nextDouble() * ChronoUnit.SECONDS.between(START, NOW)));
                events.add(new Ev(project, new UUID(r.nextLong(), r.nextLong()), "$pageview", did, ts, props(r, true, did, ts), null,
                        "s-" + did, "full"));
            }
        }
    }

    private static JsonNode props(Random r, boolean rich, String did, Instant ts) {
        ObjectNode p = JSON.createObjectNode();
        int b = r.nextInt(BROWSERS.size() + 1);
        if (b < BROWSERS.size()) p.put("$browser", BROWSERS.get(b));
        if (r.nextInt(4) > 0) p.put("amount", r.nextInt(200) / 2.0);
        if (r.nextInt(5) == 0) p.put("amount_text", String.valueOf(r.nextInt(100)));
        p.put("$current_url", URLS.get(r.nextInt(URLS.size())));
        p.put("$session_id", "s-" + did + "-" + ts.truncatedTo(ChronoUnit.DAYS).getEpochSecond());
        if (r.nextInt(3) == 0) p.put("flag", r.nextBoolean());
        if (r.nextInt(3) == 0) p.put("seen_at", "2025-03-" + String.format("%02d", 1 + r.nextInt(28)) + " 10:00:00");
        if (rich && r.nextInt(2) == 0) {
            int k = r.nextInt(WEIRD_KEYS.size());
            p.put(WEIRD_KEYS.get(k), WEIRD_VALUES.get(r.nextInt(WEIRD_VALUES.size())));
        }
        return p;
    }

    /** Writes everything through the pipeline's own commit path, plus person rows. */
    void write(Database db) throws Exception {
        DuckDbIngest store = new DuckDbIngest(db);
        List<EventRecord> records = new ArrayList<>();
        int n = 0;
        for (Ev e : events) {
            String pp = e.stamped() == null ? "{}" : persons.get(e.project()).containsKey(e.stamped())
                    ? persons.get(e.project()).get(e.stamped()).props().toString() : "{}";
            // every other event as the pipeline stores it, enrichment's text values in their columns;
            // the rest as events stored before those columns (or as sent), with every key in the JSON
            EnrichmentColumns.Split split = n++ % 2 == 0 ? EnrichmentColumns.split((ObjectNode) e.props()) : null;
            records.add(new EventRecord(e.project(), e.uuid(), e.event(), e.distinctId(), e.ts(), e.ts(),
                    split != null ? split.json() : e.props().toString(), Optional.ofNullable(e.stamped()), pp, Optional.of(e.personMode()),
                    Optional.of(e.sessionId()), EventRecord.NO_GROUPS, Optional.empty(), split != null ? split.values() : null));
        }
        store.commit(records, PersonChanges.NONE);
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO persons VALUES (?, ?, ?, true, make_timestamp(CAST(? AS BIGINT)), 1)")) {
                for (var byProject : persons.values()) {
                    for (Person p : byProject.values()) {
                        ps.setLong(1, p.project());
                        ps.setObject(2, p.id());
                        ps.setString(3, p.props().toString());
                        ps.setLong(4, ChronoUnit.MICROS.between(Instant.EPOCH, p.createdAt()));
                        ps.executeUpdate();
                    }
                }
            }
            insertIds(c, "person_distinct_ids", distinctIds);
            insertIds(c, "person_distinct_id_overrides", overrides);
        }
    }

    private static void insertIds(Connection c, String table, Map<Long, Map<String, UUID>> rows) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, 1)")) {
            for (var p : rows.entrySet()) {
                for (var e : p.getValue().entrySet()) {
                    ps.setLong(1, p.getKey());
                    ps.setString(2, e.getKey());
                    ps.setObject(3, e.getValue());
                    ps.executeUpdate();
                }
            }
        }
    }
}
