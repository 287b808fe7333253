package dev.sightline.store;

import dev.sightline.billing.UsageTally;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PersonStore;
import java.util.List;
import java.util.UUID;

/**
 * Where the pipeline commits a micro-batch: its events and the person changes they caused, in one
 * transaction. Used by the pipeline's single writer thread only.
 */
public interface EventSink {
    /**
     * Returns only once the events, the person changes and the batch's metered counts (added to the
     * stored counters) are durable together; throws and stores nothing otherwise.
     */
    void commit(List<EventRecord> events, PersonChanges changes, UsageTally usage);

    /** A commit with nothing metered. */
    default void commit(List<EventRecord> events, PersonChanges changes) {
        commit(events, changes, new UsageTally());
    }

    /**
     * Removes a person, its distinct ids and overrides, and with {@code withEvents} every event of
     * those distinct ids (the right to be forgotten), in one transaction.
     */
    void deletePerson(long projectId, UUID person, List<String> distinctIds, boolean withEvents);

    /**
     * Removes distinct ids that belong to no person (personless or unknown): every row that names
     * them, and with {@code withEvents} their events, in one transaction. Returns the rows removed.
     */
    long deleteDistinctIds(long projectId, List<String> distinctIds, boolean withEvents);

    /**
     * Retention: deletes the project's events older than {@code cutoff} (by event time) and, with
     * {@code persons}, the persons then left without any event, in one transaction.
     */
    Expired deleteOlderThan(long projectId, java.time.Instant cutoff, boolean persons);

    record Expired(long events, long persons) {}

    /**
     * After deletions: makes what they removed leave the store's files too, not only its answers,
     * within the time the store documents (a store that keeps nothing deleted does nothing).
     */
    void erased();

    /**
     * Writes every read-time override into the events it covers (their {@code person_id}) and
     * empties the override table, in one transaction; queries answer the same before and after,
     * but no longer pay for resolving overrides on every event they read. Returns the events rewritten.
     */
    long compactOverrides();

    /** The person look-ups the identity stage needs, on the same connection as {@link #commit}. */
    PersonStore persons();

    /** Event uuids of the most recently captured events, newest first, to rebuild retry de-duplication after a restart. */
    List<ProjectEventId> recentEventIds(int limit);

    record ProjectEventId(long projectId, UUID uuid) {}
}
