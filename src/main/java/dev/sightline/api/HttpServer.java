package dev.sightline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.account.AccountError;
import dev.sightline.capture.CaptureDecoder;
import dev.sightline.capture.InFlightBytes;
import dev.sightline.query.InvalidQuery;
import dev.sightline.store.duckdb.StorageException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every route of the server, declared in one place. Handlers parse, call one service, render. */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final List<String> CAPTURE_PATHS = List.of("/e", "/i/v0/e", "/capture", "/track", "/engage");

    private final Javalin app;

    public HttpServer(Services s) {
        ObjectMapper json = new ObjectMapper();
        Auth auth = new Auth(s.meta(), s.accounts(), s.clock());
        CaptureEndpoint capture = new CaptureEndpoint(s.meta(), s.pipeline(), new InFlightBytes(s.options().captureBytesInFlight()),
                s.metrics(), s.clock());
        PageLinks links = new PageLinks(s.options().siteUrl());
        EventsEndpoint eventsApi = new EventsEndpoint(auth, s.events(), links, json);
        SdkConfigEndpoint sdk = new SdkConfigEndpoint(s.meta(), json);
        PersonsEndpoint persons = new PersonsEndpoint(auth, s.persons(), s.pipeline(), eventsApi, links, json, s.clock(), s.cohorts()::members);
        CohortsEndpoint cohorts = new CohortsEndpoint(auth, s.cohorts(), s.queries(), persons, json);
        QueryEndpoint query = new QueryEndpoint(auth, s.queries(), json);
        AccountEndpoint accounts = new AccountEndpoint(auth, s.accounts(), s.accountStore(), s.meta(), json);
        ProjectsEndpoint projects = new ProjectsEndpoint(auth, s.meta(), s.events(), s.persons(), s.pipeline(), s.queries(), s.demo(),
                s.newProjectToken(), json, s.clock());
        KeysEndpoint keys = new KeysEndpoint(auth, s.meta(), s.newPersonalApiKey(), json);
        DefinitionsEndpoint definitions = new DefinitionsEndpoint(auth, s.definitions());
        InsightsEndpoint insights = new InsightsEndpoint(auth, s.insights(), s.accountStore(), json);
        WebApp web = new WebApp(new PageAnswers(auth, accounts, projects, insights)::of, json);
        MetricsAccess metricsAccess = new MetricsAccess(s.options().metricsToken());
        BackupEndpoint backup = new BackupEndpoint(auth, s.meta(), s.backups(), json);

        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(json, true));
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = CaptureDecoder.BATCH_BODY_LIMIT + 1024L * 1024;
            config.router.ignoreTrailingSlashes = true;
            config.startup.showJavalinBanner = false;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.router.javaLangErrorHandler(HttpServer::fatal);
            var r = config.routes;

            // what SDKs call from any site's pages: open CORS. The private API gets none, so a
            // browser refuses to let another site's script read it.
            r.before(ctx -> {
                if (sdkPath(ctx.path())) cors(ctx);
            });
            for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST)) {
                for (String path : CAPTURE_PATHS) r.addHttpHandler(method, path, ctx -> capture.handle(ctx, false));
                r.addHttpHandler(method, "/batch", ctx -> capture.handle(ctx, true));
                for (String path : List.of("/flags", "/decide")) r.addHttpHandler(method, path, sdk::flags);
            }
            r.get("/array/{token}/config", sdk::config);
            r.get("/array/{token}/config.js", sdk::configJs);
            r.options("/*", ctx -> ctx.status(sdkPath(ctx.path()) ? 204 : 405));

            r.get("/_health", ctx -> {
                Map<String, Object> health = new java.util.LinkedHashMap<>();
                health.put("status", "ok");
                health.putAll(s.components().get());
                ctx.json(health);
            });
            r.get("/_liveness", ctx -> ctx.json(Map.of("status", "ok")));
            r.get("/_readiness", ctx -> {
                boolean ok = s.ready().getAsBoolean() && s.pipeline().writing();
                ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ready" : "starting"));
            });
            r.get("/metrics", ctx -> {
                metricsAccess.check(ctx);
                ctx.contentType("text/plain; version=0.0.4").result(s.metrics().scrape());
            });

            // sign-in, the user, the organization
            r.get("/api/setup", accounts::setupStatus);
            r.post("/api/setup", accounts::setUp);
            r.post("/api/login", accounts::login);
            r.post("/api/logout", accounts::logout);
            r.get("/api/users/@me", accounts::me);
            r.get("/api/invites/{token}", accounts::inviteInfo);
            r.post("/api/invites/{token}/accept", accounts::acceptInvite);
            r.get("/api/organizations/@current", accounts::organization);
            r.get("/api/organizations/@current/members", accounts::members);
            r.get("/api/organizations/@current/invites", accounts::invites);
            r.post("/api/organizations/@current/invites", accounts::createInvite);
            r.delete("/api/organizations/@current/invites/{inviteId}", accounts::deleteInvite);
            r.get("/api/personal_api_keys", keys::list);
            r.post("/api/personal_api_keys", keys::create);
            r.delete("/api/personal_api_keys/{keyId}", keys::revoke);

            r.post("/api/backup", backup::backup);
            r.get("/api/projects", projects::list);
            r.post("/api/projects", projects::create);
            r.get("/api/projects/demo", projects::demoStatus);
            r.post("/api/projects/demo", projects::demoStart);
            // newer PostHog clients say "environments" where older ones say "projects": the same routes
            for (String base : List.of("/api/projects/{projectId}", "/api/environments/{projectId}")) {
                r.get(base, projects::get);
                r.patch(base, projects::patch);
                r.post(base + "/test_event", projects::testEvent);

                r.get(base + "/events", eventsApi::list);
                r.get(base + "/events/{uuid}", eventsApi::get);
                r.post(base + "/query", query::run);
                r.get(base + "/query", ctx -> ApiError.methodNotAllowed(ctx, "POST"));
                r.get(base + "/event_definitions", definitions::events);
                r.get(base + "/property_definitions", definitions::properties);
                r.get(base + "/property_values", definitions::values);

                r.get(base + "/insights", insights::list);
                r.post(base + "/insights", insights::create);
                r.get(base + "/insights/{insightId}", insights::get);
                r.patch(base + "/insights/{insightId}", insights::patch);
                r.delete(base + "/insights/{insightId}", insights::delete);
                r.get(base + "/dashboards", insights::dashboards);
                r.post(base + "/dashboards", insights::createDashboard);
                r.get(base + "/dashboards/{dashboardId}", insights::getDashboard);
                r.patch(base + "/dashboards/{dashboardId}", insights::patchDashboard);
                r.delete(base + "/dashboards/{dashboardId}", insights::deleteDashboard);

                r.get(base + "/persons", persons::list);
                r.get(base + "/persons/{uuid}", persons::get);
                r.patch(base + "/persons/{uuid}", persons::patch);
                r.delete(base + "/persons/{uuid}", persons::delete);
                r.delete(base + "/persons", persons::deleteByDistinctId);
                r.post(base + "/persons/bulk_delete", persons::bulkDelete);
                r.post(base + "/persons/{uuid}/update_property", persons::updateProperty);
                r.post(base + "/persons/{uuid}/delete_property", persons::deleteProperty);
                r.get(base + "/persons/{uuid}/merges", persons::merges);
                r.post(base + "/persons/{uuid}/split", persons::split);
                r.get(base + "/persons/{uuid}/timeline", persons::timeline);

                r.get(base + "/cohorts", cohorts::list);
                r.post(base + "/cohorts", cohorts::create);
                r.post(base + "/cohorts/estimate", cohorts::estimate);
                r.get(base + "/cohorts/{cohortId}", cohorts::get);
                r.patch(base + "/cohorts/{cohortId}", cohorts::patch);
                r.delete(base + "/cohorts/{cohortId}", cohorts::delete);
                r.get(base + "/cohorts/{cohortId}/persons", cohorts::persons);
                r.post(base + "/cohorts/{cohortId}/calculate", cohorts::calculate);
                r.patch(base + "/cohorts/{cohortId}/add_persons_to_static_cohort", cohorts::addPersons);
                r.post(base + "/cohorts/{cohortId}/add_persons_to_static_cohort", cohorts::addPersons);
            }

            // usage and billing: a project's metered month and its limits, the organization's bill and prices
            UsageEndpoint usage = new UsageEndpoint(auth, s.usage(), s.meta(), json, s.clock());
            for (String base : List.of("/api/projects/{projectId}", "/api/environments/{projectId}")) {
                r.get(base + "/usage", usage::project);
                r.get(base + "/billing_limits", usage::limits);
                r.patch(base + "/billing_limits", usage::setLimits);
            }
            r.get("/api/organizations/@current/usage", usage::organization);
            r.get("/api/organizations/@current/billing", usage::prices);
            r.patch("/api/organizations/@current/billing", usage::setPrices);

            // the web app: hashed assets, posthog-js for PostHog's snippet, and every other page path
            r.get("/assets/*", web::asset);
            r.get("/static/*", web::posthogStatic);
            r.get("/api/*", ctx -> {
                throw ApiError.notFound("no route for GET " + ctx.path());
            });
            r.get("/*", web::page);

            r.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
            r.exception(AccountError.class, AccountEndpoint::render);
            r.exception(dev.sightline.cohort.Cohorts.NoSuchCohort.class, (e, ctx) -> ctx.status(404).json(
                    new ApiError.ErrorBody("invalid_request", "not_found", e.getMessage(), null)));
            r.exception(InvalidQuery.class, (e, ctx) ->
                    ctx.status(400).json(new ApiError.ErrorBody("validation_error", "invalid_input", e.getMessage(), e.attr())));
            r.exception(StorageException.class, (e, ctx) -> {
                log.error("storage failure on {}", ctx.path(), e);
                ctx.header("Retry-After", "5");
                ctx.status(503).json(new ApiError.ErrorBody("server_error", "storage_unavailable", "the store is unavailable; retry later", null));
            });
            r.exception(Exception.class, (e, ctx) -> {
                log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                ctx.status(500).json(new ApiError.ErrorBody("server_error", "internal_error", "an unexpected error occurred", null));
            });
            r.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(
                    new ApiError.ErrorBody("invalid_request", e.getStatus() == 404 ? "not_found" : "http_" + e.getStatus(),
                            e.getStatus() == 404 ? "no route for " + ctx.method() + " " + ctx.path() : e.getMessage(), null)));
        });
    }

    /**
     * An {@link Error} in a handler (a stack overflow, the heap running out): Javalin's default
     * answers a bare 500; this one logs it and names it in the usual JSON error body, so that a
     * client, or a test, can tell what happened.
     */
    private static void fatal(jakarta.servlet.http.HttpServletResponse res, Error error) {
        log.error("fatal error while serving a request", error);
        res.setStatus(500);
        if (res.isCommitted()) return;
        try {
            res.setContentType("application/json");
            res.getOutputStream().write(JsonErrorHandler.body(500, "the server failed with " + error.getClass().getSimpleName() + "; retry later"));
        } catch (java.io.IOException | RuntimeException ignored) {
            // the status is set; the body is a courtesy
        }
    }

    private static boolean sdkPath(String path) {
        for (String p : CAPTURE_PATHS) if (path.equals(p) || path.startsWith(p + "/")) return true;
        return path.startsWith("/batch") || path.startsWith("/flags") || path.startsWith("/decide") || path.startsWith("/array/")
                || path.startsWith("/static/");
    }

    /** Capture and flags are called from any site's pages: mirror the origin and headers, as PostHog does. */
    private static void cors(Context ctx) {
        String origin = Optional.ofNullable(ctx.header("Origin")).orElse("*");
        ctx.header("Access-Control-Allow-Origin", origin);
        if (!origin.equals("*")) {
            ctx.header("Access-Control-Allow-Credentials", "true");
            ctx.header("Vary", "Origin");
        }
        ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        String requested = ctx.header("Access-Control-Request-Headers");
        ctx.header("Access-Control-Allow-Headers", requested != null ? requested : "*");
        ctx.header("Access-Control-Max-Age", "86400");
    }

    public HttpServer start(String host, int port) {
        app.start(host, port);
        firstRequest(host);
        return this;
    }

    /**
     * One request to ourselves before any client's. Javalin 7 sets part of its servlet up on the
     * first request, through a lazy value that is not safe for threads (kotlin's
     * {@code LazyThreadSafetyMode.NONE}): requests arriving together at a fresh server, as SDKs
     * flushing at once do, can get a 500 from a NullPointerException inside it. IdentityStormTest
     * met it once in a full test run; too rare to provoke on purpose in a test of its own.
     */
    private void firstRequest(String host) {
        String to = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        // a bare socket: the JDK's HTTP client would add half a second of class loading to start-up
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(to, app.port()), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /_health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // the first byte of the answer: the request has been through Javalin's set-up
            socket.getInputStream().read();
        } catch (java.io.IOException e) {
            // not fatal: the set-up then happens on a client's first request, as it would anyway
            log.warn("the server's first request to itself failed: {}", e.toString());
        }
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
