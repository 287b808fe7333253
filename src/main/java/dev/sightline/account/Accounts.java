package dev.sightline.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Organization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may sign in to the web app, and how: the one-time set-up of the first user, sign-in with
 * email and password (rate-limited), browser sessions, invitations. Every rule about users is here.
 */
public final class Accounts {
    public static final Duration SESSION_LIFETIME = Duration.ofDays(14);
    public static final Duration INVITE_LIFETIME = Duration.ofDays(7);
    /** A session read from the store is trusted this long before it is read again (sign-out evicts it at once). */
    private static final Duration SESSION_CACHE = Duration.ofSeconds(30);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    /** A signed-in browser: its plain token goes into the cookie and nowhere else. */
    public record SignedIn(String token, BrowserSession session, User user) {}

    /** A session that is still valid, with its user. */
    public record Current(BrowserSession session, User user) {}

    /** A new invitation and the plain token for its link, shown once. */
    public record Invitation(Invite invite, String token) {}

    private final AccountStore store;
    private final MetaStore meta;
    private final SignInLimiter limiter;
    private final Clock clock;
    private final Cache<String, Current> sessions = Caffeine.newBuilder().expireAfterWrite(SESSION_CACHE).maximumSize(10_000).build();
    private volatile String setupCode;

    public Accounts(AccountStore store, MetaStore meta, Clock clock) {
        this.store = store;
        this.meta = meta;
        this.clock = clock;
        this.limiter = new SignInLimiter(clock);
    }

    public boolean needsSetup() {
        return !store.hasUsers();
    }

    /** The code that guards the one-time set-up page, made at first call; empty once a user exists. */
    public synchronized Optional<String> setupCode() {
        if (!needsSetup()) return Optional.empty();
        if (setupCode == null) setupCode = Secrets.typeableCode();
        return Optional.of(setupCode);
    }

    /** The first user: an admin of the first organization, which takes the given name. */
    public synchronized SignedIn setUp(String code, String email, String password, String firstName, String organizationName) {
        if (!needsSetup()) throw new AccountError(AccountError.Reason.ALREADY_SET_UP, "Sightline is already set up: sign in instead");
        String expected = setupCode().orElseThrow();
        if (code == null || !Secrets.same(normalizeCode(code), expected)) {
            throw new AccountError(AccountError.Reason.INVALID_SETUP_CODE, "the set-up code is not the one the server printed at start");
        }
        Organization org = meta.organizations().getFirst();
        User user = createUser(org.id(), email, firstName, password, Role.ADMIN);
        if (organizationName != null && !organizationName.isBlank()) meta.renameOrganization(org.id(), organizationName.strip());
        setupCode = null;
        return startSession(user);
    }

    /** A user made from the command line or by set-up and invitations; the email must be new. */
    public User createUser(long organizationId, String email, String firstName, String password, Role role) {
        String normalized = normalizeEmail(email);
        checkPassword(password);
        if (store.userByEmail(normalized).isPresent()) {
            throw new AccountError(AccountError.Reason.EMAIL_TAKEN, "a user with the email " + normalized + " already exists");
        }
        String name = firstName == null || firstName.isBlank() ? normalized.substring(0, normalized.indexOf('@')) : firstName.strip();
        return store.createUser(organizationId, normalized, name, Passwords.hash(password), role);
    }

    public SignedIn signIn(String email, String password, String address) {
        String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        limiter.blocked(normalized, address).ifPresent(wait -> {
            throw new AccountError(AccountError.Reason.RATE_LIMITED,
                    "too many failed sign-ins; try again in " + Math.max(1, wait.toMinutes()) + " minutes", wait);
        });
        Optional<User> user = store.userByEmail(normalized);
        boolean ok;
        if (user.isPresent()) {
            ok = password != null && Passwords.verify(password, user.get().passwordHash());
        } else {
            // as slow as a wrong password, so that timing does not tell which emails have accounts
            Passwords.burn(password == null ? "" : password);
            ok = false;
        }
        if (!ok) {
            limiter.failed(normalized, address);
            throw new AccountError(AccountError.Reason.INVALID_CREDENTIALS, "the email or the password is wrong");
        }
        limiter.succeeded(normalized);
        return startSession(user.get());
    }

    public Optional<Current> session(String token) {
        if (token == null || token.isEmpty()) return Optional.empty();
        String hash = Secrets.hash(token);
        Current cached = sessions.getIfPresent(hash);
        Instant now = clock.instant();
        if (cached == null) {
            Optional<BrowserSession> stored = store.session(hash);
            if (stored.isEmpty()) return Optional.empty();
            Optional<User> user = store.user(stored.get().userId());
            if (user.isEmpty()) return Optional.empty();
            cached = new Current(stored.get(), user.get());
            sessions.put(hash, cached);
        }
        if (!now.isBefore(cached.session().expiresAt())) {
            signOut(token);
            return Optional.empty();
        }
        return Optional.of(cached);
    }

    public void signOut(String token) {
        String hash = Secrets.hash(token);
        sessions.invalidate(hash);
        store.deleteSession(hash);
    }

    public Invitation invite(User by, String email, Role role) {
        String normalized = normalizeEmail(email);
        if (store.userByEmail(normalized).isPresent()) {
            throw new AccountError(AccountError.Reason.EMAIL_TAKEN, normalized + " is already a member");
        }
        String token = Secrets.token();
        Invite invite = store.createInvite(by.organizationId(), Secrets.hash(token), normalized, role, by.id(),
                clock.instant().plus(INVITE_LIFETIME));
        return new Invitation(invite, token);
    }

    public Optional<Invite> invite(String token) {
        if (token == null || token.isEmpty()) return Optional.empty();
        return store.inviteByTokenHash(Secrets.hash(token)).filter(i -> i.usable(clock.instant()));
    }

    public synchronized SignedIn acceptInvite(String token, String firstName, String password) {
        Invite invite = invite(token).orElseThrow(() ->
                new AccountError(AccountError.Reason.INVALID_INVITE, "this invitation is not valid any more: ask for a new one"));
        User user = createUser(invite.organizationId(), invite.targetEmail(), firstName, password, invite.role());
        store.markInviteAccepted(invite.id(), clock.instant());
        return startSession(user);
    }

    private SignedIn startSession(User user) {
        String token = Secrets.token();
        Instant now = clock.instant();
        BrowserSession session = new BrowserSession(Secrets.hash(token), user.id(), Secrets.token(), now, now.plus(SESSION_LIFETIME));
        store.saveSession(session);
        return new SignedIn(token, session, user);
    }

    static String normalizeEmail(String email) {
        String e = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(e).matches() || e.length() > 254) {
            throw new AccountError(AccountError.Reason.INVALID_EMAIL, "'" + (email == null ? "" : email) + "' is not an email address");
        }
        return e;
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < Passwords.MIN_LENGTH) {
            throw new AccountError(AccountError.Reason.WEAK_PASSWORD, "the password needs at least " + Passwords.MIN_LENGTH + " characters");
        }
        if (password.length() > 1024) throw new AccountError(AccountError.Reason.WEAK_PASSWORD, "the password is longer than 1024 characters");
    }

    private static String normalizeCode(String code) {
        return code.strip().toUpperCase(Locale.ROOT);
    }
}
