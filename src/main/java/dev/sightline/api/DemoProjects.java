package dev.sightline.api;

import dev.sightline.store.Project;
import java.util.Optional;

/** Makes an organization's demo project in the background; the app wires it (it owns the demo generator). */
public interface DemoProjects {
    /** {@code state}: none, running, done or failed; {@code progress} from 0 to 1. */
    record Status(Optional<Project> project, String state, double progress, long events) {}

    Status status(long organizationId);

    /** Starts filling the demo project, or answers the one that exists or is being filled. */
    Status start(long organizationId);
}
