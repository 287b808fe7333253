package dev.sightline.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web app and PostHog's snippet files, from the jar's {@code /web} (built from {@code web/} by
 * the Maven build). Hashed assets are cached for a year; {@code index.html} is never cached, so a
 * new version shows on the next load; posthog-js' files ({@code /static/array.js} and the bundles it
 * loads lazily) are cached for an hour and may be loaded from any site. Any other page path is the
 * app itself, whose router shows it.
 */
final class WebApp {
    private static final String ROOT = "/web";
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json",
            "woff2", "font/woff2", "map", "application/json", "txt", "text/plain; charset=utf-8");

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** What the app would ask first, answered in its page (see {@link AccountEndpoint#boot}). */
    private final java.util.function.Function<Context, Object> boot;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    WebApp(java.util.function.Function<Context, Object> boot, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.boot = boot;
        this.json = json;
    }

    /** {@code /assets/*}: content-hashed file names, so they never change under the same name. */
    void asset(Context ctx) {
        serve(ctx, ctx.path(), "public, max-age=31536000, immutable");
    }

    /**
     * {@code /static/*}: posthog-js, as PostHog's snippet and the SDK's lazy loads ask for it. The
     * SDK asks for its bundles under its version first ({@code /static/1.449.2/surveys.js}), and a
     * snippet may pin one ({@code /static/1/array.js}): a version segment gets the pinned build's file.
     */
    void posthogStatic(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        String path = ctx.path();
        java.util.regex.Matcher versioned = VERSIONED.matcher(path);
        serve(ctx, versioned.matches() ? "/static/" + versioned.group(1) : path, "public, max-age=3600");
    }

    private static final java.util.regex.Pattern VERSIONED = java.util.regex.Pattern.compile("^/static/[0-9][0-9.]*/([^/]+)$");

    /**
     * Any other GET: a top-level file of the build if there is one, else, for a browser asking for
     * a page, the app's index (its router shows the path); for anything else a JSON 404.
     */
    void page(Context ctx) {
        String path = ctx.path();
        String accept = ctx.header("Accept");
        boolean browser = accept != null && accept.contains("text/html");
        if (path.indexOf('/', 1) < 0 && path.contains(".") && read(path).isPresent()) {
            serve(ctx, path, "public, max-age=3600");
            return;
        }
        if (!browser) throw ApiError.notFound("no route for GET " + path);
        Optional<byte[]> index = read("/index.html");
        if (index.isEmpty()) {
            ctx.header("Cache-Control", "no-cache");
            ctx.status(503).contentType("text/plain; charset=utf-8")
                    .result("The web app is not in this build: build with ./sightline server (Node.js and npm are needed).");
            return;
        }
        // the page carries who is signed in: never kept by a cache, and framed by no other site
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Frame-Options", "DENY");
        Object answers;
        try {
            answers = boot.apply(ctx);
        } catch (RuntimeException e) {
            answers = null; // the page loads all the same, and the app asks for itself
        }
        ctx.contentType(TYPES.get("html")).result(answers == null ? index.get() : withBoot(index.get(), answers));
    }

    private static final byte[] ROOT_DIV = "<div id=\"root\"></div>".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * The index with the boot answers in a JSON script element before the app's root. JSON in HTML:
     * every {@code <}, {@code >} and {@code &} is escaped, so no value can close the element.
     */
    private byte[] withBoot(byte[] index, Object answers) {
        String html = new String(index, java.nio.charset.StandardCharsets.UTF_8);
        String root = new String(ROOT_DIV, java.nio.charset.StandardCharsets.UTF_8);
        int at = html.indexOf(root);
        if (at < 0) return index;
        String data;
        try {
            data = json.writeValueAsString(answers).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return index; // the app asks for itself
        }
        return (html.substring(0, at) + "<script id=\"sightline-boot\" type=\"application/json\">" + data + "</script>" + html.substring(at))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void serve(Context ctx, String path, String cacheControl) {
        if (path.contains("..")) throw ApiError.notFound("no file " + path);
        byte[] body = read(path).orElseThrow(() -> ApiError.notFound("no file " + path));
        String ext = path.substring(path.lastIndexOf('.') + 1);
        ctx.header("Cache-Control", cacheControl);
        ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream")).result(body);
    }

    /** Files are read from the jar once; the build is a few megabytes. */
    private Optional<byte[]> read(String path) {
        byte[] cached = files.get(path);
        if (cached != null) return Optional.of(cached);
        try (InputStream in = WebApp.class.getResourceAsStream(ROOT + path)) {
            if (in == null) return Optional.empty();
            // only hits are kept: probing paths must not grow the map
            byte[] body = in.readAllBytes();
            files.put(path, body);
            return Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
