package dev.sightline.account;

import java.time.Instant;
import java.util.UUID;

/** A person who signs in to the web app. The password is kept only as its Argon2id hash. */
public record User(long id, UUID uuid, long organizationId, String email, String firstName, String passwordHash, Role role,
                   Instant createdAt) {
    @Override
    public String toString() {
        // never print the hash, not even in a log line or an assertion message
        return "User[id=" + id + ", email=" + email + ", role=" + role + "]";
    }
}
