package dev.sightline.store;

import java.time.Instant;

/** A project: the unit of data isolation. Its token is public and write-only (capture, flags). */
public record Project(long id, long organizationId, String name, String token, String timezone, Instant createdAt) {}
