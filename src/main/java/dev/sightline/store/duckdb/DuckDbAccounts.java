package dev.sightline.store.duckdb;

import dev.sightline.account.AccountError;
import dev.sightline.account.AccountStore;
import dev.sightline.account.BrowserSession;
import dev.sightline.account.Invite;
import dev.sightline.account.Role;
import dev.sightline.account.User;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/** Users, browser sessions and invitations in the embedded store. Small tables: no caching here (see Accounts). */
public final class DuckDbAccounts implements AccountStore {
    private static final String USER_COLUMNS = "SELECT id, uuid, organization_id, email, first_name, password_hash, role, created_at FROM users";
    private static final String INVITE_COLUMNS = "SELECT id, organization_id, target_email, role, created_at, expires_at, accepted_at FROM invites";

    private final Database db;

    public DuckDbAccounts(Database db) {
        this.db = db;
    }

    @Override
    public boolean hasUsers() {
        return !Statements.rows(db, "SELECT 1 FROM users LIMIT 1", rs -> 1).isEmpty();
    }

    @Override
    public synchronized User createUser(long organizationId, String email, String firstName, String passwordHash, Role role) {
        if (userByEmail(email).isPresent()) throw new AccountError(AccountError.Reason.EMAIL_TAKEN, "a user with the email " + email + " already exists");
        long id = Statements.nextId(db, "users");
        UUID uuid = UUID.randomUUID();
        Instant now = Instant.now();
        Statements.update(db, "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, uuid, organizationId, email, firstName, passwordHash, role.wire(),
                Timestamp.from(now));
        return new User(id, uuid, organizationId, email, firstName, passwordHash, role, now);
    }

    @Override
    public Optional<User> user(long id) {
        return users(USER_COLUMNS + " WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public Optional<User> userByEmail(String normalizedEmail) {
        return users(USER_COLUMNS + " WHERE email = ?", normalizedEmail).stream().findFirst();
    }

    @Override
    public List<User> members(long organizationId) {
        return users(USER_COLUMNS + " WHERE organization_id = ? ORDER BY id", organizationId);
    }

    @Override
    public void saveSession(BrowserSession s) {
        Statements.update(db, "INSERT INTO browser_sessions VALUES (?, ?, ?, ?, ?)", s.tokenHash(), s.userId(), s.csrfToken(),
                Timestamp.from(s.createdAt()), Timestamp.from(s.expiresAt()));
    }

    @Override
    public Optional<BrowserSession> session(String tokenHash) {
        return Statements.rows(db, "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM browser_sessions WHERE token_hash = ?",
                rs -> new BrowserSession(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant()), tokenHash).stream().findFirst();
    }

    @Override
    public void deleteSession(String tokenHash) {
        Statements.update(db, "DELETE FROM browser_sessions WHERE token_hash = ?", tokenHash);
    }

    @Override
    public synchronized Invite createInvite(long organizationId, String tokenHash, String targetEmail, Role role, long createdBy,
                                            Instant expiresAt) {
        long id = Statements.nextId(db, "invites");
        Instant now = Instant.now();
        Statements.update(db, "INSERT INTO invites VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)", id, organizationId, tokenHash, targetEmail, role.wire(), createdBy,
                Timestamp.from(now), Timestamp.from(expiresAt));
        return new Invite(id, organizationId, targetEmail, role, now, expiresAt, Optional.empty());
    }

    @Override
    public Optional<Invite> inviteByTokenHash(String tokenHash) {
        return invites(INVITE_COLUMNS + " WHERE token_hash = ?", tokenHash).stream().findFirst();
    }

    @Override
    public List<Invite> pendingInvites(long organizationId) {
        return invites(INVITE_COLUMNS + " WHERE organization_id = ? AND accepted_at IS NULL ORDER BY id DESC", organizationId);
    }

    @Override
    public boolean deleteInvite(long organizationId, long id) {
        return Statements.update(db, "DELETE FROM invites WHERE organization_id = ? AND id = ?", organizationId, id) > 0;
    }

    @Override
    public void markInviteAccepted(long id, Instant at) {
        Statements.update(db, "UPDATE invites SET accepted_at = ? WHERE id = ?", Timestamp.from(at), id);
    }

    private List<User> users(String sql, Object... params) {
        return Statements.rows(db, sql, rs -> new User(rs.getLong(1), rs.getObject(2, UUID.class), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Role.parse(rs.getString(7)).orElse(Role.MEMBER), rs.getTimestamp(8).toInstant()), params);
    }

    private List<Invite> invites(String sql, Object... params) {
        return Statements.rows(db, sql, rs -> new Invite(rs.getLong(1), rs.getLong(2), rs.getString(3), Role.parse(rs.getString(4)).orElse(Role.MEMBER),
                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
                Optional.ofNullable(rs.getTimestamp(7)).map(Timestamp::toInstant)), params);
    }



}
