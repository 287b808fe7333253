package dev.sightline.store;

import java.time.Instant;
import java.util.Optional;

/** A personal API key as stored: only its hash and a mask for display, never the key itself. */
public record PersonalApiKey(long id, long organizationId, String label, String mask, Instant createdAt, Optional<Long> userId,
                             Optional<Instant> lastUsedAt) {}
