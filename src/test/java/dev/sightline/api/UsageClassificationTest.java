package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every stored event is marked for metering: identified, anonymous, or not billed as an analytics event. */
class UsageClassificationTest {

    @Test
    void storedEventsCarryPersonModeAndUsageClass() throws Exception {
        try (TestServer server = TestServer.start()) {
            String batch = "{\"api_key\":\"" + server.token() + "\",\"batch\":["
                    + "{\"event\":\"$pageview\",\"distinct_id\":\"anon\",\"properties\":{\"$process_person_profile\":false}},"
                    + "{\"event\":\"signed up\",\"distinct_id\":\"known\",\"properties\":{}},"
                    + "{\"event\":\"$feature_flag_called\",\"distinct_id\":\"known\",\"properties\":{\"$feature_flag\":\"f\"}},"
                    + "{\"event\":\"$ai_generation\",\"distinct_id\":\"anon\",\"properties\":{\"$process_person_profile\":false}},"
                    + "{\"event\":\"survey sent\",\"distinct_id\":\"known\",\"properties\":{}}]}";
            assertThat(server.post("/batch/", "application/json", batch.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            server.sightline().close();
            Map<String, String> byEvent = new HashMap<>();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + server.dataDir().resolve("sightline.duckdb"));
                 ResultSet rs = c.createStatement().executeQuery("SELECT event, person_mode, usage_class FROM events")) {
                while (rs.next()) byEvent.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3));
            } finally {
                server.restart();
            }
            assertThat(byEvent).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "$pageview", "propertyless/anonymous",
                    "signed up", "full/identified",
                    "$feature_flag_called", "full/not_billed",
                    "$ai_generation", "propertyless/not_billed",
                    "survey sent", "full/not_billed"));
        }
    }
}
