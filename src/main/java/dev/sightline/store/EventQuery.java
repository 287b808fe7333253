package dev.sightline.store;

import dev.sightline.query.PropertyFilter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The events explorer's question: a project's events, newest first, optionally narrowed.
 * {@code cursor} continues after the last event of the previous page.
 */
public record EventQuery(
        Optional<String> event,
        Optional<String> distinctId,
        Optional<Instant> after,
        Optional<Instant> before,
        List<PropertyFilter> properties,
        int limit,
        Optional<EventCursor> cursor) {}
