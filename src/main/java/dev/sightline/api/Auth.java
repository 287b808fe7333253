package dev.sightline.api;

import dev.sightline.account.Accounts;
import dev.sightline.account.Role;
import dev.sightline.account.Secrets;
import dev.sightline.account.User;
import dev.sightline.store.MetaStore;
import dev.sightline.store.PersonalApiKey;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.Optional;

/**
 * Who is calling the private API, and what they may reach: a personal API key (Bearer) or a
 * signed-in browser (session cookie) reads the projects of its own organization and nothing else.
 * Browser writes must echo the session's CSRF token in a header, which a page of another site
 * cannot read, and must not come from another origin. Every private handler starts here.
 */
final class Auth {
    static final String SESSION_COOKIE = "sightline_session";
    static final String CSRF_COOKIE = "sightline_csrf";
    static final String CSRF_HEADER = "X-CSRFToken";

    /** The organization a request acts for, and the user behind it when there is one. */
    record Caller(long organizationId, Optional<User> user, Optional<PersonalApiKey> key, Optional<Accounts.Current> session) {
        /** A personal API key acts for its whole organization, as an administrator; a user by their role. */
        boolean admin() {
            return user.map(u -> u.role() == Role.ADMIN).orElse(key.isPresent());
        }
    }

    private final MetaStore meta;
    private final Accounts accounts;
    private final Clock clock;

    Auth(MetaStore meta, Accounts accounts, Clock clock) {
        this.meta = meta;
        this.accounts = accounts;
        this.clock = clock;
    }

    Caller caller(Context ctx) {
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        String plain = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : Optional.ofNullable(ctx.queryParam("personal_api_key")).orElse("");
        if (!plain.isEmpty()) {
            if (plain.startsWith("phc_")) {
                throw ApiError.unauthenticated("a project token (phc_...) only captures; reading needs a personal API key (phx_...)");
            }
            PersonalApiKey key = meta.personalApiKeyByPlainValue(plain)
                    .orElseThrow(() -> ApiError.unauthenticated("the personal API key is not valid"));
            meta.touchPersonalApiKey(key.id(), clock.instant());
            return new Caller(key.organizationId(), Optional.empty(), Optional.of(key), Optional.empty());
        }
        Optional<Accounts.Current> session = accounts.session(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            throw ApiError.unauthenticated("sign in, or send a personal API key as 'Authorization: Bearer phx_...'");
        }
        if (writes(ctx)) checkCsrf(ctx, session.get());
        User user = session.get().user();
        return new Caller(user.organizationId(), Optional.of(user), Optional.empty(), session);
    }

    /** The signed-in browser's caller for a page GET (no key, no CSRF: nothing is written), if signed in. */
    Optional<Caller> browser(Context ctx) {
        return accounts.session(ctx.cookie(SESSION_COOKIE))
                .map(s -> new Caller(s.user().organizationId(), Optional.of(s.user()), Optional.empty(), Optional.of(s)));
    }

    /** A signed-in user (browser session); keys cannot act as a person here. */
    User user(Context ctx) {
        return caller(ctx).user().orElseThrow(() -> ApiError.forbidden("this needs a signed-in user, not a personal API key"));
    }

    Caller admin(Context ctx) {
        Caller caller = caller(ctx);
        if (!caller.admin()) throw ApiError.forbidden("only an administrator of the organization can do this");
        return caller;
    }

    /** The project named in the path ({@code @current}: the organization's first), checked against the caller. */
    Project project(Context ctx) {
        return project(ctx, caller(ctx));
    }

    Project project(Context ctx, Caller caller) {
        return project(ctx.pathParam("projectId"), caller);
    }

    /** The project {@code raw} names ({@code @current} or an id), checked against the caller. */
    Project project(String raw, Caller caller) {
        if (raw.equals("@current")) {
            return meta.projects().stream().filter(p -> p.organizationId() == caller.organizationId()).findFirst()
                    .orElseThrow(() -> ApiError.notFound("the organization has no project yet"));
        }
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.notFound("project '" + raw + "' does not exist");
        }
        Optional<Project> project = meta.project(id);
        if (project.isEmpty() || project.get().organizationId() != caller.organizationId()) {
            // the same answer whether it doesn't exist or belongs to someone else: no probing
            throw ApiError.forbidden("you have no access to project " + id);
        }
        return project.get();
    }

    private static boolean writes(Context ctx) {
        HandlerType m = ctx.method();
        return m != HandlerType.GET && m != HandlerType.HEAD && m != HandlerType.OPTIONS;
    }

    /**
     * Double submit: the page reads the CSRF cookie (SameSite=Lax, so another site's request does
     * not carry the session in the first place) and sends it back as a header, which no cross-site
     * form or simple request can set. A request that names another origin is refused as well.
     */
    private static void checkCsrf(Context ctx, Accounts.Current session) {
        refuseCrossSite(ctx);
        if (!Secrets.same(ctx.header(CSRF_HEADER), session.session().csrfToken())) {
            throw new ApiError(403, "authentication_error", "csrf_failed",
                    "send the " + CSRF_HEADER + " header with the value of the " + CSRF_COOKIE + " cookie", null);
        }
    }

    /** Sign-in, set-up and invitation answers start a session: another site's page may not send them. */
    static void refuseCrossSite(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null") && !sameOrigin(ctx, origin)) {
            throw new ApiError(403, "authentication_error", "csrf_failed", "cross-site request refused (origin " + origin + ")", null);
        }
    }

    static boolean sameOrigin(Context ctx, String origin) {
        String host = ctx.header("Host");
        if (host == null) return false;
        return origin.equals("http://" + host) || origin.equals("https://" + host);
    }
}
