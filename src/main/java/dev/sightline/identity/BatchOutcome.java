package dev.sightline.identity;

import java.util.List;
import java.util.Objects;

/**
 * The result of a batch: one outcome per event, in input order, and the person changes to commit
 * in the same transaction as the events.
 */
public record BatchOutcome(List<EventOutcome> events, PersonChanges changes) {
    public BatchOutcome {
        events = List.copyOf(events);
        Objects.requireNonNull(changes, "changes");
    }
}
