package dev.sightline.identity;

import java.util.Objects;

/**
 * Notes that a distinct id has been used for personless events (PostHog's
 * {@code posthog_personlessdistinctid}).
 *
 * <p>A merge that later gives this id a real person must write an override (version 1), because
 * events were already stored under the id's uuidv5. {@code merged = false} is only made for an id
 * without a mark; {@code merged = true} says the id joined a person. The store keeps marks
 * append-only: an id's mark is merged when any of its rows is.
 */
public record PersonlessMark(long projectId, String distinctId, boolean merged) {
    public PersonlessMark {
        Objects.requireNonNull(distinctId, "distinctId");
    }
}
