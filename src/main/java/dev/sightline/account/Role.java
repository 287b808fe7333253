package dev.sightline.account;

import java.util.Locale;
import java.util.Optional;

/** What a user may do in their organization: admins also manage members, invites and projects. */
public enum Role {
    ADMIN, MEMBER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role r : values()) if (r.wire().equals(text)) return Optional.of(r);
        return Optional.empty();
    }
}
