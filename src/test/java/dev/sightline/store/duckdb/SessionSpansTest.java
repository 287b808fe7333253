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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * The session spans kept at ingest, read through the dialect's relation, against each session's
 * first and last time computed in plain Java from the events stored: while parts wait, after they
 * fold, with a session's events in many batches and out of order, the same session id in two
 * projects, deleted events, a shared key, and a rebuild from the events.
 */
class SessionSpansTest {
    final Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
    final Random random = new Random(7);
    final List<EventRecord> stored = new ArrayList<>();

    List<EventRecord> batch(int size, int sessions) {
        List<EventRecord> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long project = 1 + random.nextInt(2);
            int s = random.nextInt(sessions);
            // a tenth without a session; timestamps anywhere in ten days, so batches arrive out of order
            Optional<String> session = random.nextInt(10) == 0 ? Optional.empty() : Optional.of("s-" + s + (s % 7 == 0 ? "-é'\"" : ""));
            batch.add(new EventRecord(project, UUID.randomUUID(), "$pageview", "user-" + (s % 40), t0.plusSeconds(random.nextInt(864_000)),
                    t0, "{}", Optional.empty(), "{}", Optional.empty(), session, EventRecord.NO_GROUPS, Optional.empty()));
        }
        stored.addAll(batch);
        return batch;
    }

    /** Project → session → {first, last} in epoch microseconds, from the events stored. */
    Map<String, List<Long>> expected(long project) {
        Map<String, List<Long>> spans = new TreeMap<>();
        for (EventRecord e : stored) {
            if (e.projectId() != project || e.sessionId().isEmpty()) continue;
            long t = DuckDbEvents.micros(e.timestamp());
            spans.merge(e.sessionId().get(), List.of(t, t), (a, b) -> List.of(Math.min(a.get(0), t), Math.max(a.get(1), t)));
        }
        return spans;
    }

    static Map<String, List<Long>> read(Database db, long project) throws Exception {
        Sql sql = new Sql(project, new DuckDbDialect()).add("SELECT x.session_id, epoch_us(x.start_ts), epoch_us(x.end_ts) FROM ")
                .from(Dialect.Relation.SESSION_SPANS, "x");
        Map<String, List<Long>> spans = new TreeMap<>();
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) ps.setObject(i + 1, sql.params().get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Long> before = spans.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3)));
                    assertThat(before).as("one row per session: " + rs.getString(1)).isNull();
                }
            }
        }
        return spans;
    }

    void assertSpans(Database db) throws Exception {
        for (long project = 1; project <= 2; project++) assertThat(read(db, project)).isEqualTo(expected(project));
    }

    static long count(Database db, String sql) throws Exception {
        try (DuckDBConnection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void spansMatchTheEventsBeforeAndAfterFoldsDeletionsAndRebuilds() throws Exception {
        Path dir = Files.createTempDirectory("session-spans");
        try (Database db = Database.open(dir)) {
            DuckDbIngest ingest = new DuckDbIngest(db);
            for (int b = 0; b < 5; b++) ingest.commit(batch(400, 300), PersonChanges.NONE);
            assertThat(count(db, "SELECT count(*) FROM session_spans")).isZero();
            assertSpans(db);

            assertThat(ingest.sessionSpans().fold()).isPositive();
            assertThat(count(db, "SELECT count(*) FROM session_span_parts")).isZero();
            assertThat(count(db, "SELECT count(*) - count(DISTINCT (project_id, session_id)) FROM session_spans")).isZero();
            assertSpans(db);

            // folded sessions get new parts, some earlier than their span, and new sessions start
            for (int b = 0; b < 3; b++) ingest.commit(batch(300, 400), PersonChanges.NONE);
            assertThat(count(db, "SELECT count(*) FROM session_span_parts")).isPositive();
            assertSpans(db);

            // a span whose key a waiting part shares, though its id differs: still told apart by id
            try (DuckDBConnection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("""
                        UPDATE session_spans SET session_key = (SELECT md5_number_lower(min(session_id)) FROM session_span_parts)
                        WHERE session_id = (SELECT min(session_id) FROM session_spans
                                            WHERE session_id NOT IN (SELECT session_id FROM session_span_parts))""");
            }
            assertSpans(db);
            ingest.sessionSpans().fold();
            assertSpans(db);

            // a person's events deleted: their sessions shrink to the events left, or vanish
            ingest.commit(batch(200, 400), PersonChanges.NONE);
            ingest.deletePerson(1, UUID.randomUUID(), List.of("user-3", "user-10"), true);
            stored.removeIf(e -> e.projectId() == 1 && (e.distinctId().equals("user-3") || e.distinctId().equals("user-10")));
            assertSpans(db);
            ingest.sessionSpans().fold();
            assertSpans(db);

            // the migration's and the benchmark's rebuild from the events gives the same
            db.rebuildSessionSpans();
            assertSpans(db);
        }
    }

    /**
     * Enough parts for folds to start on their own thread while batches keep committing: each fold
     * takes only the parts committed before it began, and the spans still match the events.
     */
    @Test
    void foldsRunBesideCommitsAndLoseNothing() throws Exception {
        Path dir = Files.createTempDirectory("session-spans-folds");
        try (Database db = Database.open(dir)) {
            DuckDbIngest ingest = new DuckDbIngest(db);
            SessionSpans spans = ingest.sessionSpans();
            assertThat(spans.foldDue()).isFalse();
            int batches = (int) (3 * SessionSpans.FOLD_PARTS / 2000);
            for (int b = 0; b < batches; b++) ingest.commit(batch(2000, 1_000_000), PersonChanges.NONE);
            spans.awaitFolds();
            assertThat(count(db, "SELECT count(*) FROM session_spans")).as("folds ran on their own").isPositive();
            assertThat(count(db, "SELECT count(*) - count(DISTINCT (project_id, session_id)) FROM session_spans")).isZero();
            assertSpans(db);
            ingest.sessionSpans().fold();
            assertThat(count(db, "SELECT count(*) FROM session_span_parts")).isZero();
            assertSpans(db);
        }
    }

    /** Parts that wait long enough fold by themselves, though no batch follows them. */
    @Test
    void waitingPartsFoldWithoutAnotherBatch() throws Exception {
        Path dir = Files.createTempDirectory("session-spans-idle");
        try (Database db = Database.open(dir); DuckDBConnection writer = db.connect()) {
            writer.setAutoCommit(false);
            SessionSpans spans = new SessionSpans(db, writer, 200_000_000L);
            List<EventRecord> few = batch(50, 20);
            int parts = spans.append(few);
            writer.commit();
            spans.committed(parts);
            assertThat(count(db, "SELECT count(*) FROM session_span_parts")).isPositive();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count(db, "SELECT count(*) FROM session_span_parts") > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(count(db, "SELECT count(*) FROM session_span_parts")).isZero();
            assertSpans(db);
        }
    }

    /** A store written before spans were kept gets them from its events when it opens. */
    @Test
    void theMigrationBuildsSpansFromStoredEvents() throws Exception {
        Path dir = Files.createTempDirectory("session-spans-migration");
        List<EventRecord> old = batch(300, 40);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("sightline.duckdb").toAbsolutePath())) {
            Migrations.apply(c, Migrations.STEPS.indexOf(SessionSpans.CREATE + SessionSpans.REBUILD));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (project_id, uuid, event, distinct_id, timestamp, created_at, "
                    + "properties, session_id) VALUES (?, ?, ?, ?, ?, ?, '{}', ?)")) {
                for (EventRecord e : old) {
                    ps.setLong(1, e.projectId());
                    ps.setObject(2, e.uuid());
                    ps.setString(3, e.event());
                    ps.setString(4, e.distinctId());
                    ps.setObject(5, java.time.LocalDateTime.ofInstant(e.timestamp(), java.time.ZoneOffset.UTC));
                    ps.setObject(6, java.time.LocalDateTime.ofInstant(e.timestamp(), java.time.ZoneOffset.UTC));
                    ps.setString(7, e.sessionId().orElse(null));
                    ps.executeUpdate();
                }
            }
        }
        try (Database db = Database.open(dir)) {
            assertThat(count(db, "SELECT count(*) FROM session_spans")).isPositive();
            assertSpans(db);
        }
    }
}
