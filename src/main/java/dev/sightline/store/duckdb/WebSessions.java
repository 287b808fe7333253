package dev.sightline.store.duckdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.EnrichmentColumns;
import dev.sightline.store.EventRecord;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * What the web analytics dashboard reads, kept as events arrive so that no tile groups every
 * event by its session at query time (docs/web-analytics.md):
 * <ul>
 *   <li>{@code web_sessions}: one row per session with its start and end, the facts of its
 *       <em>entry event</em> (pathname, referring domain, channel, UTMs, device, place, language,
 *       viewport, distinct id and person), its exit pathname and its page view, screen and
 *       autocapture counts. Kept the way {@link SessionSpans} keeps spans: one part per session
 *       and batch in {@code web_session_parts}, appended with the batch, merged into the sessions
 *       by the same fold, in the same transaction, and recomputed from the events left when
 *       events are deleted.</li>
 *   <li>{@code web_page_views}: one narrow row per {@code $pageview} / {@code $screen} event
 *       (time, session key, pathname, distinct id, person) for the tables and counts by page,
 *       which would otherwise read every event's JSON.</li>
 *   <li>{@code web_custom_events}: one narrow row per custom event (a name without {@code $}:
 *       time, session key, name, distinct id, person) for the goals, which are matched to their
 *       sessions by the key: hashing each goal event's session id at query time cost more than
 *       the rest of the goals tile (docs/benchmarks.md).</li>
 * </ul>
 *
 * <p>The entry event is the session's first page view or screen, or its first event when it has
 * none; the exit pathname is its last page view's or screen's. Each part carries the sort keys of
 * its candidates ({@code entry_key}, {@code exit_key}: a rank that puts page events first, then
 * the time in microseconds), so that merging parts picks the same event as one pass over all the
 * session's events would, whatever batches they came in.
 */
final class WebSessions {
    private WebSessions() {}

    /** The entry event's facts: column name and type, in table order. Column names are our constants. */
    static final List<String[]> ENTRY = List.of(
            new String[]{"distinct_id", "VARCHAR"}, new String[]{"person_id", "UUID"},
            new String[]{"entry_pathname", "VARCHAR"}, new String[]{"referring_domain", "VARCHAR"},
            new String[]{"channel_type", "VARCHAR"}, new String[]{"utm_source", "VARCHAR"},
            new String[]{"utm_medium", "VARCHAR"}, new String[]{"utm_campaign", "VARCHAR"},
            new String[]{"utm_content", "VARCHAR"}, new String[]{"utm_term", "VARCHAR"},
            new String[]{"browser", "VARCHAR"}, new String[]{"os", "VARCHAR"}, new String[]{"device_type", "VARCHAR"},
            new String[]{"country_code", "VARCHAR"}, new String[]{"region", "VARCHAR"}, new String[]{"city", "VARCHAR"},
            new String[]{"language", "VARCHAR"}, new String[]{"timezone", "VARCHAR"}, new String[]{"viewport", "VARCHAR"});

    /** Event property → entry column, for the facts read from an event's JSON or enrichment columns. */
    private static final Map<String, String> JSON_FACTS = Map.of(
            "referring_domain", "$referring_domain", "channel_type", "$channel_type",
            "utm_source", "utm_source", "utm_medium", "utm_medium", "utm_campaign", "utm_campaign",
            "utm_content", "utm_content", "utm_term", "utm_term", "language", "$browser_language", "timezone", "$timezone");
    private static final Map<String, String> ENRICHED_FACTS = Map.of(
            "browser", "$browser", "os", "$os", "device_type", "$device_type", "country_code", "$geoip_country_code",
            "region", "$geoip_subdivision_1_name", "city", "$geoip_city_name");

    /** Ranks put page events before any other: 2^60, above any microsecond time to come. */
    private static final long RANK = 1L << 60;

    private static String entryColumns(String prefix) {
        StringBuilder b = new StringBuilder();
        for (String[] c : ENTRY) b.append(b.isEmpty() ? "" : ", ").append(prefix).append(c[0]);
        return b.toString();
    }

    private static String entryDefinitions() {
        StringBuilder b = new StringBuilder();
        for (String[] c : ENTRY) b.append("    ").append(c[0]).append(' ').append(c[1]).append(",\n");
        return b.toString();
    }

    /** The columns a part has, in order (a session row has {@code session_key} after {@code session_id} as well). */
    static final String PART_COLUMNS = "project_id, session_id, start_ts, end_ts, entry_key, exit_key, " + entryColumns("")
            + ", exit_pathname, pageviews, screens, autocaptures";

    /** The columns of a session row, in table order. */
    static final String COLUMNS = "project_id, session_id, session_key, start_ts, end_ts, entry_key, exit_key, " + entryColumns("")
            + ", exit_pathname, pageviews, screens, autocaptures";

    static final String CREATE = "CREATE TABLE web_sessions (\n    project_id BIGINT NOT NULL,\n    session_id VARCHAR NOT NULL,\n"
            + "    session_key UBIGINT NOT NULL,\n    start_ts TIMESTAMP NOT NULL,\n    end_ts TIMESTAMP NOT NULL,\n"
            + "    entry_key BIGINT NOT NULL,\n    exit_key BIGINT NOT NULL,\n" + entryDefinitions()
            + "    exit_pathname VARCHAR,\n    pageviews INTEGER NOT NULL,\n    screens INTEGER NOT NULL,\n    autocaptures INTEGER NOT NULL);\n"
            + "CREATE TABLE web_session_parts AS SELECT " + PART_COLUMNS + " FROM web_sessions LIMIT 0;\n"
            + """
            CREATE TABLE web_page_views (
                project_id BIGINT NOT NULL,
                timestamp TIMESTAMP NOT NULL,
                session_key UBIGINT,
                pathname VARCHAR,
                distinct_id VARCHAR NOT NULL,
                person_id UUID);
            CREATE TABLE web_custom_events (
                project_id BIGINT NOT NULL,
                timestamp TIMESTAMP NOT NULL,
                session_key UBIGINT,
                event VARCHAR NOT NULL,
                distinct_id VARCHAR NOT NULL,
                person_id UUID);
            """;

    /**
     * Parts (in {@link #PART_COLUMNS} order) merged into one session row each ({@link #COLUMNS}
     * order): the earliest entry, the latest exit, the sums of the counts.
     */
    static String merged(String parts) {
        StringBuilder entry = new StringBuilder();
        for (String[] c : ENTRY) entry.append(entry.isEmpty() ? "" : ", ").append(c[0]).append(" := ").append(c[0]);
        return "SELECT project_id, session_id, session_key, start_ts, end_ts, entry_key, exit_key, " + entryColumns("entry.")
                + ", exit_pathname, pageviews, screens, autocaptures FROM (\n"
                + "SELECT project_id, session_id, md5_number_lower(session_id) AS session_key, min(start_ts) AS start_ts, max(end_ts) AS end_ts,\n"
                + "    min(entry_key) AS entry_key, max(exit_key) AS exit_key, arg_min(struct_pack(" + entry + "), entry_key) AS entry,\n"
                + "    arg_max(exit_pathname, exit_key) AS exit_pathname, CAST(sum(pageviews) AS INTEGER) AS pageviews,\n"
                + "    CAST(sum(screens) AS INTEGER) AS screens, CAST(sum(autocaptures) AS INTEGER) AS autocaptures\n"
                + "FROM (" + parts + ") pt GROUP BY project_id, session_id)";
    }

    private static final String PAGE = "event IN ('$pageview', '$screen')";
    /** An event's page: the pathname of a page view, the screen name of a screen. */
    private static final String PATHNAME = "CASE WHEN event = '$pageview' THEN json_extract_string(properties, '/$pathname') "
            + "WHEN event = '$screen' THEN json_extract_string(properties, '/$screen_name') END";

    /** Each stored event that {@code where} selects as a part of its own (events without a session have none). */
    static String eventParts(String where) {
        StringBuilder facts = new StringBuilder();
        for (String[] c : ENTRY) {
            String name = c[0];
            String expr;
            if (name.equals("distinct_id") || name.equals("person_id")) expr = name;
            else if (name.equals("entry_pathname")) expr = "CASE WHEN " + PAGE + " THEN " + PATHNAME + " END";
            else if (name.equals("viewport")) expr = "json_extract_string(properties, '/$viewport_width') || 'x' || json_extract_string(properties, '/$viewport_height')";
            else if (JSON_FACTS.containsKey(name)) expr = "json_extract_string(properties, '/" + JSON_FACTS.get(name) + "')";
            else expr = EnrichmentColumns.COLUMNS.get(ENRICHED_FACTS.get(name));
            facts.append(expr).append(" AS ").append(name).append(", ");
        }
        return "SELECT project_id, session_id, timestamp AS start_ts, timestamp AS end_ts,\n"
                + "    CASE WHEN " + PAGE + " THEN 0 ELSE " + RANK + " END + epoch_us(timestamp) AS entry_key,\n"
                + "    CASE WHEN " + PAGE + " THEN " + RANK + " ELSE 0 END + epoch_us(timestamp) AS exit_key,\n    " + facts
                + PATHNAME + " AS exit_pathname, CAST(event = '$pageview' AS INTEGER) AS pageviews,\n"
                + "    CAST(event = '$screen' AS INTEGER) AS screens, CAST(event = '$autocapture' AS INTEGER) AS autocaptures\n"
                + "FROM events WHERE session_id IS NOT NULL AND " + where;
    }

    /** Page view rows from the stored events that {@code where} selects. */
    static String eventPageViews(String where) {
        return "SELECT project_id, timestamp, CASE WHEN session_id IS NOT NULL THEN md5_number_lower(session_id) END, " + PATHNAME
                + ", distinct_id, person_id FROM events WHERE " + PAGE + " AND " + where;
    }

    /** Custom event rows from the stored events that {@code where} selects. */
    static String eventCustomEvents(String where) {
        return "SELECT project_id, timestamp, CASE WHEN session_id IS NOT NULL THEN md5_number_lower(session_id) END, event, distinct_id, person_id"
                + " FROM events WHERE NOT starts_with(event, '$') AND " + where;
    }

    /** Whether an event is a custom one (PostHog's own events start with {@code $}). */
    static boolean custom(String event) {
        return !event.startsWith("$");
    }

    /** The migration step's fill: every stored event's sessions, page views and custom events, in start / time order. */
    static final String REBUILD = "INSERT INTO web_sessions " + merged(eventParts("TRUE")) + " ORDER BY start_ts;\n"
            + "INSERT INTO web_page_views " + eventPageViews("TRUE") + " ORDER BY timestamp;\n"
            + "INSERT INTO web_custom_events " + eventCustomEvents("TRUE") + " ORDER BY timestamp;\n";

    /**
     * A project's sessions, one row each ({@link #COLUMNS}): the rows whose key no part has as
     * they are, the others merged with their parts (see {@link SessionSpans#RELATION}).
     */
    static final String RELATION = "(SELECT " + COLUMNS + " FROM web_sessions ws WHERE ws.project_id = {project} AND ws.session_key NOT IN (\n"
            + "    SELECT md5_number_lower(wp.session_id) FROM web_session_parts wp WHERE wp.project_id = {project})\n"
            + "UNION ALL\n" + merged("SELECT " + PART_COLUMNS + " FROM web_sessions wm WHERE wm.project_id = {project} AND wm.session_key IN (\n"
            + "    SELECT md5_number_lower(wp.session_id) FROM web_session_parts wp WHERE wp.project_id = {project})\n"
            + "UNION ALL SELECT " + PART_COLUMNS + " FROM web_session_parts wq WHERE wq.project_id = {project}") + ")";

    /** A project's folded sessions alone: what {@link #RELATION} gives while no part waits, without merging. */
    static final String FOLDED = "(SELECT " + COLUMNS + " FROM web_sessions WHERE project_id = {project})";

    /** The ids of a project's waiting parts. */
    static final String PARTS = "(SELECT session_id FROM web_session_parts WHERE project_id = {project})";

    /** A project's custom events: {@code timestamp, session_key, event, distinct_id, person_id}. */
    static final String CUSTOM_EVENTS = "(SELECT timestamp, session_key, event, distinct_id, person_id FROM web_custom_events WHERE project_id = {project})";

    /** A project's page views: {@code timestamp, session_key, pathname, distinct_id, person_id}. */
    static final String PAGE_VIEWS = "(SELECT timestamp, session_key, pathname, distinct_id, person_id FROM web_page_views WHERE project_id = {project})";

    /** The fold's statements, on the fold's connection inside its transaction, before the span parts are deleted. */
    static final List<String> FOLD = List.of(
            "CREATE TEMP TABLE IF NOT EXISTS web_fold AS SELECT * FROM web_sessions LIMIT 0",
            "INSERT INTO web_fold " + merged("SELECT " + PART_COLUMNS + " FROM web_session_parts UNION ALL SELECT " + PART_COLUMNS
                    + " FROM web_sessions WHERE session_key IN (SELECT md5_number_lower(session_id) FROM web_session_parts)"),
            "DELETE FROM web_sessions WHERE session_key IN (SELECT session_key FROM web_fold)",
            "INSERT INTO web_sessions SELECT * FROM web_fold ORDER BY start_ts",
            "DELETE FROM web_session_parts",
            "DELETE FROM web_fold");

    /** After events were deleted: the sessions named in {@code span_recompute} computed again from the events left. */
    static final List<String> RECOMPUTE = List.of(
            "DELETE FROM web_session_parts WHERE project_id = ? AND session_id IN (SELECT session_id FROM span_recompute)",
            "DELETE FROM web_sessions WHERE project_id = ? AND session_id IN (SELECT session_id FROM span_recompute)",
            "INSERT INTO web_sessions " + merged(eventParts("project_id = ? AND session_id IN (SELECT session_id FROM span_recompute)")));

    private record Key(long projectId, String sessionId) {}

    /** One part being built: the batch's events of one session. */
    private static final class Part {
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE, entryKey = Long.MAX_VALUE, exitKey = Long.MIN_VALUE;
        EventRecord entry, exit;
        int pageviews, screens, autocaptures;
    }

    /** Appends the batch's session parts and page views, inside the caller's transaction. */
    static void append(DuckDBConnection writer, Iterable<EventRecord> events) throws SQLException {
        Map<Key, Part> parts = new HashMap<>();
        try (DuckDBAppender views = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "web_page_views");
             DuckDBAppender customs = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "web_custom_events")) {
            for (EventRecord e : events) {
                if (custom(e.event())) {
                    customs.beginRow();
                    customs.append(e.projectId());
                    customs.appendEpochMicros(DuckDbEvents.micros(e.timestamp()));
                    if (e.sessionId().isPresent()) customs.append(sessionKey(e.sessionId().get())); else customs.appendNull();
                    customs.append(e.event());
                    customs.append(e.distinctId());
                    if (e.personId().isPresent()) customs.append(e.personId().get()); else customs.appendNull();
                    customs.endRow();
                }
                boolean page = e.event().equals("$pageview") || e.event().equals("$screen");
                if (page) {
                    views.beginRow();
                    views.append(e.projectId());
                    views.appendEpochMicros(DuckDbEvents.micros(e.timestamp()));
                    if (e.sessionId().isPresent()) views.append(sessionKey(e.sessionId().get())); else views.appendNull();
                    appendText(views, pathname(e, properties(e)));
                    views.append(e.distinctId());
                    if (e.personId().isPresent()) views.append(e.personId().get()); else views.appendNull();
                    views.endRow();
                }
                if (e.sessionId().isEmpty()) continue;
                Part p = parts.computeIfAbsent(new Key(e.projectId(), e.sessionId().get()), k -> new Part());
                long t = DuckDbEvents.micros(e.timestamp());
                p.start = Math.min(p.start, t);
                p.end = Math.max(p.end, t);
                long entryKey = (page ? 0 : RANK) + t;
                long exitKey = (page ? RANK : 0) + t;
                if (entryKey < p.entryKey) {
                    p.entryKey = entryKey;
                    p.entry = e;
                }
                if (exitKey > p.exitKey) {
                    p.exitKey = exitKey;
                    p.exit = e;
                }
                switch (e.event()) {
                    case "$pageview" -> p.pageviews++;
                    case "$screen" -> p.screens++;
                    case "$autocapture" -> p.autocaptures++;
                    default -> { }
                }
            }
            views.flush();
            customs.flush();
        }
        if (parts.isEmpty()) return;
        try (DuckDBAppender a = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "web_session_parts")) {
            for (var entry : parts.entrySet()) {
                Part p = entry.getValue();
                a.beginRow();
                a.append(entry.getKey().projectId());
                a.append(entry.getKey().sessionId());
                a.appendEpochMicros(p.start);
                a.appendEpochMicros(p.end);
                a.append(p.entryKey);
                a.append(p.exitKey);
                Map<String, String> props = properties(p.entry);
                for (String[] c : ENTRY) appendFact(a, c[0], p.entry, props);
                appendText(a, pathname(p.exit, p.exit == p.entry ? props : properties(p.exit)));
                a.append(p.pageviews);
                a.append(p.screens);
                a.append(p.autocaptures);
                a.endRow();
            }
            a.flush();
        }
    }

    /** A session id's key as {@code md5_number_lower} gives it: the md5's last 8 bytes read little-endian (WebSessionsTest checks it against DuckDB). */
    static long sessionKey(String sessionId) {
        try {
            byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(sessionId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(md5, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void appendFact(DuckDBAppender a, String name, EventRecord e, Map<String, String> props) throws SQLException {
        switch (name) {
            case "distinct_id" -> a.append(e.distinctId());
            case "person_id" -> {
                if (e.personId().isPresent()) a.append(e.personId().get()); else a.appendNull();
            }
            case "entry_pathname" -> appendText(a, e.event().equals("$pageview") || e.event().equals("$screen") ? pathname(e, props) : null);
            case "viewport" -> {
                String w = text(props, "$viewport_width");
                String h = text(props, "$viewport_height");
                appendText(a, w == null || h == null ? null : w + "x" + h);
            }
            default -> {
                String key = JSON_FACTS.get(name);
                if (key != null) {
                    appendText(a, text(props, key));
                } else {
                    int i = EnrichmentColumns.index(ENRICHED_FACTS.get(name));
                    List<String> enriched = e.enrichment() != null ? e.enrichment() : EnrichmentColumns.read(e.properties());
                    appendText(a, enriched.get(i));
                }
            }
        }
    }

    private static void appendText(DuckDBAppender a, String v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v);
    }

    private static String pathname(EventRecord e, Map<String, String> props) {
        return switch (e.event()) {
            case "$pageview" -> text(props, "$pathname");
            case "$screen" -> text(props, "$screen_name");
            default -> null;
        };
    }

    /** A key's value as {@code json_extract_string} gives it (the stored JSON keeps every key the facts read). */
    private static String text(Map<String, String> props, String key) {
        return props.get(key);
    }

    /** The top-level keys the facts read. */
    private static final java.util.Set<String> WANTED = new java.util.HashSet<>(List.of(
            "$pathname", "$screen_name", "$viewport_width", "$viewport_height", "$referring_domain", "$channel_type",
            "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "$browser_language", "$timezone"));

    private static final JsonFactory JSON = new ObjectMapper().getFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The wanted keys' text values, read in one streaming pass over the top level of the event's
     * JSON: at ingest this runs for every page view, so it skips everything else unparsed.
     */
    private static Map<String, String> properties(EventRecord e) {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(e.properties())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return out;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!WANTED.contains(name)) {
                    p.skipChildren();
                } else if (t == JsonToken.VALUE_STRING) {
                    out.put(name, p.getText());
                } else if (t != JsonToken.VALUE_NULL) {
                    JsonNode v = MAPPER.readTree(p);
                    out.put(name, v.isValueNode() ? v.asText() : v.toString());
                }
            }
        } catch (java.io.IOException ex) {
            // stored events are JSON objects; a broken one simply has no facts
        }
        return out;
    }

}
