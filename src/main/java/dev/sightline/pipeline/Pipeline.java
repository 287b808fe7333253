package dev.sightline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.billing.UsageKind;
import dev.sightline.billing.UsageMeter;
import dev.sightline.capture.CaptureError;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.capture.EventProperties;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PersonMode;
import dev.sightline.identity.PersonProcessor;
import dev.sightline.identity.SplitOutcome;
import dev.sightline.identity.UsageClass;
import dev.sightline.store.EnrichmentColumns;
import dev.sightline.store.EventRecord;
import dev.sightline.store.EventSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.sightline.enrich.RequestFacts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between capture and the store. The stages (enrichment) run on the request's own thread, so they
 * use every core; then the request's events queue up (bounded by event count: when full, callers
 * get a 503 so SDKs retry). One writer thread takes everything waiting as one micro-batch, runs
 * person processing in arrival order (it needs the committed person state, so it cannot run
 * beside another batch), and commits the batch in one transaction. Every request of the batch is
 * answered only after that commit, so concurrent requests share commits (group commit) and a 200
 * always means durable.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final EventSink sink;
    private final List<Stage> stages;
    private final IdentityStage identity;
    private final boolean personProcessing;
    private final boolean storesAsSent;
    private final int maxBatchEvents;
    private final Semaphore capacity;
    private final int queueCapacity;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final RecentEventIds recentIds;
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final Thread writer;
    private final Clock clock;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter dropped;
    private final Counter overLimit;
    private final UsageMeter meter;
    /** Time the writer spends counting and limiting events for billing (the store's part is counted by the store). */
    private final java.util.concurrent.atomic.LongAdder meteringNanos = new java.util.concurrent.atomic.LongAdder();
    private final Timer commitTimer;
    private volatile boolean running = true;

    public Pipeline(EventSink sink, List<Stage> stages, Settings settings, MeterRegistry metrics, Clock clock) {
        this(sink, stages, settings, UsageMeter.off(), metrics, clock);
    }

    /** @param meter counts each batch's events for billing, in its commit, and drops what a billing limit refuses */
    public Pipeline(EventSink sink, List<Stage> stages, Settings settings, UsageMeter meter, MeterRegistry metrics, Clock clock) {
        this.sink = sink;
        this.meter = meter;
        this.stages = List.copyOf(stages);
        this.identity = new IdentityStage(() -> new PersonProcessor(sink.persons()), metrics);
        this.personProcessing = settings.personProcessing();
        this.storesAsSent = this.stages.isEmpty() && !personProcessing;
        this.maxBatchEvents = settings.maxBatchEvents();
        this.queueCapacity = settings.queueCapacity();
        this.capacity = new Semaphore(settings.queueCapacity());
        this.clock = clock;
        this.recentIds = new RecentEventIds(settings.dedupCapacity());
        for (EventSink.ProjectEventId id : sink.recentEventIds(settings.dedupCapacity() / 2)) {
            recentIds.add(id.projectId(), id.uuid());
        }
        this.stored = metrics.counter("sightline_events_stored");
        this.duplicates = metrics.counter("sightline_events_duplicate");
        this.dropped = metrics.counter("sightline_events_dropped");
        this.overLimit = metrics.counter("sightline_capture_dropped", "reason", "billing_limit");
        io.micrometer.core.instrument.FunctionCounter.builder("sightline_metering_writer_seconds", meteringNanos, n -> n.sum() / 1e9)
                .description("time the pipeline's writer spent metering events").register(metrics);
        this.commitTimer = Timer.builder("sightline_commit_latency").publishPercentiles(0.5, 0.99).register(metrics);
        metrics.gauge("sightline_ingest_queue_events", capacity, c -> queueCapacity - c.availablePermits());
        this.writer = Thread.ofPlatform().name("pipeline-writer").start(this::runWriter);
    }

    /**
     * @param queueCapacity  events that may wait for the writer before callers get 503
     * @param maxBatchEvents events committed together at most
     * @param dedupCapacity  recent event uuids remembered against retries
     * @param personProcessing false stores events without any person (capture-only mode, for
     *                       deployments that want aggregates only, and as the plain-capture baseline)
     */
    public record Settings(int queueCapacity, int maxBatchEvents, int dedupCapacity, boolean personProcessing) {
        public static Settings defaults() {
            return new Settings(200_000, 50_000, 2_000_000, true);
        }
    }

    /** Queues the events; the future completes once they are committed (or fails with a retryable error). */
    public CompletableFuture<Void> submit(long projectId, List<CapturedEvent> events, RequestFacts request) {
        if (!accepting.get() || !writer.isAlive()) {
            throw CaptureError.shuttingDown("the server is shutting down; retry later");
        }
        int n = events.size();
        if (n > queueCapacity || !capacity.tryAcquire(n)) {
            throw CaptureError.queueFull("the ingestion queue is full; retry later");
        }
        Submission s;
        try {
            // with nothing to do between capture and the store, each request's rows are made on its
            // own thread, so the writer thread only appends and commits
            s = storesAsSent
                    ? new Submission(projectId, events, records(projectId, events), List.of(), new CompletableFuture<>())
                    : new Submission(projectId, events, List.of(), staged(projectId, events, request), new CompletableFuture<>());
        } catch (RuntimeException | Error e) {
            // an Error too: its permits would otherwise be lost to the queue for good
            capacity.release(n);
            throw e;
        }
        queue.add(s);
        return s.done();
    }

    /**
     * False when no stage reads or changes event properties (no enrichment, no person processing):
     * capture may then hand them on as the JSON text that was sent.
     */
    public boolean readsProperties() {
        return !storesAsSent;
    }

    /**
     * The request's events through the stages, on the request's thread. A retried event is
     * enriched again before the writer finds it stored: wasted work, but no change to what is kept.
     */
    private List<IngestEvent> staged(long projectId, List<CapturedEvent> events, RequestFacts request) {
        var now = clock.instant();
        List<IngestEvent> staged = new ArrayList<>(events.size());
        for (CapturedEvent e : events) staged.add(new IngestEvent(projectId, e, now, request));
        for (Stage stage : stages) {
            stage.process(staged);
        }
        return staged;
    }

    private List<EventRecord> records(long projectId, List<CapturedEvent> events) {
        var now = clock.instant();
        List<EventRecord> records = new ArrayList<>(events.size());
        for (CapturedEvent e : events) {
            var properties = e.sentProperties();
            // the JSON keeps every key as sent; the columns get a copy, which capture's scan of the
            // text picked out (a tree is read here, on the request's thread rather than the writer's)
            List<String> enrichment = properties instanceof EventProperties.Text text ? text.enrichment() : EnrichmentColumns.read(properties.json());
            records.add(new EventRecord(projectId, e.uuid(), e.event(), e.distinctId(), e.timestamp(), now,
                    properties.json(), Optional.empty(), "{}", Optional.empty(), properties.sessionId(),
                    EventRecord.NO_GROUPS, Optional.of(personless(e.event())), enrichment));
        }
        return records;
    }

    public int queuedEvents() {
        return queueCapacity - capacity.availablePermits();
    }

    /** What the writer thread does: store a request's events, or run a person command between batches. */
    private sealed interface Work permits Submission, Command {}

    /**
     * {@code records} holds the rows already made when the pipeline stores events as sent, else
     * {@code staged} the events as the stages left them.
     */
    private record Submission(long projectId, List<CapturedEvent> events, List<EventRecord> records,
                              List<IngestEvent> staged, CompletableFuture<Void> done) implements Work {}

    private record Command(Runnable action) implements Work {}

    /**
     * Splits a person's distinct ids into persons of their own. Runs on the writer thread, between
     * batches, so it is ordered with ingestion and sees every event accepted before it.
     */
    public CompletableFuture<SplitOutcome> split(long projectId, UUID person, List<List<String>> groups) {
        CompletableFuture<SplitOutcome> done = new CompletableFuture<>();
        enqueueCommand(done, () -> {
            SplitOutcome outcome = identity.split(projectId, person, groups, clock.instant());
            if (outcome instanceof SplitOutcome.Split split) {
                try {
                    sink.commit(List.of(), split.changes());
                } catch (RuntimeException e) {
                    identity.abandoned();
                    throw e;
                }
                identity.committed(split.changes());
            }
            return outcome;
        });
        return done;
    }

    /** Deletes a person (and optionally all its events); false when there is no such person. */
    public CompletableFuture<Boolean> deletePerson(long projectId, UUID person, boolean withEvents) {
        return delete(projectId, List.of(person), List.of(), withEvents).thenApply(d -> d.persons() > 0);
    }

    /** What a deletion found: persons, and rows of distinct ids that belong to no person (marks, events). */
    public record Deleted(int persons, long personlessRows) {
        public boolean any() {
            return persons > 0 || personlessRows > 0;
        }
    }

    /**
     * Deletes persons by uuid and by any of their distinct ids, every row that names them, and with
     * {@code withEvents} their events; a distinct id of no person loses its marks (and events). Then
     * the store is told, so the values leave its files too (see {@link EventSink#erased}). On the
     * writer thread, ordered with ingestion; the identity cache starts afresh after it.
     */
    public CompletableFuture<Deleted> delete(long projectId, List<UUID> persons, List<String> distinctIds, boolean withEvents) {
        CompletableFuture<Deleted> done = new CompletableFuture<>();
        enqueueCommand(done, () -> {
            java.util.Set<UUID> targets = new java.util.LinkedHashSet<>(sink.persons().persons(projectId, persons).keySet());
            var mapped = sink.persons().mappings(projectId, distinctIds);
            List<String> personless = new ArrayList<>();
            long personlessRows = 0;
            for (String id : new java.util.LinkedHashSet<>(distinctIds)) {
                var mapping = mapped.get(id);
                if (mapping != null) targets.add(mapping.personUuid());
                else personless.add(id);
            }
            try {
                for (UUID person : targets) {
                    List<String> ids = sink.persons().mappingsOf(projectId, person).stream().map(m -> m.distinctId()).toList();
                    sink.deletePerson(projectId, person, ids, withEvents);
                }
                if (!personless.isEmpty()) personlessRows = sink.deleteDistinctIds(projectId, personless, withEvents);
            } finally {
                identity.forget();
            }
            Deleted deleted = new Deleted(targets.size(), personlessRows);
            if (deleted.any()) sink.erased();
            return deleted;
        });
        return done;
    }

    /**
     * Retention: deletes the project's events older than {@code cutoff} and, with {@code persons},
     * the persons left without events; on the writer thread, so no batch writes meanwhile.
     */
    public CompletableFuture<EventSink.Expired> expire(long projectId, java.time.Instant cutoff, boolean persons) {
        CompletableFuture<EventSink.Expired> done = new CompletableFuture<>();
        enqueueCommand(done, () -> {
            EventSink.Expired expired = sink.deleteOlderThan(projectId, cutoff, persons);
            if (expired.persons() > 0) identity.forget();
            return expired;
        });
        return done;
    }

    /**
     * Folds the read-time person overrides into the stored events (see {@link EventSink#compactOverrides}).
     * On the writer thread, so no batch writes overrides meanwhile; returns the events rewritten.
     */
    public CompletableFuture<Long> compactOverrides() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        enqueueCommand(done, sink::compactOverrides);
        return done;
    }

    private <T> void enqueueCommand(CompletableFuture<T> done, java.util.function.Supplier<T> action) {
        if (!accepting.get()) {
            throw CaptureError.shuttingDown("the server is shutting down; retry later");
        }
        queue.add(new Command(() -> {
            try {
                done.complete(action.get());
            } catch (RuntimeException | Error e) {
                // an Error too: the writer must go on, and the caller must not wait for an answer that never comes
                log.error("a command on the writer thread failed", e);
                identity.forget();
                done.completeExceptionally(e);
            }
        }));
    }

    /**
     * The writer's loop. Nothing that goes wrong in one batch ends it: an {@link Error} (the heap
     * running out, a stack overflow) fails that batch's requests at once, like a storage failure,
     * and the next batch is taken as usual. Were the thread to end, every later request would wait
     * for an answer that never comes while readiness still said ready.
     */
    private void runWriter() {
        while (running || !queue.isEmpty()) {
            Work first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) continue;
            if (first instanceof Command command) {
                command.action().run();
                continue;
            }
            List<Submission> batch = new ArrayList<>();
            Submission head = (Submission) first;
            batch.add(head);
            int events = head.events().size();
            while (events < maxBatchEvents && queue.peek() instanceof Submission) {
                Submission next = (Submission) queue.poll();
                batch.add(next);
                events += next.events().size();
            }
            process(batch, events);
        }
    }

    /** False once the writer thread has ended: then nothing is stored, and readiness says so. */
    public boolean writing() {
        return writer.isAlive();
    }

    private void process(List<Submission> batch, int eventCount) {
        try {
            commit(batch, eventCount);
            batch.forEach(s -> s.done().complete(null));
        } catch (RuntimeException | Error e) {
            if (batch.size() > 1) {
                // isolate the request that breaks the batch, so that the others still get stored
                for (Submission s : batch) {
                    try {
                        commit(List.of(s), s.events().size());
                        s.done().complete(null);
                    } catch (RuntimeException | Error single) {
                        fail(s, single);
                    }
                }
            } else {
                fail(batch.getFirst(), e);
            }
        } finally {
            capacity.release(eventCount);
        }
    }

    private void fail(Submission s, Throwable cause) {
        log.error("{} events could not be committed; the client will retry", s.events().size(), cause);
        s.done().completeExceptionally(cause instanceof Error
                ? CaptureError.failed("the server failed with " + cause.getClass().getSimpleName() + " while storing the events; retry later")
                : CaptureError.storageUnavailable("the events could not be stored; retry later"));
    }

    private void commit(List<Submission> batch, int eventCount) {
        if (storesAsSent) {
            commitAsSent(batch, eventCount);
            return;
        }
        List<IngestEvent> events = new ArrayList<>(eventCount);
        EventIdSet seenInBatch = new EventIdSet(eventCount);
        for (Submission s : batch) {
            for (IngestEvent e : s.staged()) {
                if (isNew(s.projectId(), e.uuid(), seenInBatch)) events.add(e);
            }
        }
        UsageMeter.Batch usage = meter.batch();
        BitSet admitted = new BitSet();
        // events a limit refuses before person processing leave no trace on persons
        long t0 = System.nanoTime();
        List<IngestEvent> toPersons = meter.on() ? admitBeforePersons(events, usage, admitted) : events;
        meteringNanos.add(System.nanoTime() - t0);
        List<EventRecord> records = new ArrayList<>(events.size());
        PersonChanges changes;
        try {
            changes = personProcessing ? identity.process(toPersons) : PersonChanges.NONE;
            long t1 = System.nanoTime();
            List<IngestEvent> kept = meter.on() ? meterAfterPersons(toPersons, usage, admitted) : toPersons;
            meteringNanos.add(System.nanoTime() - t1);
            // writing properties as JSON is the writer's largest own cost: spread it over the cores
            records.addAll(kept.parallelStream().filter(e -> e.dropReason().isEmpty()).map(this::record).toList());
            dropped.increment(events.size() - records.size());
            commitTimer.record(() -> sink.commit(records, changes, usage.tally()));
        } catch (RuntimeException | Error e) {
            identity.abandoned();
            throw e;
        }
        identity.committed(changes);
        meter.committed(usage);
        overLimit.increment(usage.refused());
        // a refused event too: its retry is the same event, refused once
        for (IngestEvent e : events) recentIds.add(e.projectId(), e.uuid());
        stored.increment(records.size());
    }

    /**
     * The events whose billing kind is known before person processing (see
     * {@link UsageClass#beforePersons}) are admitted under their project's limit here, in order; the
     * refused ones are left out. {@code admitted} marks, by position in the list returned, those
     * already counted towards a limit.
     */
    private List<IngestEvent> admitBeforePersons(List<IngestEvent> events, UsageMeter.Batch usage, BitSet admitted) {
        List<IngestEvent> out = new ArrayList<>(events.size());
        for (IngestEvent e : events) {
            if (e.dropReason().isEmpty()) {
                Optional<UsageClass> known = personProcessing
                        ? UsageClass.beforePersons(e.event(), e.properties().get("$process_person_profile"))
                        : Optional.of(UsageClass.of(e.event(), PersonMode.PROPERTYLESS));
                if (known.isPresent() && known.get() != UsageClass.NOT_BILLED) {
                    if (!usage.admit(e.projectId(), e.timestamp(), UsageKind.of(known.get()), e.event(), lib(e))) continue;
                    admitted.set(out.size());
                }
            }
            out.add(e);
        }
        return out;
    }

    /** Every event to be stored counts as the kind it bills as; a personless one not admitted yet is admitted now. */
    private List<IngestEvent> meterAfterPersons(List<IngestEvent> events, UsageMeter.Batch usage, BitSet admitted) {
        List<IngestEvent> kept = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            IngestEvent e = events.get(i);
            if (e.dropReason().isPresent()) {
                kept.add(e);
                continue;
            }
            UsageKind kind = UsageKind.fromWire(e.usageClass().orElseGet(() -> personless(e.event()))).orElseThrow();
            String lib = lib(e);
            if (!admitted.get(i) && !usage.admit(e.projectId(), e.timestamp(), kind, e.event(), lib)) continue;
            usage.count(e.projectId(), e.timestamp(), kind, e.event(), lib,
                    e.personMode().equals(Optional.of(PersonMode.FULL.wireName())) && !e.personIdentified());
            kept.add(e);
        }
        return kept;
    }

    private static String lib(IngestEvent e) {
        JsonNode lib = e.properties().get("$lib");
        return lib != null && lib.isTextual() ? lib.textValue() : "";
    }

    /** The usage class of an event stored without a person. */
    private static String personless(String event) {
        return UsageClass.of(event, PersonMode.PROPERTYLESS).name().toLowerCase(java.util.Locale.ROOT);
    }

    private void commitAsSent(List<Submission> batch, int eventCount) {
        List<EventRecord> records = new ArrayList<>(eventCount);
        List<EventRecord> refused = new ArrayList<>();
        EventIdSet seenInBatch = new EventIdSet(eventCount);
        UsageMeter.Batch usage = meter.batch();
        for (Submission s : batch) {
            for (int i = 0; i < s.records().size(); i++) {
                EventRecord r = s.records().get(i);
                if (!isNew(r.projectId(), r.uuid(), seenInBatch)) continue;
                if (meter.on()) {
                    UsageKind kind = UsageKind.fromWire(r.usageClass().orElseThrow()).orElseThrow();
                    String lib = s.events().get(i).sentProperties().lib().orElse("");
                    if (!usage.admit(r.projectId(), r.timestamp(), kind, r.event(), lib)) {
                        refused.add(r);
                        continue;
                    }
                    usage.count(r.projectId(), r.timestamp(), kind, r.event(), lib, false);
                }
                records.add(r);
            }
        }
        commitTimer.record(() -> sink.commit(records, PersonChanges.NONE, usage.tally()));
        meter.committed(usage);
        for (EventRecord r : records) recentIds.add(r.projectId(), r.uuid());
        for (EventRecord r : refused) recentIds.add(r.projectId(), r.uuid());
        stored.increment(records.size());
        dropped.increment(refused.size());
        overLimit.increment(usage.refused());
    }

    /** False, and counted as a duplicate, when the event was stored recently or came earlier in this batch. */
    private boolean isNew(long projectId, UUID uuid, EventIdSet seenInBatch) {
        if (recentIds.contains(projectId, uuid) || !seenInBatch.add(projectId, uuid)) {
            duplicates.increment();
            return false;
        }
        return true;
    }

    private EventRecord record(IngestEvent e) {
        // the enrichment's text values go to columns of their own, the rest to the JSON
        EventProperties properties = new EventProperties.Tree(e.storedProperties());
        EnrichmentColumns.Split split = EnrichmentColumns.split(e.storedProperties());
        return new EventRecord(e.projectId(), e.uuid(), e.event(), e.distinctId(), e.timestamp(), e.capturedAt(),
                split.json(), e.personId(), e.personProperties(), e.personMode(), properties.sessionId(), e.groups(),
                Optional.of(e.usageClass().orElseGet(() -> personless(e.event()))), split.values());
    }

    /** Stops accepting, commits everything already accepted, then stops the writer. */
    @Override
    public void close() {
        accepting.set(false);
        running = false;
        try {
            writer.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
