package dev.sightline.account;

import java.time.Instant;
import java.util.Optional;

/** An invitation to join an organization, accepted once through a link that holds its secret token. */
public record Invite(long id, long organizationId, String targetEmail, Role role, Instant createdAt, Instant expiresAt,
                     Optional<Instant> acceptedAt) {
    public boolean usable(Instant now) {
        return acceptedAt.isEmpty() && now.isBefore(expiresAt);
    }
}
