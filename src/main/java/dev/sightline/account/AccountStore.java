package dev.sightline.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users, browser sessions and invitations, as the embedded store keeps them. */
public interface AccountStore {
    boolean hasUsers();

    /** Fails with {@link AccountError} {@code EMAIL_TAKEN} when another user has the email. */
    User createUser(long organizationId, String email, String firstName, String passwordHash, Role role);

    Optional<User> user(long id);

    Optional<User> userByEmail(String normalizedEmail);

    List<User> members(long organizationId);

    void saveSession(BrowserSession session);

    Optional<BrowserSession> session(String tokenHash);

    void deleteSession(String tokenHash);

    Invite createInvite(long organizationId, String tokenHash, String targetEmail, Role role, long createdBy, Instant expiresAt);

    Optional<Invite> inviteByTokenHash(String tokenHash);

    List<Invite> pendingInvites(long organizationId);

    boolean deleteInvite(long organizationId, long id);

    void markInviteAccepted(long id, Instant at);
}
