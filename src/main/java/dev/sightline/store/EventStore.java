package dev.sightline.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads events. Every call names its project: there is no way to read across projects. */
public interface EventStore {
    List<StoredEvent> list(long projectId, EventQuery query);

    Optional<StoredEvent> get(long projectId, UUID uuid);

    long count(long projectId);

    /** Whether the project has any event: a probe, not a count. */
    boolean hasEvents(long projectId);
}
