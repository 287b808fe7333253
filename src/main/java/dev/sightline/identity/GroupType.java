package dev.sightline.identity;

import java.util.Objects;

/** A project's group type name ("company") and the column index 0-4 it was given. */
public record GroupType(long projectId, String name, int index) {

    /** PostHog gives each project at most five group types ($group_0 .. $group_4). */
    public static final int MAX_PER_PROJECT = 5;

    public GroupType {
        Objects.requireNonNull(name, "name");
        if (index < 0 || index >= MAX_PER_PROJECT) {
            throw new IllegalArgumentException("group type index must be 0-4, was " + index);
        }
    }
}
