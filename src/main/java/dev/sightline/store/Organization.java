package dev.sightline.store;

import java.time.Instant;

/** An organization: its users and personal API keys reach its projects and no others. */
public record Organization(long id, String name, Instant createdAt) {}
