package dev.sightline.store;

import dev.sightline.query.PropertyFilter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The persons list: newest first (or oldest first when {@code ascending}), optionally narrowed by a
 * search string (email, name, distinct id or uuid) and person property filters. {@code after}
 * continues from the last row of a page.
 */
public record PersonQuery(Optional<String> search, List<PropertyFilter> properties, int limit, Optional<Position> after, boolean ascending) {
    public PersonQuery(Optional<String> search, List<PropertyFilter> properties, int limit, Optional<Position> after) {
        this(search, properties, limit, after, false);
    }

    public record Position(Instant createdAt, UUID uuid) {}
}
