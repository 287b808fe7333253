package dev.sightline.store;

import java.util.List;

/** Where the pipeline commits a micro-batch. Returns only once the events are durable. */
public interface EventSink {
    void commit(List<EventRecord> events);

    /** Event uuids of the most recently captured events, newest first, to rebuild retry de-duplication after a restart. */
    List<ProjectEventId> recentEventIds(int limit);

    record ProjectEventId(long projectId, java.util.UUID uuid) {}
}
