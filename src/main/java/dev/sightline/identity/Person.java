package dev.sightline.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A person profile: what Sightline knows about one human across all their distinct ids.
 *
 * @param version grows with every change of the row, so a store (or a later split) can tell the
 *                newest row of a uuid from an older or deleted one
 */
public record Person(UUID uuid, long projectId, PropertyMap properties, boolean identified,
                     Instant createdAt, long version) {

    public Person {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    Person withProperties(PropertyMap newProperties) {
        return new Person(uuid, projectId, newProperties, identified, createdAt, version);
    }

    Person nextVersion() {
        return new Person(uuid, projectId, properties, identified, createdAt, version + 1);
    }

    Person markedIdentified() {
        return new Person(uuid, projectId, properties, true, createdAt, version);
    }
}
