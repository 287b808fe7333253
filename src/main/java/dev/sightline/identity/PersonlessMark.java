package dev.sightline.identity;

import java.util.Objects;

/**
 * Notes that a distinct id has been used for personless events (PostHog's
 * {@code posthog_personlessdistinctid}).
 *
 * <p>A merge that later gives this id a real person must write an override (version 1), because
 * events were already stored under the id's uuidv5. {@code merged = false} means "insert if absent,
 * keep what is there"; {@code merged = true} means "insert or set to merged".
 */
public record PersonlessMark(long projectId, String distinctId, boolean merged) {
    public PersonlessMark {
        Objects.requireNonNull(distinctId, "distinctId");
    }
}
