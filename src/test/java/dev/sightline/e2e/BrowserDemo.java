package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.account.Role;
import dev.sightline.app.Main;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * What the web app's browser tests share: where screenshots go, a data directory holding the
 * demo project (made by the real {@code sightline demo} command), and a signed-up user of it.
 */
final class BrowserDemo {
    /** Screenshots every browser test keeps, for people to look at. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots").toAbsolutePath();

    private BrowserDemo() {}

    /** A new data directory with the demo project's 20,000 events over the last {@code days} days; the screenshots' directory made. */
    static Path demoData(String prefix, int days) throws IOException {
        Path data = Files.createTempDirectory(prefix);
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(PrintStream.nullOutputStream()));
            assertThat(new CommandLine(new Main()).execute("demo", "--events", "20000", "--days", Integer.toString(days),
                    "--data-dir", data.toString())).isZero();
        } finally {
            System.setOut(out);
        }
        Files.createDirectories(SCREENSHOTS);
        return data;
    }

    static Project demoProject(TestServer server) {
        return server.sightline().meta().projects().stream().filter(p -> p.name().equals("Demo project")).findFirst().orElseThrow();
    }

    /** The demo project, with an admin of its organization who signs in with {@code email} and {@code password}. */
    static Project withUser(TestServer server, String email, String firstName, String password) {
        Project demo = demoProject(server);
        server.sightline().accounts().createUser(demo.organizationId(), email, firstName, password, Role.ADMIN);
        return demo;
    }
}
