package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.identity.PersonChanges;
import dev.sightline.store.EventCursor;
import dev.sightline.store.EventRecord;
import dev.sightline.store.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timeline pages read in time steps must equal a plain sort of the person's events, whatever the
 * storage order: late events, equal timestamps, dense and sparse stretches, other projects' events
 * outside the person's time range.
 */
class TimelinePagesTest {
    static final List<String> IDS = List.of("laptop", "phone", "ann@x.io");
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    final Random random = new Random(7);
    final List<EventRecord> stored = new ArrayList<>();
    Path dir;
    Database db;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("timeline-pages");
        db = Database.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    void event(long project, String distinctId, Instant at) {
        stored.add(new EventRecord(project, UUID.randomUUID(), "e" + stored.size(), distinctId, at, at, "{}", Optional.empty(), "{}",
                Optional.empty(), Optional.empty(), EventRecord.NO_GROUPS, Optional.empty()));
    }

    void commit() {
        new DuckDbIngest(db).commit(stored.subList(committed, stored.size()), PersonChanges.NONE);
        committed = stored.size();
    }

    int committed;

    List<StoredEvent> walk(boolean ascending, int limit) {
        // first steps of about 20 events: pages take many steps here
        DuckDbPersonReads reads = new DuckDbPersonReads(db, 20);
        List<StoredEvent> seen = new ArrayList<>();
        Optional<EventCursor> cursor = Optional.empty();
        while (true) {
            List<StoredEvent> page = reads.timeline(1, IDS, ascending, limit, cursor);
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            seen.addAll(page);
            if (page.size() < limit) return seen;
            StoredEvent last = page.getLast();
            cursor = Optional.of(new EventCursor(last.timestamp(), last.uuid()));
        }
    }

    List<String> expected(boolean ascending) {
        // DuckDB orders uuids as unsigned 128-bit numbers, as their text does; Java's compareTo is signed
        Comparator<EventRecord> order = Comparator.comparing(EventRecord::timestamp).thenComparing(e -> e.uuid().toString());
        return stored.stream().filter(e -> e.projectId() == 1 && IDS.contains(e.distinctId()))
                .sorted(ascending ? order : order.reversed()).map(EventRecord::event).toList();
    }

    void assertEveryPagingMatches() {
        for (boolean ascending : List.of(true, false)) {
            for (int limit : List.of(3, 101, 5000)) {
                assertThat(walk(ascending, limit).stream().map(StoredEvent::event).toList())
                        .as("%s, limit %d", ascending ? "oldest first" : "newest first", limit).isEqualTo(expected(ascending));
            }
        }
    }

    @Test
    void pagesEqualASortOfThePersonsEventsWhateverTheStorageOrder() {
        // a busy month with the person in it, stored in time order with some events arriving late
        Instant t = t0;
        for (int i = 0; i < 8_000; i++) {
            t = t.plusMillis(random.nextInt(200_000));
            Instant at = random.nextInt(50) == 0 ? t.minus(Duration.ofHours(random.nextInt(200))) : t;
            event(1, random.nextInt(10) == 0 ? IDS.get(random.nextInt(3)) : "other-" + random.nextInt(300), at);
            if (i % 1000 == 0) commit();
        }
        // equal timestamps: the uuid orders them
        for (int i = 0; i < 30; i++) event(1, IDS.get(i % 3), t0.plus(Duration.ofDays(3)));
        // a sparse tail a year later, and another project's events in between and far beyond
        for (int i = 0; i < 12; i++) event(1, IDS.get(i % 3), t.plus(Duration.ofDays(30L * (i + 12))));
        for (int i = 0; i < 50; i++) event(2, IDS.get(i % 3), t.plus(Duration.ofDays(2000 + i)));
        event(2, "early", t0.minus(Duration.ofDays(4000)));
        commit();
        assertEveryPagingMatches();
    }

    @Test
    void eventsExactlyOnAStepsBoundaryAreReadOnce() {
        // the person every quarter hour on the dot; 800 events over 6000 minutes make a first step
        // of 20 events exactly 150 minutes, so steps starting at a cursor or an edge end on an event
        for (int i = 0; i < 400; i++) {
            event(1, IDS.get(i % 3), t0.plus(Duration.ofMinutes(15L * i)));
            if (i < 399) event(1, "other", t0.plus(Duration.ofMinutes(15L * i)).plusSeconds(1));
        }
        event(1, "other", t0.plus(Duration.ofMinutes(6000)));
        commit();
        assertEveryPagingMatches();
    }

    @Test
    void aPersonWithOneEventFarFromEveryoneElseIsFound() {
        for (int i = 0; i < 5000; i++) event(1, "other", t0.plusSeconds(i));
        event(1, "phone", t0.minus(Duration.ofDays(900)));
        commit();
        assertEveryPagingMatches();
        assertThat(walk(false, 10)).hasSize(1);
    }

    @Test
    void noEventsGiveAnEmptyPage() {
        assertThat(walk(false, 10)).isEmpty();
        event(1, "other", t0);
        commit();
        assertThat(walk(true, 10)).isEmpty();
    }
}
