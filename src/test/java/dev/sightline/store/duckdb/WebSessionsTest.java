package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.identity.PersonChanges;
import dev.sightline.query.Dialect;
import dev.sightline.query.Sql;
import dev.sightline.store.EventRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * The web session rollup read through the dialect's relation, against each session's facts
 * computed in plain Java from the events stored: with a session's events spread over batches that
 * arrive out of order, while parts wait, after folds, after deletions and after the migration's fill.
 */
class WebSessionsTest {
    final Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
    final Random random = new Random(21);
    final List<EventRecord> stored = new ArrayList<>();
    final Set<Long> usedTimes = new HashSet<>();
    static final String[] EVENTS = {"$pageview", "$pageview", "$autocapture", "$pageleave", "signup", "$screen"};
    static final String[] BROWSERS = {"Chrome", "Firefox", "Safari"};

    List<EventRecord> batch(int size, int sessions) {
        List<EventRecord> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long project = 1 + random.nextInt(2);
            int s = random.nextInt(sessions);
            String event = EVENTS[random.nextInt(EVENTS.length)];
            long second;
            do second = random.nextInt(864_000); while (!usedTimes.add(second));
            String path = "/p" + random.nextInt(6);
            String props = "{\"$pathname\": \"" + path + "\", \"$screen_name\": \"Screen" + path + "\", \"utm_source\": \"src-" + random.nextInt(3)
                    + "\", \"$viewport_width\": " + (1000 + random.nextInt(3)) + ", \"$viewport_height\": 700, \"$browser\": \""
                    + BROWSERS[random.nextInt(3)] + "\"}";
            batch.add(new EventRecord(project, UUID.randomUUID(), event, "user-" + (s % 40), t0.plusSeconds(second), t0, props,
                    Optional.empty(), "{}", Optional.empty(), Optional.of("w-" + s), EventRecord.NO_GROUPS, Optional.empty()));
        }
        stored.addAll(batch);
        return batch;
    }

    /** Session → its facts as the rollup gives them, from the stored events in plain Java. */
    Map<String, List<Object>> expected(long project) {
        Map<String, List<EventRecord>> by = new TreeMap<>();
        for (EventRecord e : stored) if (e.projectId() == project) by.computeIfAbsent(e.sessionId().get(), k -> new ArrayList<>()).add(e);
        Map<String, List<Object>> out = new TreeMap<>();
        for (var s : by.entrySet()) {
            List<EventRecord> es = new ArrayList<>(s.getValue());
            es.sort(java.util.Comparator.comparing(EventRecord::timestamp));
            EventRecord entry = es.stream().filter(WebSessionsTest::page).findFirst().orElse(es.getFirst());
            EventRecord exit = es.reversed().stream().filter(WebSessionsTest::page).findFirst().orElse(null);
            out.put(s.getKey(), List.of(DuckDbEvents.micros(es.getFirst().timestamp()), DuckDbEvents.micros(es.getLast().timestamp()),
                    String.valueOf(page(entry) ? pathname(entry) : null), String.valueOf(exit == null ? null : pathname(exit)),
                    field(entry, "utm_source"), field(entry, "$browser"), field(entry, "$viewport_width") + "x700",
                    count(es, "$pageview"), count(es, "$screen"), count(es, "$autocapture"), entry.distinctId()));
        }
        return out;
    }

    static boolean page(EventRecord e) {
        return e.event().equals("$pageview") || e.event().equals("$screen");
    }

    static String pathname(EventRecord e) {
        return e.event().equals("$screen") ? "Screen" + field(e, "$pathname") : field(e, "$pathname");
    }

    static String field(EventRecord e, String key) {
        try {
            var v = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.properties()).get(key);
            return v.asText();
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static long count(List<EventRecord> es, String event) {
        return es.stream().filter(e -> e.event().equals(event)).count();
    }

    static Map<String, List<Object>> read(Database db, long project) throws Exception {
        Sql sql = new Sql(project, new DuckDbDialect()).add("SELECT x.session_id, epoch_us(x.start_ts), epoch_us(x.end_ts), x.entry_pathname, "
                + "x.exit_pathname, x.utm_source, x.browser, x.viewport, x.pageviews, x.screens, x.autocaptures, x.distinct_id, "
                + "x.session_key = md5_number_lower(x.session_id) FROM ").from(Dialect.Relation.WEB_SESSIONS, "x");
        Map<String, List<Object>> out = new TreeMap<>();
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) ps.setObject(i + 1, sql.params().get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getBoolean(13)).as("the key is md5_number_lower of the id").isTrue();
                    List<Object> before = out.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3), String.valueOf(rs.getString(4)),
                            String.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10),
                            rs.getLong(11), rs.getString(12)));
                    assertThat(before).as("one row per session").isNull();
                }
            }
        }
        return out;
    }

    void assertSessions(Database db) throws Exception {
        for (long project = 1; project <= 2; project++) assertThat(read(db, project)).isEqualTo(expected(project));
        // page views: one row per page event left, with the key its session has
        long pages = stored.stream().filter(WebSessionsTest::page).count();
        assertThat(SessionSpansTest.count(db, "SELECT count(*) FROM web_page_views")).isEqualTo(pages);
        assertThat(SessionSpansTest.count(db, "SELECT count(*) FROM web_page_views v WHERE NOT EXISTS (SELECT 1 FROM events e WHERE "
                + "md5_number_lower(e.session_id) = v.session_key AND e.timestamp = v.timestamp)")).isZero();
        // custom events: one row per event whose name has no '$', with its session's key
        long customs = stored.stream().filter(e -> !e.event().startsWith("$")).count();
        assertThat(customs).isPositive();
        assertThat(SessionSpansTest.count(db, "SELECT count(*) FROM web_custom_events")).isEqualTo(customs);
        assertThat(SessionSpansTest.count(db, "SELECT count(*) FROM web_custom_events v WHERE NOT EXISTS (SELECT 1 FROM events e WHERE "
                + "md5_number_lower(e.session_id) = v.session_key AND e.timestamp = v.timestamp AND e.event = v.event)")).isZero();
    }

    @Test
    void rollupMatchesTheEventsBeforeAndAfterFoldsDeletionsAndTheFill() throws Exception {
        Path dir = Files.createTempDirectory("web-sessions");
        try (Database db = Database.open(dir)) {
            DuckDbIngest ingest = new DuckDbIngest(db);
            for (int b = 0; b < 5; b++) ingest.commit(batch(400, 300), PersonChanges.NONE);
            assertThat(SessionSpansTest.count(db, "SELECT count(*) FROM web_sessions")).isZero();
            assertSessions(db);

            assertThat(ingest.sessionSpans().fold()).isPositive();
            assertThat(SessionSpansTest.count(db, "SELECT count(*) FROM web_session_parts")).isZero();
            assertSessions(db);

            // folded sessions get parts earlier and later than what they hold
            for (int b = 0; b < 3; b++) ingest.commit(batch(300, 400), PersonChanges.NONE);
            assertThat(SessionSpansTest.count(db, "SELECT count(*) FROM web_session_parts")).isPositive();
            assertSessions(db);
            ingest.sessionSpans().fold();
            assertSessions(db);

            // a person's events deleted: their sessions are computed again from the events left
            ingest.commit(batch(200, 400), PersonChanges.NONE);
            ingest.deletePerson(1, UUID.randomUUID(), List.of("user-3", "user-10"), true);
            stored.removeIf(e -> e.projectId() == 1 && (e.distinctId().equals("user-3") || e.distinctId().equals("user-10")));
            assertSessions(db);
            ingest.sessionSpans().fold();
            assertSessions(db);

            // the migration's fill from the events gives the same rows
            try (DuckDBConnection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM web_sessions; DELETE FROM web_session_parts; DELETE FROM web_page_views; DELETE FROM web_custom_events;"
                        + WebSessions.REBUILD);
            }
            assertSessions(db);
        }
    }
}
