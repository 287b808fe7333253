package dev.sightline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.app.Config;
import dev.sightline.app.Sightline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** A real Sightline server in this JVM: a fresh data directory, a free port, known keys. */
public final class TestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final boolean ownsDir;
    private final String token;
    private final String personalKey;
    private final HttpClient http = HttpClient.newHttpClient();
    private Sightline server;

    private final java.util.function.UnaryOperator<Config> tweak;

    private TestServer(Path dataDir, boolean ownsDir, java.util.function.UnaryOperator<Config> tweak) {
        this.dataDir = dataDir;
        this.ownsDir = ownsDir;
        this.tweak = tweak;
        this.token = "phc_test" + UUID.randomUUID().toString().replace("-", "");
        this.personalKey = "phx_test" + UUID.randomUUID().toString().replace("-", "");
    }

    public static TestServer start() {
        try {
            return start(Files.createTempDirectory("sightline-test"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, false, c -> c);
    }

    /** A server whose configuration differs from the defaults, e.g. {@code c -> c.withDropBots(true)}. */
    public static TestServer start(java.util.function.UnaryOperator<Config> tweak) {
        try {
            return start(Files.createTempDirectory("sightline-test"), true, tweak);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestServer start(Path dataDir, boolean ownsDir) {
        return start(dataDir, ownsDir, c -> c);
    }

    private static TestServer start(Path dataDir, boolean ownsDir, java.util.function.UnaryOperator<Config> tweak) {
        TestServer t = new TestServer(dataDir, ownsDir, tweak);
        t.server = Sightline.start(t.config(), new PrintStream(PrintStream.nullOutputStream()));
        return t;
    }

    private Config config() {
        return tweak.apply(Config.defaults(dataDir).withHost("127.0.0.1").withPort(0)
                .withKeys(Optional.of(token), Optional.of(personalKey)));
    }

    public String baseUrl() { return "http://127.0.0.1:" + server.port(); }
    public String token() { return token; }
    public String personalKey() { return personalKey; }
    public long projectId() { return server.defaultProject().id(); }
    public Path dataDir() { return dataDir; }
    public Sightline sightline() { return server; }

    /** GET with the personal API key; fails the test on a non-2xx answer. */
    public JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> r = get(pathAndQuery);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + personalKey).GET().build());
    }

    public HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A JSON request with the personal API key: POST, PATCH or DELETE of the private API. */
    public HttpResponse<String> api(String method, String pathAndQuery, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).header("Authorization", "Bearer " + personalKey)
                .header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops and starts again on the same data directory (a clean restart). */
    public void restart() {
        server.close();
        server = Sightline.start(config(), new PrintStream(PrintStream.nullOutputStream()));
    }

    @Override
    public void close() {
        server.close();
        http.close();
        if (ownsDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
