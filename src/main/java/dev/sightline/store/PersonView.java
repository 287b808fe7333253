package dev.sightline.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A person as the API shows it: profile, every distinct id that points at it. */
public record PersonView(UUID uuid, String properties, boolean identified, Instant createdAt, long version,
                         List<String> distinctIds) {}
