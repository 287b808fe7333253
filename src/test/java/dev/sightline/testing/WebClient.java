package dev.sightline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** A browser as the private API sees it: a cookie jar, and the CSRF header a page of ours would send. */
public final class WebClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private boolean sendCsrf = true;
    private String origin;

    public WebClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).build();
    }

    /** A page of another site: no CSRF header, and that site's Origin. */
    public WebClient crossSite(String otherOrigin) {
        this.sendCsrf = false;
        this.origin = otherOrigin;
        return this;
    }

    public WebClient withCsrf(boolean send) {
        this.sendCsrf = send;
        return this;
    }

    public WebClient withOrigin(String origin) {
        this.origin = origin;
        return this;
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst();
    }

    /** Shares this browser's cookies with another client (the same browser, other settings). */
    public WebClient sameCookiesAs(WebClient other) {
        other.cookies.getCookieStore().getCookies().forEach(c -> cookies.getCookieStore().add(URI.create(base), c));
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A page of the web app, as the browser asks for it. */
    public HttpResponse<String> page(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html,application/xhtml+xml").GET());
    }

    public HttpResponse<String> send(String method, String path, String jsonBody) {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, body).header("Content-Type", "application/json");
        if (sendCsrf) cookie("sightline_csrf").ifPresent(t -> b.header("X-CSRFToken", t));
        return send(b);
    }

    public JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        if (origin != null) b.header("Origin", origin);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Signs in through the API, as the sign-in page does. */
    public JsonNode signIn(String email, String password) {
        HttpResponse<String> r = send("POST", "/api/login/", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (r.statusCode() != 200) throw new IllegalStateException("sign-in failed: " + r.statusCode() + " " + r.body());
        return json(r);
    }
}
