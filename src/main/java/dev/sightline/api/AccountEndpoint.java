package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.account.AccountError;
import dev.sightline.account.AccountStore;
import dev.sightline.account.Accounts;
import dev.sightline.account.Invite;
import dev.sightline.account.Role;
import dev.sightline.account.User;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Organization;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Set-up, sign-in and sign-out, the signed-in user ({@code /api/users/@me/}), the organization's
 * members and invitations. Session cookies are HttpOnly and SameSite=Lax, Secure behind TLS.
 */
final class AccountEndpoint {
    private final Auth auth;
    private final Accounts accounts;
    private final AccountStore store;
    private final MetaStore meta;
    private final ObjectMapper json;

    AccountEndpoint(Auth auth, Accounts accounts, AccountStore store, MetaStore meta, ObjectMapper json) {
        this.auth = auth;
        this.accounts = accounts;
        this.store = store;
        this.meta = meta;
        this.json = json;
    }

    /** Public: whether the set-up page is needed, and whether this browser is signed in (so a page need not ask and get a 401). */
    void setupStatus(Context ctx) {
        ctx.json(Map.of("needs_setup", accounts.needsSetup(), "signed_in", accounts.session(ctx.cookie(Auth.SESSION_COOKIE)).isPresent()));
    }

    /**
     * What the app asks first, answered inside the page it loads (see {@link WebApp#page}): the
     * set-up status and, for a signed-in browser, what {@code /api/users/@me} says. The app then
     * asks for the page's own data at once instead of after two round trips.
     */
    Map<String, Object> boot(Context ctx) {
        Map<String, Object> boot = new java.util.LinkedHashMap<>();
        var session = accounts.session(ctx.cookie(Auth.SESSION_COOKIE));
        boot.put("setup", Map.of("needs_setup", accounts.needsSetup(), "signed_in", session.isPresent()));
        session.ifPresent(s -> boot.put("me", me(s.user(), s.session().csrfToken())));
        return boot;
    }

    void setUp(Context ctx) {
        Auth.refuseCrossSite(ctx);
        JsonNode body = body(ctx);
        Accounts.SignedIn signedIn = accounts.setUp(text(body, "setup_code"), text(body, "email"), text(body, "password"),
                text(body, "first_name"), text(body, "organization_name"));
        startSession(ctx, signedIn);
        ctx.status(201).json(me(signedIn.user(), signedIn.session().csrfToken()));
    }

    void login(Context ctx) {
        Auth.refuseCrossSite(ctx);
        JsonNode body = body(ctx);
        Accounts.SignedIn signedIn = accounts.signIn(text(body, "email"), text(body, "password"), ctx.ip());
        startSession(ctx, signedIn);
        ctx.json(me(signedIn.user(), signedIn.session().csrfToken()));
    }

    void logout(Context ctx) {
        String token = ctx.cookie(Auth.SESSION_COOKIE);
        if (token != null && !token.isEmpty()) {
            auth.caller(ctx); // a sign-out is a write: it needs the CSRF header too
            accounts.signOut(token);
        }
        clearCookie(ctx, Auth.SESSION_COOKIE, true);
        clearCookie(ctx, Auth.CSRF_COOKIE, false);
        ctx.status(204);
    }

    void me(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        User user = caller.user().orElseThrow(() -> ApiError.forbidden("a personal API key has no user; sign in to the web app"));
        ctx.json(me(user, caller.session().map(s -> s.session().csrfToken()).orElse(null)));
    }

    void inviteInfo(Context ctx) {
        Invite invite = accounts.invite(ctx.pathParam("token"))
                .orElseThrow(() -> ApiError.notFound("this invitation is not valid any more: ask for a new one"));
        ctx.json(Map.of("email", invite.targetEmail(), "role", invite.role().wire(),
                "organization_name", meta.organization(invite.organizationId()).map(Organization::name).orElse("")));
    }

    void acceptInvite(Context ctx) {
        Auth.refuseCrossSite(ctx);
        JsonNode body = body(ctx);
        Accounts.SignedIn signedIn = accounts.acceptInvite(ctx.pathParam("token"), text(body, "first_name"), text(body, "password"));
        startSession(ctx, signedIn);
        ctx.json(me(signedIn.user(), signedIn.session().csrfToken()));
    }

    void organization(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        ctx.json(organizationView(caller.organizationId()));
    }

    void members(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        List<Map<String, Object>> results = store.members(caller.organizationId()).stream().map(u -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", u.id());
            m.put("user", userView(u));
            m.put("role", u.role().wire());
            m.put("joined_at", u.createdAt().toString());
            return m;
        }).toList();
        ctx.json(Map.of("results", results));
    }

    void invites(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        ctx.json(Map.of("results", store.pendingInvites(caller.organizationId()).stream().map(i -> inviteView(i, null)).toList()));
    }

    void createInvite(Context ctx) {
        Auth.Caller caller = auth.admin(ctx);
        User by = caller.user().orElseThrow(() -> ApiError.forbidden("invitations are sent by a signed-in administrator"));
        JsonNode body = body(ctx);
        Role role = Optional.ofNullable(text(body, "role")).map(r -> Role.parse(r)
                .orElseThrow(() -> ApiError.invalid("role", "role is admin or member"))).orElse(Role.MEMBER);
        Accounts.Invitation invitation = accounts.invite(by, text(body, "target_email"), role);
        ctx.status(201).json(inviteView(invitation.invite(), "/invite/" + invitation.token()));
    }

    void deleteInvite(Context ctx) {
        Auth.Caller caller = auth.admin(ctx);
        long id = Params.pathLong(ctx, "inviteId");
        if (!store.deleteInvite(caller.organizationId(), id)) throw ApiError.notFound("no invitation " + id);
        ctx.status(204);
    }

    /** How each refusal of the account rules reads on the wire. */
    static void render(AccountError e, Context ctx) {
        int status = switch (e.reason()) {
            case INVALID_CREDENTIALS -> 401;
            case RATE_LIMITED -> 429;
            case INVALID_SETUP_CODE, ALREADY_SET_UP -> 403;
            case INVALID_INVITE -> 404;
            case EMAIL_TAKEN, INVALID_EMAIL, WEAK_PASSWORD -> 400;
        };
        String attr = switch (e.reason()) {
            case EMAIL_TAKEN, INVALID_EMAIL -> "email";
            case WEAK_PASSWORD -> "password";
            case INVALID_SETUP_CODE -> "setup_code";
            default -> null;
        };
        if (e.reason() == AccountError.Reason.RATE_LIMITED) ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        String type = status == 400 ? "validation_error" : status == 429 ? "throttled_error" : "authentication_error";
        ctx.status(status).json(new ApiError.ErrorBody(type, e.reason().name().toLowerCase(java.util.Locale.ROOT), e.getMessage(), attr));
    }

    private Map<String, Object> me(User user, String csrfToken) {
        Map<String, Object> m = userView(user);
        m.put("role", user.role().wire());
        m.put("csrf_token", csrfToken);
        m.put("organization", organizationView(user.organizationId()));
        Optional<Project> first = meta.projects().stream().filter(p -> p.organizationId() == user.organizationId()).findFirst();
        m.put("team", first.map(p -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", p.id());
            t.put("name", p.name());
            t.put("api_token", p.token());
            t.put("timezone", p.timezone());
            return t;
        }).orElse(null));
        return m;
    }

    private Map<String, Object> organizationView(long id) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("name", meta.organization(id).map(Organization::name).orElse(""));
        return o;
    }

    private static Map<String, Object> userView(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("uuid", u.uuid().toString());
        m.put("email", u.email());
        m.put("first_name", u.firstName());
        return m;
    }

    private static Map<String, Object> inviteView(Invite i, String acceptUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("target_email", i.targetEmail());
        m.put("role", i.role().wire());
        m.put("created_at", i.createdAt().toString());
        m.put("expires_at", i.expiresAt().toString());
        if (acceptUrl != null) m.put("accept_url", acceptUrl);
        return m;
    }

    private void startSession(Context ctx, Accounts.SignedIn signedIn) {
        long maxAge = Accounts.SESSION_LIFETIME.toSeconds();
        setCookie(ctx, Auth.SESSION_COOKIE, signedIn.token(), maxAge, true);
        setCookie(ctx, Auth.CSRF_COOKIE, signedIn.session().csrfToken(), maxAge, false);
    }

    private static void setCookie(Context ctx, String name, String value, long maxAgeSeconds, boolean httpOnly) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=/; Max-Age=").append(maxAgeSeconds)
                .append("; SameSite=Lax");
        if (httpOnly) c.append("; HttpOnly");
        if (secure(ctx)) c.append("; Secure");
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    private static void clearCookie(Context ctx, String name, boolean httpOnly) {
        setCookie(ctx, name, "", 0, httpOnly);
    }

    /** Behind TLS (directly, or a proxy that says so) cookies are sent over HTTPS only. */
    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private JsonNode body(Context ctx) {
        JsonNode node = Params.json(ctx, json, "body");
        if (node == null || !node.isObject()) throw ApiError.invalid("body", "the body must be a JSON object");
        return node;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiError.invalid(field, field + " must be a string");
        return v.asText();
    }
}
