package dev.sightline.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One entry of the merge history: distinct ids moved from one person to another.
 *
 * <p>For identify, alias and merge_dangerously {@code source} is the person merged away and
 * {@code target} the survivor. For a split, {@code source} is the person split and {@code target}
 * the person newly given the ids. Entries are never rewritten, so the history can be replayed
 * backwards.
 */
public record Merge(long projectId, UUID source, UUID target, List<String> distinctIdsMoved,
                    Optional<UUID> triggeringEvent, MergeRule rule, Instant at) {

    public Merge {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        distinctIdsMoved = List.copyOf(distinctIdsMoved);
        Objects.requireNonNull(triggeringEvent, "triggeringEvent");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(at, "at");
    }
}
