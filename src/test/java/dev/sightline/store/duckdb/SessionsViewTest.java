package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.identity.PersonChanges;
import dev.sightline.store.EventRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/** The sessions view over real stored events: entry and exit, attribution of the entry, PostHog's bounce rule. */
class SessionsViewTest {
    final Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
    final List<EventRecord> events = new ArrayList<>();

    void event(String session, String name, int secondsAfter, String properties) {
        events.add(new EventRecord(1, UUID.randomUUID(), name, "visitor", t0.plusSeconds(secondsAfter), t0, properties,
                Optional.empty(), "{}", Optional.empty(), Optional.ofNullable(session), EventRecord.NO_GROUPS, Optional.empty()));
    }

    @Test
    void sessionsAggregateTheirEventsAndBounceByPostHogsRule() throws Exception {
        // a: two pageviews → not a bounce; entry attribution from the first event
        event("a", "$pageview", 0, "{\"$current_url\":\"https://x.io/landing?utm_source=news\",\"$pathname\":\"/landing\","
                + "\"utm_source\":\"news\",\"$referring_domain\":\"mail.example\",\"$channel_type\":\"Email\"}");
        event("a", "click", 5, "{}");
        event("a", "$pageview", 40, "{\"$current_url\":\"https://x.io/pricing\",\"$pathname\":\"/pricing\",\"utm_source\":\"later\"}");
        // b: one pageview, 3 s long → bounce
        event("b", "$pageview", 100, "{\"$current_url\":\"https://x.io/blog\",\"$pathname\":\"/blog\",\"$channel_type\":\"Organic Search\"}");
        event("b", "scroll", 103, "{}");
        // c: one pageview, but 30 s long → not a bounce
        event("c", "$pageview", 200, "{\"$current_url\":\"https://x.io/docs\"}");
        event("c", "read", 230, "{}");
        // d: no pageview/screen/autocapture at all → bounce undefined
        event("d", "api call", 300, "{}");
        // no session id: not a session
        event(null, "$pageview", 400, "{}");

        Path dir = Files.createTempDirectory("sessions-view");
        try (Database db = Database.open(dir)) {
            new DuckDbIngest(db).commit(events, PersonChanges.NONE);
            try (DuckDBConnection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT session_id, duration_seconds, pageview_count, entry_url, exit_url, entry_pathname, "
                         + "exit_pathname, entry_utm_source, entry_referring_domain, channel_type, is_bounce, event_count "
                         + "FROM sessions WHERE project_id = 1 ORDER BY session_id")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    Object bounce = rs.getObject(11);
                    rows.add(String.join("|", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            String.valueOf(bounce), rs.getString(12)));
                }
                assertThat(rows).containsExactly(
                        "a|40|2|https://x.io/landing?utm_source=news|https://x.io/pricing|/landing|/pricing|news|mail.example|Email|false|3",
                        "b|3|1|https://x.io/blog|https://x.io/blog|/blog|/blog|null|null|Organic Search|true|2",
                        "c|30|1|https://x.io/docs|https://x.io/docs|null|null|null|null|null|false|2",
                        "d|0|0|null|null|null|null|null|null|null|null|1");
            }
        }
    }
}
