package dev.sightline.store;

import dev.sightline.query.PropertyFilter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The persons list: newest first (or oldest first when {@code ascending}), optionally narrowed by a
 * search string (email, name, distinct id or uuid), person property filters and cohort memberships. {@code after}
 * continues from the last row of a page.
 */
public record PersonQuery(Optional<String> search, List<PropertyFilter> properties, int limit, Optional<Position> after, boolean ascending,
                          List<Membership> cohorts) {
    public PersonQuery(Optional<String> search, List<PropertyFilter> properties, int limit, Optional<Position> after) {
        this(search, properties, limit, after, false);
    }

    public PersonQuery(Optional<String> search, List<PropertyFilter> properties, int limit, Optional<Position> after, boolean ascending) {
        this(search, properties, limit, after, ascending, List.of());
    }

    /** The same query continued after {@code position}. */
    public PersonQuery after(Position position) {
        return new PersonQuery(search, properties, limit, Optional.of(position), ascending, cohorts);
    }

    /**
     * In (or, {@code negated}, not in) a cohort: {@code members} selects the cohort's person ids
     * ({@code id}) for the same project, printed by the cohort package.
     */
    public record Membership(dev.sightline.query.Sql members, boolean negated) {}

    public record Position(Instant createdAt, UUID uuid) {}
}
