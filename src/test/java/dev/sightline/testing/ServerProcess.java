package dev.sightline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sightline running as a separate OS process, for tests that must kill it (crash recovery,
 * graceful shutdown) and for benchmarks that must not share a JVM with the load generator.
 *
 * <p>Uses only the JDK so that {@code bench/run} can compile it next to the benchmark against the
 * shaded jar. The child's output goes to {@link #log()} so a failing test can show it.
 */
public final class ServerProcess implements AutoCloseable {

    public static final String DEFAULT_TOKEN = "phc_serverprocess_token_0000000000000000000";
    public static final String DEFAULT_PERSONAL_KEY = "phx_serverprocess_personal_key_000000000000";
    private static final String MAIN_CLASS = "dev.sightline.app.Main";

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private final String token;
    private final String personalKey;

    private ServerProcess(Process process, int port, Path dataDir, Path log, String token, String personalKey) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.token = token;
        this.personalKey = personalKey;
    }

    /** Starts the server from the current JVM's classpath on {@code dataDir} and waits until it is ready. */
    public static ServerProcess start(Path dataDir) {
        return builder(dataDir).start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public static final class Builder {
        private final Path dataDir;
        private String classpath = System.getProperty("java.class.path");
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private int port;
        private String token = DEFAULT_TOKEN;
        private String personalKey = DEFAULT_PERSONAL_KEY;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> serverOptions = new ArrayList<>();
        private Duration readyTimeout = Duration.ofSeconds(60);
        private Path log;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** A classpath holding Sightline and its dependencies, e.g. {@code target/sightline.jar}. */
        public Builder classpath(String classpath) { this.classpath = classpath; return this; }
        public Builder javaHome(Path javaHome) { this.javaHome = javaHome; return this; }
        /** 0 (the default) picks a free port; the same data dir keeps its port only if you pass it. */
        public Builder port(int port) { this.port = port; return this; }
        public Builder token(String token) { this.token = token; return this; }
        public Builder personalKey(String personalKey) { this.personalKey = personalKey; return this; }
        public Builder jvmOption(String option) { this.jvmOptions.add(option); return this; }
        /** An extra option of {@code sightline server}, e.g. {@code --enrichment=false}. */
        public Builder serverOption(String option) { this.serverOptions.add(option); return this; }
        public Builder readyTimeout(Duration timeout) { this.readyTimeout = timeout; return this; }
        /** Where the child's stdout and stderr go; defaults to {@code server-<port>.log} beside the data dir. */
        public Builder log(Path log) { this.log = log; return this; }

        public ServerProcess start() {
            int chosenPort = port == 0 ? freePort() : port;
            Path logFile = log != null ? log
                    : dataDir.toAbsolutePath().getParent().resolve("server-" + chosenPort + ".log");
            List<String> command = new ArrayList<>();
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classpath, MAIN_CLASS,
                    "server", "--port", Integer.toString(chosenPort), "--data-dir", dataDir.toString()));
            command.addAll(serverOptions);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.environment().put("SIGHTLINE_PROJECT_TOKEN", token);
            pb.environment().put("SIGHTLINE_PERSONAL_API_KEY", personalKey);
            Process process;
            try {
                Files.createDirectories(dataDir);
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
            ServerProcess server = new ServerProcess(process, chosenPort, dataDir, logFile, token, personalKey);
            try {
                server.awaitReady(readyTimeout);
            } catch (RuntimeException e) {
                server.kill();
                throw e;
            }
            return server;
        }
    }

    /**
     * Waits until nothing in {@code /_health} is still "starting" (the user-agent parser builds in
     * the background for seconds): benchmarks measure a warm server, not its start-up.
     */
    public void awaitWarm(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/_health")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (!client.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"starting\"")) return;
            } catch (IOException e) {
                // retried below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("server still starting after " + timeout);
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/_readiness"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue()
                        + " before it was ready; log:\n" + logTail());
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("server not ready after " + timeout + "; log:\n" + logTail());
    }

    public String baseUrl() { return "http://127.0.0.1:" + port; }
    public int port() { return port; }
    public Path dataDir() { return dataDir; }
    public Path log() { return log; }
    public String token() { return token; }
    public String personalKey() { return personalKey; }
    public long pid() { return process.pid(); }
    public boolean isAlive() { return process.isAlive(); }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, then waits for the exit code (SIGKILL after {@code timeout}, reported as -1). */
    public int terminate(Duration timeout) {
        process.destroy();
        if (awaitExit(timeout)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        return -1;
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the server's output, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
