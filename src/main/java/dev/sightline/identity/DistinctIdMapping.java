package dev.sightline.identity;

import java.util.Objects;
import java.util.UUID;

/**
 * Which person a distinct id belongs to now.
 *
 * <p>Version 0 means the events already written for this id carry the right person id (the person's
 * uuid is the uuidv5 of this id, or the id was never used before). A version above 0 is an
 * <em>override</em>: events stored earlier under this id must be read as belonging to
 * {@code personUuid}; the query layer joins these rows instead of rewriting old events.
 */
public record DistinctIdMapping(long projectId, String distinctId, UUID personUuid, long version) {

    public DistinctIdMapping {
        Objects.requireNonNull(distinctId, "distinctId");
        Objects.requireNonNull(personUuid, "personUuid");
    }

    /** True when events stored earlier under this id must be re-attributed at read time. */
    public boolean isOverride() {
        return version > 0;
    }

    DistinctIdKey key() {
        return new DistinctIdKey(projectId, distinctId);
    }
}
