package dev.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.store.duckdb.DatabaseCopy;
import dev.sightline.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ErasureWindowTest {

    @Test
    void theWindowIsTheNextUtcTimeOfDayStrictlyAfterNow() {
        LocalTime three = LocalTime.of(3, 0);
        assertThat(ErasureWindow.next(Instant.parse("2026-12-06T02:59:59Z"), three)).isEqualTo(Instant.parse("2026-12-06T03:00:00Z"));
        assertThat(ErasureWindow.next(Instant.parse("2026-12-06T03:00:00Z"), three)).isEqualTo(Instant.parse("2026-12-07T03:00:00Z"));
        assertThat(ErasureWindow.next(Instant.parse("2026-12-31T18:00:00Z"), three)).isEqualTo(Instant.parse("2027-01-01T03:00:00Z"));
    }

    @Test
    void theSettingIsATimeOfDayOrOff() {
        assertThat(ErasureWindow.parse(null)).contains(LocalTime.of(3, 0));
        assertThat(ErasureWindow.parse(" 22:30 ")).contains(LocalTime.of(22, 30));
        assertThat(ErasureWindow.parse("OFF")).isEmpty();
        assertThatThrownBy(() -> ErasureWindow.parse("25:00")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--erasure-time");
    }

    @Test
    void atTheWindowADeletedPersonsBytesLeaveTheFileWhileTheServerGoesOnServing() throws Exception {
        String gone = "gone-" + UUID.randomUUID();
        String kept = "kept-" + UUID.randomUUID();
        try (TestServer server = TestServer.start()) {
            String batch = "{\"api_key\":\"" + server.token() + "\",\"batch\":["
                    + "{\"event\":\"signed up\",\"distinct_id\":\"" + gone + "\",\"properties\":{\"$set\":{\"email\":\"" + gone + "@example.com\"}}},"
                    + "{\"event\":\"signed up\",\"distinct_id\":\"" + kept + "\"}]}";
            assertThat(server.post("/batch/", "application/json", batch.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            String api = "/api/projects/" + server.projectId();
            server.restart(); // checkpointed: both ids are in the file (the test's own control)
            assertThat(inFiles(server.dataDir(), gone)).isTrue();

            ErasureWindow window = new ErasureWindow(server.dataDir(), LocalTime.of(3, 0), Clock.systemUTC(), server::restart);
            assertThat(window.runIfPending()).as("nothing deleted, nothing to do").isFalse();

            JsonNode person = server.getJson(api + "/persons/?distinct_id=" + gone).get("results").get(0);
            assertThat(server.api("DELETE", api + "/persons/" + person.get("id").asText() + "/?delete_events=true", null).statusCode()).isEqualTo(204);
            assertThat(DatabaseCopy.erasurePending(server.dataDir())).isTrue();

            assertThat(window.runIfPending()).isTrue();
            assertThat(DatabaseCopy.erasurePending(server.dataDir())).isFalse();
            assertThat(inFiles(server.dataDir(), gone)).as("the deleted id in the data directory's files").isFalse();
            assertThat(inFiles(server.dataDir(), kept)).isTrue();
            // and the replaced server serves
            assertThat(server.getJson(api + "/persons/?distinct_id=" + kept).get("results")).hasSize(1);
            assertThat(server.getJson(api + "/persons/?distinct_id=" + gone).get("results")).isEmpty();
            assertThat(window.runIfPending()).isFalse();
        }
    }

    @Test
    void offStartsNothing() {
        assertThat(ErasureWindow.start(Path.of("unused"), "off", Clock.systemUTC(), () -> {
            throw new AssertionError("must not run");
        })).isEqualTo(Optional.empty());
    }

    private static boolean inFiles(Path dataDir, String text) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text)) return true;
            }
        }
        return false;
    }
}
