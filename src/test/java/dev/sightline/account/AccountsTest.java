package dev.sightline.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbAccounts;
import dev.sightline.store.duckdb.DuckDbMeta;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The account rules against a real DuckDB file, with a clock the test moves. */
class AccountsTest {
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void sessionsExpireAfterTheirLifetimeAndSignOutEndsThemAtOnce() throws Exception {
        MovableClock clock = new MovableClock();
        try (Database db = Database.open(Files.createTempDirectory("accounts"))) {
            DuckDbMeta meta = new DuckDbMeta(db);
            long org = meta.createOrganization("o");
            DuckDbAccounts store = new DuckDbAccounts(db);
            Accounts accounts = new Accounts(store, meta, clock);
            accounts.createUser(org, " Ada@Example.COM ", "Ada", "long enough", Role.ADMIN);
            assertThat(store.userByEmail("ada@example.com").orElseThrow().passwordHash()).startsWith("$argon2id$").doesNotContain("long enough");

            Accounts.SignedIn first = accounts.signIn("ADA@example.com", "long enough", "10.0.0.1");
            assertThat(accounts.session(first.token())).map(c -> c.user().email()).contains("ada@example.com");
            assertThat(store.session(first.token())).as("only the hash of a session token is stored").isEmpty();

            clock.now = clock.now.plus(Accounts.SESSION_LIFETIME).minusSeconds(1);
            assertThat(accounts.session(first.token())).isPresent();
            clock.now = clock.now.plusSeconds(1);
            assertThat(accounts.session(first.token())).as("expired at its lifetime").isEmpty();

            Accounts.SignedIn second = accounts.signIn("ada@example.com", "long enough", "10.0.0.1");
            accounts.signOut(second.token());
            assertThat(accounts.session(second.token())).isEmpty();
            assertThat(accounts.session("not a token")).isEmpty();
        }
    }

    @Test
    void theSetUpCodeGuardsTheFirstUserOnlyAndInvitesExpire() throws Exception {
        MovableClock clock = new MovableClock();
        try (Database db = Database.open(Files.createTempDirectory("accounts"))) {
            DuckDbMeta meta = new DuckDbMeta(db);
            meta.createOrganization("Default organization");
            Accounts accounts = new Accounts(new DuckDbAccounts(db), meta, clock);
            String code = accounts.setupCode().orElseThrow();
            assertThat(code).matches("[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}");
            assertThatThrownBy(() -> accounts.setUp("AAAA-AAAA-AAAA", "a@b.c", "long enough", "A", "Org"))
                    .isInstanceOf(AccountError.class).extracting(e -> ((AccountError) e).reason()).isEqualTo(AccountError.Reason.INVALID_SETUP_CODE);
            Accounts.SignedIn admin = accounts.setUp(" " + code.toLowerCase() + " ", "a@b.c", "long enough", "A", "Org");
            assertThat(admin.user().role()).isEqualTo(Role.ADMIN);
            assertThat(meta.organizations().getFirst().name()).isEqualTo("Org");
            assertThat(accounts.setupCode()).isEmpty();
            assertThatThrownBy(() -> accounts.setUp(code, "b@b.c", "long enough", "B", "Org"))
                    .extracting(e -> ((AccountError) e).reason()).isEqualTo(AccountError.Reason.ALREADY_SET_UP);

            Accounts.Invitation invitation = accounts.invite(admin.user(), "new@b.c", Role.MEMBER);
            assertThat(accounts.invite(invitation.token())).isPresent();
            clock.now = clock.now.plus(Accounts.INVITE_LIFETIME).plus(Duration.ofSeconds(1));
            assertThat(accounts.invite(invitation.token())).as("expired").isEmpty();
            assertThatThrownBy(() -> accounts.acceptInvite(invitation.token(), "New", "long enough"))
                    .extracting(e -> ((AccountError) e).reason()).isEqualTo(AccountError.Reason.INVALID_INVITE);
            assertThatThrownBy(() -> accounts.invite(admin.user(), "A@B.C", Role.MEMBER))
                    .extracting(e -> ((AccountError) e).reason()).isEqualTo(AccountError.Reason.EMAIL_TAKEN);
        }
    }
}
