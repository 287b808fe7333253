package dev.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.enrich.RequestFacts;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.EventSink;
import dev.sightline.store.Retention;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbIngest;
import dev.sightline.store.duckdb.DuckDbMeta;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Per-project retention with a fixed clock: events older than the project's retention_days go,
 * with delete_persons the persons left without any event go too, and a project without retention
 * keeps everything. The schedule runs once soon after start, then daily.
 */
class RetentionScheduleTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static CapturedEvent event(String distinctId, Duration ago) {
        var props = JsonNodeFactory.instance.objectNode();
        props.put("$session_id", "s-" + distinctId);
        return new CapturedEvent(UUID.randomUUID(), "$pageview", distinctId, NOW.minus(ago), props);
    }

    private static long count(Database db, String sql) throws Exception {
        try (var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void oldEventsAndThePersonsTheyLeaveGoAndOtherProjectsKeepTheirs() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Database db = Database.open(Files.createTempDirectory("retention"))) {
            DuckDbMeta meta = new DuckDbMeta(db);
            long org = meta.createOrganization("o");
            long kept = meta.createProject(org, "kept", "phc_kept", "UTC").id();
            long trimmed = meta.createProject(org, "trimmed", "phc_trimmed", "UTC").id();
            try (Pipeline pipeline = new Pipeline(new DuckDbIngest(db), List.of(), Pipeline.Settings.defaults(), new SimpleMeterRegistry(), clock)) {
                var facts = RequestFacts.of("127.0.0.1", null);
                pipeline.submit(trimmed, List.of(event("gone", Duration.ofDays(100)), event("gone", Duration.ofDays(31)),
                        event("stays", Duration.ofDays(100)), event("stays", Duration.ofDays(29))), facts).join();
                pipeline.submit(kept, List.of(event("old", Duration.ofDays(400))), facts).join();
                meta.setRetention(trimmed, Optional.of(new Retention(30, true)));

                Map<Long, EventSink.Expired> expired = new RetentionSchedule(meta, pipeline, clock).runOnce();

                assertThat(expired).containsOnlyKeys(trimmed);
                assertThat(expired.get(trimmed)).isEqualTo(new EventSink.Expired(3, 1));
                assertThat(count(db, "SELECT count(*) FROM events WHERE project_id = " + trimmed)).isEqualTo(1);
                assertThat(count(db, "SELECT count(*) FROM events WHERE project_id = " + trimmed + " AND timestamp < TIMESTAMP '2026-11-06 12:00:00'")).isZero();
                assertThat(count(db, "SELECT count(*) FROM person_distinct_ids WHERE project_id = " + trimmed + " AND distinct_id = 'gone'")).isZero();
                assertThat(count(db, "SELECT count(*) FROM person_distinct_ids WHERE project_id = " + trimmed + " AND distinct_id = 'stays'")).isEqualTo(1);
                assertThat(count(db, "SELECT count(*) FROM persons WHERE project_id = " + trimmed)).isEqualTo(1);
                // the session of the deleted events has no span left; the other's starts at its remaining event
                assertThat(count(db, "SELECT count(*) FROM sessions WHERE session_id = 's-gone'")).isZero();
                assertThat(count(db, "SELECT count(*) FROM events WHERE project_id = " + kept)).isEqualTo(1);

                // without delete_persons the persons stay; nothing is left to delete twice
                meta.setRetention(trimmed, Optional.of(new Retention(1, false)));
                assertThat(new RetentionSchedule(meta, pipeline, clock).runOnce().get(trimmed)).isEqualTo(new EventSink.Expired(1, 0));
                assertThat(count(db, "SELECT count(*) FROM persons WHERE project_id = " + trimmed)).isEqualTo(1);
            }
        }
    }

    @Test
    void theScheduleRunsSoonAfterStart() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Database db = Database.open(Files.createTempDirectory("retention"))) {
            DuckDbMeta meta = new DuckDbMeta(db);
            long project = meta.createProject(meta.createOrganization("o"), "p", "phc_p", "UTC").id();
            try (Pipeline pipeline = new Pipeline(new DuckDbIngest(db), List.of(), Pipeline.Settings.defaults(), new SimpleMeterRegistry(), clock)) {
                pipeline.submit(project, List.of(event("a", Duration.ofDays(10)), event("b", Duration.ofDays(1))),
                        RequestFacts.of("127.0.0.1", null)).join();
                meta.setRetention(project, Optional.of(new Retention(7, false)));
                try (RetentionSchedule schedule = new RetentionSchedule(meta, pipeline, clock, Duration.ofMillis(50)).start()) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (count(db, "SELECT count(*) FROM events") > 1 && System.nanoTime() < deadline) Thread.sleep(50);
                }
                assertThat(count(db, "SELECT count(*) FROM events")).isEqualTo(1);
            }
        }
        assertThat(RetentionSchedule.EVERY).isEqualTo(Duration.ofDays(1));
    }
}
