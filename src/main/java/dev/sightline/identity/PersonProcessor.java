package dev.sightline.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The identity package's entry point: attaches events to person profiles and keeps the profiles.
 *
 * <p>Use per micro-batch:
 * <pre>{@code
 * BatchOutcome outcome = persons.process(events);
 * store.commit(stampedEvents, outcome.changes());   // one transaction, calls PersonStore.write
 * persons.committed(outcome.changes());             // or persons.abandoned() if the commit failed
 * }</pre>
 * Events of a batch are handled in order, each seeing the person changes of those before it, so a
 * batch gives the same result as the same events one by one. The processor keeps committed state
 * in memory; that is why it must hear whether a batch was committed before it takes the next one.
 * Not thread-safe. Its memory of committed state assumes it is the only writer of persons for its
 * projects: a merge touches two distinct ids, so partitioning one project's events by distinct id
 * across several processors would need a shared store with locks instead of this cache.
 */
public final class PersonProcessor {
    /** Default number of distinct ids and persons kept in memory. */
    public static final int DEFAULT_CACHE_ENTRIES = 500_000;

    private final PersonCache cache;
    private PersonChanges pending;

    public PersonProcessor(PersonStore store) {
        this(store, DEFAULT_CACHE_ENTRIES);
    }

    public PersonProcessor(PersonStore store, int cacheEntries) {
        this.cache = new PersonCache(Objects.requireNonNull(store, "store"), cacheEntries);
    }

    /** Runs the person rules over a batch; nothing is stored until the caller commits the changes. */
    public BatchOutcome process(List<IdentityEvent> events) {
        requireNothingPending();
        prefetch(events);
        BatchView view = new BatchView(cache);
        PersonEventFlow flow = new PersonEventFlow(view);
        List<EventOutcome> outcomes = new ArrayList<>(events.size());
        for (IdentityEvent event : events) {
            outcomes.add(flow.apply(event));
        }
        return new BatchOutcome(outcomes, pendingOf(view.changes()));
    }

    /**
     * Separates groups of a person's distinct ids into persons of their own again (see
     * {@link PersonSplitter}); commit the changes like a batch's.
     */
    public SplitOutcome split(long projectId, UUID personUuid, List<List<String>> distinctIdGroups, Instant at) {
        requireNothingPending();
        SplitOutcome outcome = new PersonSplitter(new BatchView(cache)).split(projectId, personUuid,
                distinctIdGroups.stream().map(List::copyOf).toList(), at);
        if (outcome instanceof SplitOutcome.Split split) {
            pendingOf(split.changes());
        }
        return outcome;
    }

    /** The store has committed these changes: remember them for the next batches. */
    public void committed(PersonChanges changes) {
        if (changes.isEmpty() && pending == null) {
            return;
        }
        if (changes != pending) {
            throw new IllegalStateException("committed changes that are not the last ones handed out");
        }
        cache.apply(changes);
        pending = null;
    }

    /** The commit failed: forget the last changes; the batch may be processed again. */
    public void abandoned() {
        pending = null;
    }

    private PersonChanges pendingOf(PersonChanges changes) {
        if (!changes.isEmpty()) {
            pending = changes;
        }
        return changes;
    }

    private void requireNothingPending() {
        if (pending != null) {
            throw new IllegalStateException("the previous person changes were neither committed nor abandoned");
        }
    }

    /**
     * One store round trip per project for all ids the batch names, instead of one per event; and
     * one for the groups its {@code $groupidentify} events name.
     */
    private void prefetch(List<IdentityEvent> events) {
        Map<Long, Set<String>> ids = new LinkedHashMap<>();
        Map<Long, Set<Map.Entry<String, String>>> groups = new LinkedHashMap<>();
        for (IdentityEvent event : events) {
            Set<String> projectIds = ids.computeIfAbsent(event.projectId(), p -> new LinkedHashSet<>());
            projectIds.add(event.distinctId());
            for (String key : List.of("$anon_distinct_id", "alias")) {
                var value = event.properties().get(key);
                if (value != null && !value.isNull()) {
                    projectIds.add(JsCoercion.asString(value));
                }
            }
            if (event.event().equals("$groupidentify")) {
                var type = event.properties().get("$group_type");
                var key = event.properties().get("$group_key");
                if (type != null && type.isTextual() && JsCoercion.isTruthy(key)) {
                    groups.computeIfAbsent(event.projectId(), p -> new LinkedHashSet<>())
                            .add(Map.entry(type.textValue(), JsCoercion.asString(key)));
                }
            }
        }
        ids.forEach(cache::prefetch);
        groups.forEach(cache::prefetchGroups);
    }
}
