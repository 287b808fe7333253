package dev.sightline.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A group (company, team, ...) that events can belong to, keyed by its type index (0-4) and key.
 */
public record Group(long projectId, int typeIndex, String key, PropertyMap properties,
                    Instant createdAt, long version) {

    public Group {
        if (typeIndex < 0 || typeIndex >= GroupType.MAX_PER_PROJECT) {
            throw new IllegalArgumentException("group type index must be 0-4, was " + typeIndex);
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Key id() {
        return new Key(projectId, typeIndex, key);
    }

    /** Identifies a group inside a project. */
    public record Key(long projectId, int typeIndex, String key) {
        public Key {
            Objects.requireNonNull(key, "key");
        }
    }
}
