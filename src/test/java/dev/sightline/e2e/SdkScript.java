package dev.sightline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the {@code e2e/} node scripts (which drive an official PostHog SDK) against a test
 * server, and returns the JSON summary it prints. A script that fails, or outlives its time, fails
 * the test with everything it wrote.
 */
final class SdkScript {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path E2E_DIR = Path.of(System.getProperty("basedir", ".")).resolve("e2e").toAbsolutePath();

    private SdkScript() {}

    static JsonNode run(String script, TestServer server, Duration timeout) {
        return run(script, timeout, server.baseUrl(), server.token());
    }

    /** A script with arguments of its own (the web app's flows take the set-up code, the project, ...). */
    static JsonNode run(String script, Duration timeout, String... args) {
        if (!Files.isDirectory(E2E_DIR.resolve("node_modules"))) {
            throw new AssertionError("the SDKs are not installed in " + E2E_DIR + ": run scripts/test-deps (./check does)");
        }
        try {
            Path out = Files.createTempFile("sightline-e2e-", ".out");
            Path err = Files.createTempFile("sightline-e2e-", ".err");
            try {
                java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("node", script));
                command.addAll(java.util.List.of(args));
                Process process = new ProcessBuilder(command)
                        .directory(E2E_DIR.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!exited) {
                    // The browser script starts chromium: end the whole tree, not just node.
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                String stdout = Files.readString(out, StandardCharsets.UTF_8);
                String stderr = Files.readString(err, StandardCharsets.UTF_8);
                if (!exited) {
                    throw new AssertionError("node " + script + " did not finish within " + timeout + "\nstderr:\n" + stderr + "\nstdout:\n" + stdout);
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("node " + script + " exited " + process.exitValue() + "\nstderr:\n" + stderr + "\nstdout:\n" + stdout);
                }
                return JSON.readTree(stdout);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
