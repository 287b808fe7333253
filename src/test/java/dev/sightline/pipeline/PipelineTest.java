package dev.sightline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sightline.capture.CaptureError;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.identity.InMemoryPersonStore;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PersonStore;
import dev.sightline.store.EventRecord;
import dev.sightline.store.EventSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.sightline.enrich.RequestFacts;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineTest {

    static final class RecordingSink implements EventSink {
        final List<List<EventRecord>> commits = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch release;
        volatile boolean failNext;
        /** Every commit holding this event fails, as a row the store cannot take would. */
        volatile UUID poison;

        RecordingSink(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void commit(List<EventRecord> events, PersonChanges changes, dev.sightline.billing.UsageTally usage) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("disk full");
            }
            if (events.stream().anyMatch(e -> e.uuid().equals(poison))) {
                throw new IllegalStateException("a row the store cannot take");
            }
            commits.add(List.copyOf(events));
            persons.write(changes);
        }

        final InMemoryPersonStore persons = new InMemoryPersonStore();

        @Override
        public void deletePerson(long projectId, UUID person, List<String> distinctIds, boolean withEvents) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public long deleteDistinctIds(long projectId, List<String> distinctIds, boolean withEvents) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public Expired deleteOlderThan(long projectId, java.time.Instant cutoff, boolean persons) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public void erased() {
        }

        @Override
        public long compactOverrides() {
            return 0;
        }

        @Override
        public PersonStore persons() {
            return persons;
        }

        @Override
        public List<ProjectEventId> recentEventIds(int limit) {
            return List.of();
        }

        List<UUID> stored() {
            return commits.stream().flatMap(List::stream).map(EventRecord::uuid).toList();
        }
    }

    static List<CapturedEvent> events(int n) {
        return IntStream.range(0, n).mapToObj(i -> event(UUID.randomUUID())).toList();
    }

    static CapturedEvent event(UUID uuid) {
        return new CapturedEvent(uuid, "e", "d", Instant.EPOCH, JsonNodeFactory.instance.objectNode());
    }

    /** With person processing the writer makes the rows; without it (plain capture) each caller's thread does. */
    Pipeline pipeline(EventSink sink, int queue, boolean personProcessing) {
        return new Pipeline(sink, List.of(), new Pipeline.Settings(queue, 1000, 10_000, personProcessing), new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    @ParameterizedTest(name = "person processing {0}")
    @ValueSource(booleans = {true, false})
    void aFullQueueRefusesWith503AndLosesNothingAccepted(boolean personProcessing) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink(release);
        List<UUID> accepted = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (Pipeline p = pipeline(sink, 100, personProcessing)) {
            int refused = 0;
            for (int i = 0; i < 30; i++) {
                List<CapturedEvent> batch = events(10);
                try {
                    futures.add(p.submit(1, batch, RequestFacts.of("127.0.0.1", null)));
                    batch.forEach(e -> accepted.add(e.uuid()));
                } catch (CaptureError e) {
                    assertThat(e.status()).isEqualTo(503);
                    refused++;
                }
            }
            assertThat(refused).isGreaterThan(0);
            release.countDown();
            for (CompletableFuture<Void> f : futures) f.get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.stored()).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void aRequestWhoseStageFailsWithAnErrorGivesItsQueueRoomBack() throws Exception {
        RecordingSink sink = new RecordingSink(new CountDownLatch(0));
        // fails on the first request only, as a stack overflow in a parser would on one odd input
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        Stage breaking = batch -> {
            if (failed.compareAndSet(false, true)) throw new StackOverflowError("deep input");
        };
        List<CapturedEvent> second = events(10);
        try (Pipeline p = new Pipeline(sink, List.of(breaking), new Pipeline.Settings(10, 1000, 10_000, true),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThatThrownBy(() -> p.submit(1, events(10), RequestFacts.of("127.0.0.1", null)))
                    .isInstanceOf(StackOverflowError.class);
            assertThat(p.queuedEvents()).as("the failed request's room in the queue").isZero();
            // the queue holds 10 events: had the failure kept its room, this request would get a 503
            p.submit(1, second, RequestFacts.of("127.0.0.1", null)).get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.stored()).containsExactlyElementsOf(second.stream().map(CapturedEvent::uuid).toList());
    }

    @ParameterizedTest(name = "person processing {0}")
    @ValueSource(booleans = {true, false})
    void concurrentRequestsShareCommits(boolean personProcessing) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink(release);
        try (Pipeline p = pipeline(sink, 10_000, personProcessing)) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) futures.add(p.submit(1, events(5), RequestFacts.of("127.0.0.1", null)));
            release.countDown();
            for (CompletableFuture<Void> f : futures) f.get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.stored()).hasSize(100);
        assertThat(sink.commits.size()).isLessThan(20);
    }

    @ParameterizedTest(name = "person processing {0}")
    @ValueSource(booleans = {true, false})
    void retriedUuidsAreStoredOnceWithinAndAcrossRequests(boolean personProcessing) throws Exception {
        RecordingSink sink = new RecordingSink(new CountDownLatch(0));
        UUID same = UUID.randomUUID();
        try (Pipeline p = pipeline(sink, 1000, personProcessing)) {
            p.submit(1, List.of(event(same), event(same)), RequestFacts.of("127.0.0.1", null)).get(10, TimeUnit.SECONDS);
            p.submit(1, List.of(event(same)), RequestFacts.of("127.0.0.1", null)).get(10, TimeUnit.SECONDS);
            // the same uuid in another project is another event
            p.submit(2, List.of(event(same)), RequestFacts.of("127.0.0.1", null)).get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.commits.stream().flatMap(List::stream).map(r -> r.projectId() + ":" + r.uuid()))
                .containsExactlyInAnyOrder("1:" + same, "2:" + same);
    }

    @ParameterizedTest(name = "person processing {0}")
    @ValueSource(booleans = {true, false})
    void aFailedCommitFailsItsRequestsRetryablyAndTheRetryIsStored(boolean personProcessing) throws Exception {
        RecordingSink sink = new RecordingSink(new CountDownLatch(0));
        sink.failNext = true;
        List<CapturedEvent> batch = events(3);
        try (Pipeline p = pipeline(sink, 1000, personProcessing)) {
            CompletableFuture<Void> first = p.submit(1, batch, RequestFacts.of("127.0.0.1", null));
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CaptureError.class);
            // a failed commit must not poison de-duplication: the SDK's retry goes through
            p.submit(1, batch, RequestFacts.of("127.0.0.1", null)).get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.stored()).containsExactlyInAnyOrderElementsOf(batch.stream().map(CapturedEvent::uuid).toList());
    }

    @Test
    void eventsOfABrokenBatchGetTheSamePersonOutcomeWhenCommittedAlone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink(release);
        ObjectNode personless = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"$process_person_profile\": false, \"$set\": {\"plan\": \"pro\"}}");
        ObjectNode identified = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"$set\": {\"plan\": \"pro\"}, \"$browser\": \"Firefox\"}");
        CapturedEvent anonymous = new CapturedEvent(UUID.randomUUID(), "$pageview", "visitor", Instant.EPOCH, personless);
        CapturedEvent known = new CapturedEvent(UUID.randomUUID(), "$pageview", "user", Instant.EPOCH, identified);
        CapturedEvent broken = event(UUID.randomUUID());
        sink.poison = broken.uuid();
        try (Pipeline p = pipeline(sink, 1000, true)) {
            // the first request holds the writer, so the next three wait and form one batch, which fails
            CompletableFuture<Void> first = p.submit(1, events(1), RequestFacts.of("127.0.0.1", null));
            var a = p.submit(1, List.of(anonymous), RequestFacts.of("127.0.0.1", null));
            var b = p.submit(1, List.of(known), RequestFacts.of("127.0.0.1", null));
            var c = p.submit(1, List.of(broken), RequestFacts.of("127.0.0.1", null));
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            a.get(10, TimeUnit.SECONDS);
            b.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> c.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CaptureError.class);
        }
        Map<UUID, EventRecord> stored = sink.commits.stream().flatMap(List::stream)
                .collect(java.util.stream.Collectors.toMap(EventRecord::uuid, r -> r));
        // committed alone, each event went through the person rules from its own properties again
        EventRecord anon = stored.get(anonymous.uuid());
        assertThat(anon.personMode()).contains("propertyless");
        assertThat(anon.properties()).doesNotContain("$set").contains("$process_person_profile");
        EventRecord user = stored.get(known.uuid());
        assertThat(user.personMode()).contains("full");
        assertThat(user.personProperties()).contains("\"plan\":\"pro\"");
        assertThat(user.properties()).contains("$initial_browser");
        assertThat(sink.persons.mappingsOf(1, user.personId().orElseThrow())).hasSize(1);
    }

    @ParameterizedTest(name = "person processing {0}")
    @ValueSource(booleans = {true, false})
    void closeCommitsEverythingAlreadyAcceptedThenRefuses(boolean personProcessing) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink(release);
        Pipeline p = pipeline(sink, 10_000, personProcessing);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) futures.add(p.submit(1, events(10), RequestFacts.of("127.0.0.1", null)));
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        p.close();
        for (CompletableFuture<Void> f : futures) assertThat(f).isCompleted().isNotCompletedExceptionally();
        assertThat(sink.stored()).hasSize(100);
        assertThatThrownBy(() -> p.submit(1, events(1), RequestFacts.of("127.0.0.1", null)))
                .isInstanceOfSatisfying(CaptureError.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    /**
     * Duplicates are (project, uuid) pairs, compared whole. These uuids are the ones that the keys
     * folding a project into the uuid's high bits ({@code msb ^ project} for the batch,
     * {@code msb ^ project * 0x9E3779B97F4A7C15} for recent ids) made equal across projects 1 and 2.
     */
    @ParameterizedTest(name = "person processing {0}")
    @ValueSource(booleans = {true, false})
    void eventsOfTwoProjectsWhoseFoldedKeysCollideAreBothKept(boolean personProcessing) throws Exception {
        UUID a = UUID.randomUUID();
        UUID inBatch = new UUID(a.getMostSignificantBits() ^ 1 ^ 2, a.getLeastSignificantBits());
        UUID recent = new UUID(a.getMostSignificantBits() ^ 0x9E3779B97F4A7C15L ^ (2 * 0x9E3779B97F4A7C15L),
                a.getLeastSignificantBits());
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink(release);
        try (Pipeline p = pipeline(sink, 1000, personProcessing)) {
            inOneBatch(p, release, List.of(1L, 2L), List.of(event(a), event(inBatch)));
            // and after project 1's event is committed and remembered
            p.submit(2, List.of(event(recent)), RequestFacts.of("127.0.0.1", null)).get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.commits.stream().flatMap(List::stream).map(r -> r.projectId() + ":" + r.uuid()))
                .filteredOn(key -> !key.startsWith("99:"))
                .containsExactlyInAnyOrder("1:" + a, "2:" + inBatch, "2:" + recent);
    }

    /**
     * Submits one event per project so that the writer takes them as one batch: it is kept busy
     * committing a first request (of project 99) until all are queued.
     */
    private static void inOneBatch(Pipeline p, CountDownLatch release, List<Long> projects, List<CapturedEvent> events)
            throws Exception {
        var plug = p.submit(99, List.of(event(UUID.randomUUID())), RequestFacts.of("127.0.0.1", null));
        Thread.sleep(200); // the writer has taken the plug and waits in its commit
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            done.add(p.submit(projects.get(i), List.of(events.get(i)), RequestFacts.of("127.0.0.1", null)));
        }
        release.countDown();
        plug.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> f : done) f.get(10, TimeUnit.SECONDS);
    }

    /** The same uuid in two projects in one batch: two events, each with the person of its own project. */
    @Test
    void theSameUuidInTwoProjectsOfOneBatchGetsEachItsOwnPerson() throws Exception {
        UUID same = UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink(release);
        try (Pipeline p = pipeline(sink, 1000, true)) {
            inOneBatch(p, release, List.of(1L, 2L), List.of(event(same), event(same)));
        }
        assertThat(sink.commits.getLast()).as("one commit of both").hasSize(2);
        Map<Long, UUID> personByProject = new java.util.HashMap<>();
        sink.commits.getLast().forEach(r -> personByProject.put(r.projectId(), r.personId().orElseThrow()));
        assertThat(personByProject).containsOnlyKeys(1L, 2L);
        assertThat(personByProject.get(1L)).isEqualTo(sink.persons.personOf(1, "d").orElseThrow().uuid());
        assertThat(personByProject.get(2L)).isEqualTo(sink.persons.personOf(2, "d").orElseThrow().uuid());
    }

    @Test
    void recentIdsRememberAtLeastHalfTheirCapacity() {
        RecentEventIds ids = new RecentEventIds(1000);
        List<UUID> all = IntStream.range(0, 5000).mapToObj(i -> UUID.randomUUID()).toList();
        all.forEach(u -> ids.add(7, u));
        assertThat(all.subList(4500, 5000)).allMatch(u -> ids.contains(7, u));
        assertThat(all.subList(4500, 5000)).noneMatch(u -> ids.contains(8, u));
        assertThat(all.subList(0, 1000)).noneMatch(u -> ids.contains(7, u));
    }
}
