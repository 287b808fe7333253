package dev.sightline.account;

import java.time.Instant;

/** A signed-in browser: the session token is stored only as a hash; the CSRF token is echoed by the page on every write. */
public record BrowserSession(String tokenHash, long userId, String csrfToken, Instant createdAt, Instant expiresAt) {}
