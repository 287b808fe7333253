package dev.sightline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.capture.CaptureDecoder;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.query.InvalidQuery;
import dev.sightline.query.QueryService;
import dev.sightline.store.EventStore;
import dev.sightline.store.MetaStore;
import dev.sightline.store.PersonReads;
import dev.sightline.store.duckdb.StorageException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every route of the server, declared in one place. Handlers parse, call one service, render. */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final List<String> CAPTURE_PATHS = List.of("/e", "/i/v0/e", "/capture", "/track", "/engage");

    private final Javalin app;

    public HttpServer(MetaStore meta, EventStore events, PersonReads personReads, Pipeline pipeline, PrometheusMeterRegistry metrics,
                      BooleanSupplier ready, java.util.function.Supplier<Map<String, String>> components, Clock clock,
                      QueryService queries) {
        ObjectMapper json = new ObjectMapper();
        Auth auth = new Auth(meta);
        CaptureEndpoint capture = new CaptureEndpoint(meta, pipeline, metrics, clock);
        EventsEndpoint eventsApi = new EventsEndpoint(auth, events, json);
        SdkConfigEndpoint sdk = new SdkConfigEndpoint(meta, json);
        PersonsEndpoint persons = new PersonsEndpoint(auth, personReads, pipeline, eventsApi, json, clock);
        QueryEndpoint query = new QueryEndpoint(auth, queries, json);

        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(json, true));
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = CaptureDecoder.BATCH_BODY_LIMIT + 1024L * 1024;
            config.router.ignoreTrailingSlashes = true;
            config.startup.showJavalinBanner = false;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.router.javaLangErrorHandler(HttpServer::fatal);
            var r = config.routes;

            r.before(HttpServer::cors);
            for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST)) {
                for (String path : CAPTURE_PATHS) r.addHttpHandler(method, path, ctx -> capture.handle(ctx, false));
                r.addHttpHandler(method, "/batch", ctx -> capture.handle(ctx, true));
                for (String path : List.of("/flags", "/decide")) r.addHttpHandler(method, path, sdk::flags);
            }
            r.get("/array/{token}/config", sdk::config);
            r.get("/array/{token}/config.js", sdk::configJs);
            r.options("/*", ctx -> ctx.status(204));

            r.get("/_health", ctx -> {
                Map<String, Object> health = new java.util.LinkedHashMap<>();
                health.put("status", "ok");
                health.putAll(components.get());
                ctx.json(health);
            });
            r.get("/_liveness", ctx -> ctx.json(Map.of("status", "ok")));
            r.get("/_readiness", ctx -> {
                boolean ok = ready.getAsBoolean();
                ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ready" : "starting"));
            });
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));

            r.get("/api/projects/{projectId}/events", eventsApi::list);
            r.get("/api/projects/{projectId}/events/{uuid}", eventsApi::get);
            r.post("/api/projects/{projectId}/query", query::run);
            r.patch("/api/projects/{projectId}", query::patchProject);

            r.get("/api/projects/{projectId}/persons", persons::list);
            r.get("/api/projects/{projectId}/persons/{uuid}", persons::get);
            r.patch("/api/projects/{projectId}/persons/{uuid}", persons::patch);
            r.delete("/api/projects/{projectId}/persons/{uuid}", persons::delete);
            r.post("/api/projects/{projectId}/persons/{uuid}/update_property", persons::updateProperty);
            r.post("/api/projects/{projectId}/persons/{uuid}/delete_property", persons::deleteProperty);
            r.get("/api/projects/{projectId}/persons/{uuid}/merges", persons::merges);
            r.post("/api/projects/{projectId}/persons/{uuid}/split", persons::split);
            r.get("/api/projects/{projectId}/persons/{uuid}/timeline", persons::timeline);

            r.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
            r.exception(InvalidQuery.class, (e, ctx) ->
                    ctx.status(400).json(new ApiError.ErrorBody("validation_error", "invalid_input", e.getMessage(), e.attr())));
            r.exception(StorageException.class, (e, ctx) -> {
                log.error("storage failure on {}", ctx.path(), e);
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
