package dev.sightline.testing;

import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PersonStore;
import dev.sightline.store.EventRecord;
import dev.sightline.store.EventSink;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A real store behind a test's own rule for some of its calls: override those, the rest go to the store. */
public abstract class ForwardingSink implements EventSink {
    protected final EventSink store;

    protected ForwardingSink(EventSink store) {
        this.store = store;
    }

    @Override
    public void commit(List<EventRecord> events, PersonChanges changes) {
        store.commit(events, changes);
    }

    @Override
    public void deletePerson(long projectId, UUID person, List<String> distinctIds, boolean withEvents) {
        store.deletePerson(projectId, person, distinctIds, withEvents);
    }

    @Override
    public long deleteDistinctIds(long projectId, List<String> distinctIds, boolean withEvents) {
        return store.deleteDistinctIds(projectId, distinctIds, withEvents);
    }

    @Override
    public Expired deleteOlderThan(long projectId, Instant cutoff, boolean persons) {
        return store.deleteOlderThan(projectId, cutoff, persons);
    }

    @Override
    public void erased() {
        store.erased();
    }

    @Override
    public long compactOverrides() {
        return store.compactOverrides();
    }

    @Override
    public PersonStore persons() {
        return store.persons();
    }

    @Override
    public List<ProjectEventId> recentEventIds(int limit) {
        return store.recentEventIds(limit);
    }
}
