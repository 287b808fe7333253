package dev.sightline.store.duckdb;

import dev.sightline.store.EnrichmentColumns;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as an ordered list of steps. Each step runs once, in one transaction with the
 * version bump. Append new steps; never edit an applied one. (Flyway has no DuckDB support.)
 */
final class Migrations {
    private Migrations() {}

    static final List<String> STEPS = List.of(
            """
            CREATE TABLE organizations (
                id BIGINT PRIMARY KEY,
                name VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL);
            CREATE TABLE projects (
                id BIGINT PRIMARY KEY,
                organization_id BIGINT NOT NULL,
                name VARCHAR NOT NULL,
                api_token VARCHAR NOT NULL UNIQUE,
                timezone VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL);
            CREATE TABLE personal_api_keys (
                id BIGINT PRIMARY KEY,
                organization_id BIGINT NOT NULL,
                label VARCHAR NOT NULL,
                secure_value VARCHAR NOT NULL UNIQUE,
                mask_value VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL);
            CREATE TABLE events (
                project_id BIGINT NOT NULL,
                uuid UUID NOT NULL,
                event VARCHAR NOT NULL,
                distinct_id VARCHAR NOT NULL,
                timestamp TIMESTAMP NOT NULL,
                created_at TIMESTAMP NOT NULL,
                properties VARCHAR NOT NULL,
                person_id UUID,
                person_properties VARCHAR,
                person_mode VARCHAR,
                session_id VARCHAR);
            """,
            // persons: the profile, which distinct ids point at it, and read-time overrides that let
            // every query count a merged-away person's past events as the surviving person at once
            """
            CREATE TABLE persons (
                project_id BIGINT NOT NULL,
                uuid UUID NOT NULL,
                properties VARCHAR NOT NULL,
                is_identified BOOLEAN NOT NULL,
                created_at TIMESTAMP NOT NULL,
                version BIGINT NOT NULL,
                PRIMARY KEY (project_id, uuid));
            CREATE TABLE person_distinct_ids (
                project_id BIGINT NOT NULL,
                distinct_id VARCHAR NOT NULL,
                person_id UUID NOT NULL,
                version BIGINT NOT NULL,
                PRIMARY KEY (project_id, distinct_id));
            CREATE TABLE person_distinct_id_overrides (
                project_id BIGINT NOT NULL,
                distinct_id VARCHAR NOT NULL,
                person_id UUID NOT NULL,
                version BIGINT NOT NULL,
                PRIMARY KEY (project_id, distinct_id));
            CREATE TABLE personless_distinct_ids (
                project_id BIGINT NOT NULL,
                distinct_id VARCHAR NOT NULL,
                is_merged BOOLEAN NOT NULL,
                PRIMARY KEY (project_id, distinct_id));
            CREATE TABLE person_merges (
                project_id BIGINT NOT NULL,
                id UUID NOT NULL,
                kind VARCHAR NOT NULL,
                source_person_id UUID NOT NULL,
                target_person_id UUID NOT NULL,
                distinct_ids VARCHAR NOT NULL,
                event_uuid UUID,
                rule VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL);
            CREATE TABLE group_type_mappings (
                project_id BIGINT NOT NULL,
                group_type VARCHAR NOT NULL,
                group_type_index INTEGER NOT NULL,
                PRIMARY KEY (project_id, group_type));
            CREATE TABLE groups (
                project_id BIGINT NOT NULL,
                group_type_index INTEGER NOT NULL,
                group_key VARCHAR NOT NULL,
                properties VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                version BIGINT NOT NULL,
                PRIMARY KEY (project_id, group_type_index, group_key));
            ALTER TABLE events ADD COLUMN group_0 VARCHAR;
            ALTER TABLE events ADD COLUMN group_1 VARCHAR;
            ALTER TABLE events ADD COLUMN group_2 VARCHAR;
            ALTER TABLE events ADD COLUMN group_3 VARCHAR;
            ALTER TABLE events ADD COLUMN group_4 VARCHAR;
            """,
            // how each event bills (identified / anonymous / not_billed), and the sessions view that
            // web analytics and insights read: one row per $session_id, with PostHog's bounce rule
            """
            ALTER TABLE events ADD COLUMN usage_class VARCHAR;
            CREATE VIEW sessions AS
            SELECT
                project_id,
                session_id,
                arg_min(distinct_id, timestamp) AS distinct_id,
                min(timestamp) AS start_timestamp,
                max(timestamp) AS end_timestamp,
                date_diff('second', min(timestamp), max(timestamp)) AS duration_seconds,
                count(DISTINCT uuid) FILTER (WHERE event = '$pageview') AS pageview_count,
                count(DISTINCT uuid) FILTER (WHERE event = '$screen') AS screen_count,
                count(DISTINCT uuid) FILTER (WHERE event = '$autocapture') AS autocapture_count,
                count(*) AS event_count,
                arg_min(json_extract_string(properties, '/$current_url'), timestamp)
                    FILTER (WHERE event IN ('$pageview', '$screen') AND json_extract_string(properties, '/$current_url') IS NOT NULL) AS entry_url,
                arg_max(json_extract_string(properties, '/$current_url'), timestamp)
                    FILTER (WHERE event IN ('$pageview', '$screen') AND json_extract_string(properties, '/$current_url') IS NOT NULL) AS exit_url,
                arg_min(json_extract_string(properties, '/$pathname'), timestamp)
                    FILTER (WHERE event IN ('$pageview', '$screen') AND json_extract_string(properties, '/$pathname') IS NOT NULL) AS entry_pathname,
                arg_max(json_extract_string(properties, '/$pathname'), timestamp)
                    FILTER (WHERE event IN ('$pageview', '$screen') AND json_extract_string(properties, '/$pathname') IS NOT NULL) AS exit_pathname,
                arg_min(json_extract_string(properties, '/$referrer'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/$referrer') IS NOT NULL) AS entry_referrer,
                arg_min(json_extract_string(properties, '/$referring_domain'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/$referring_domain') IS NOT NULL) AS entry_referring_domain,
                arg_min(json_extract_string(properties, '/utm_source'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/utm_source') IS NOT NULL) AS entry_utm_source,
                arg_min(json_extract_string(properties, '/utm_medium'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/utm_medium') IS NOT NULL) AS entry_utm_medium,
                arg_min(json_extract_string(properties, '/utm_campaign'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/utm_campaign') IS NOT NULL) AS entry_utm_campaign,
                arg_min(json_extract_string(properties, '/utm_content'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/utm_content') IS NOT NULL) AS entry_utm_content,
                arg_min(json_extract_string(properties, '/utm_term'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/utm_term') IS NOT NULL) AS entry_utm_term,
                arg_min(json_extract_string(properties, '/$channel_type'), timestamp)
                    FILTER (WHERE json_extract_string(properties, '/$channel_type') IS NOT NULL) AS channel_type,
                CASE
                    WHEN count(DISTINCT uuid) FILTER (WHERE event IN ('$pageview', '$screen', '$autocapture')) = 0 THEN NULL
                    ELSE NOT (count(DISTINCT uuid) FILTER (WHERE event IN ('$pageview', '$screen', '$autocapture')) > 1
                              OR date_diff('second', min(timestamp), max(timestamp)) >= 10)
                END AS is_bounce
            FROM events
            WHERE session_id IS NOT NULL
            GROUP BY project_id, session_id;
            """,
            // person tables without primary keys: DuckDB's upserts through ART indexes cost several
            // times a delete-and-append, and one writer thread keeps the keys unique by construction
            """
            CREATE TABLE persons_next AS SELECT * FROM persons;
            DROP TABLE persons;
            ALTER TABLE persons_next RENAME TO persons;
            CREATE TABLE person_distinct_ids_next AS SELECT * FROM person_distinct_ids;
            DROP TABLE person_distinct_ids;
            ALTER TABLE person_distinct_ids_next RENAME TO person_distinct_ids;
            CREATE TABLE person_distinct_id_overrides_next AS SELECT * FROM person_distinct_id_overrides;
            DROP TABLE person_distinct_id_overrides;
            ALTER TABLE person_distinct_id_overrides_next RENAME TO person_distinct_id_overrides;
            CREATE TABLE personless_distinct_ids_next AS SELECT * FROM personless_distinct_ids;
            DROP TABLE personless_distinct_ids;
            ALTER TABLE personless_distinct_ids_next RENAME TO personless_distinct_ids;
            CREATE TABLE groups_next AS SELECT * FROM groups;
            DROP TABLE groups;
            ALTER TABLE groups_next RENAME TO groups;
            """,
            // per-project query settings: the "internal and test users" filters (a JSON filter list)
            """
            CREATE TABLE project_settings (
                project_id BIGINT PRIMARY KEY,
                test_account_filters VARCHAR NOT NULL);
            """,
            // event properties copied into columns of their own (see MaterializedProperties)
            """
            CREATE TABLE materialized_properties (
                key VARCHAR PRIMARY KEY,
                column_name VARCHAR NOT NULL,
                materialized_at TIMESTAMP NOT NULL);
            """,
            // enrichment's text properties in columns of their own (see EnrichmentColumns); events
            // stored before keep them in their JSON as well, which the readers allow for
            enrichmentColumns(EnrichmentColumns.KEYS.subList(0, 13)),
            // each session's first and last event time, kept at ingest (see SessionSpans)
            SessionSpans.CREATE + SessionSpans.REBUILD,
            // people who sign in to the web app, their browser sessions (only a hash of each
            // session token), invitations, and keys that say who made them, when they were last
            // used and whether they were revoked
            """
            CREATE TABLE users (
                id BIGINT PRIMARY KEY,
                uuid UUID NOT NULL,
                organization_id BIGINT NOT NULL,
                email VARCHAR NOT NULL UNIQUE,
                first_name VARCHAR NOT NULL,
                password_hash VARCHAR NOT NULL,
                role VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL);
            CREATE TABLE browser_sessions (
                token_hash VARCHAR PRIMARY KEY,
                user_id BIGINT NOT NULL,
                csrf_token VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                expires_at TIMESTAMP NOT NULL);
            CREATE TABLE invites (
                id BIGINT PRIMARY KEY,
                organization_id BIGINT NOT NULL,
                token_hash VARCHAR NOT NULL UNIQUE,
                target_email VARCHAR NOT NULL,
                role VARCHAR NOT NULL,
                created_by BIGINT,
                created_at TIMESTAMP NOT NULL,
                expires_at TIMESTAMP NOT NULL,
                accepted_at TIMESTAMP);
            CREATE TABLE personal_api_keys_next (
                id BIGINT PRIMARY KEY,
                organization_id BIGINT NOT NULL,
                label VARCHAR NOT NULL,
                secure_value VARCHAR NOT NULL UNIQUE,
                mask_value VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                user_id BIGINT,
                last_used_at TIMESTAMP,
                revoked_at TIMESTAMP);
            INSERT INTO personal_api_keys_next (id, organization_id, label, secure_value, mask_value, created_at)
                SELECT id, organization_id, label, secure_value, mask_value, created_at FROM personal_api_keys;
            DROP TABLE personal_api_keys;
            ALTER TABLE personal_api_keys_next RENAME TO personal_api_keys;
            CREATE TABLE project_options (
                project_id BIGINT PRIMARY KEY,
                anonymize_ips BOOLEAN NOT NULL);
            """,
            // saved insights, dashboards and their tiles (JSON columns hold PostHog's shapes)
            """
            CREATE TABLE insights (
                project_id BIGINT NOT NULL,
                id BIGINT NOT NULL,
                short_id VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                description VARCHAR NOT NULL,
                tags VARCHAR NOT NULL,
                favorited BOOLEAN NOT NULL,
                query VARCHAR NOT NULL,
                created_by BIGINT NOT NULL,
                created_at TIMESTAMP NOT NULL,
                last_modified_by BIGINT NOT NULL,
                last_modified_at TIMESTAMP NOT NULL,
                last_refresh TIMESTAMP,
                result VARCHAR,
                deleted BOOLEAN NOT NULL,
                PRIMARY KEY (project_id, id));
            CREATE TABLE dashboards (
                project_id BIGINT NOT NULL,
                id BIGINT NOT NULL,
                name VARCHAR NOT NULL,
                description VARCHAR NOT NULL,
                pinned BOOLEAN NOT NULL,
                tags VARCHAR NOT NULL,
                filters VARCHAR NOT NULL,
                refresh_interval INTEGER NOT NULL,
                created_by BIGINT NOT NULL,
                created_at TIMESTAMP NOT NULL,
                deleted BOOLEAN NOT NULL,
                PRIMARY KEY (project_id, id));
            CREATE TABLE dashboard_tiles (
                project_id BIGINT NOT NULL,
                id BIGINT NOT NULL,
                dashboard_id BIGINT NOT NULL,
                insight_id BIGINT,
                text_body VARCHAR,
                layouts VARCHAR NOT NULL,
                color VARCHAR,
                PRIMARY KEY (project_id, id));
            """,
            // per-project data retention: events older than retention_days are deleted daily, and
            // with delete_persons the persons left without any event (see DuckDbRetention)
            """
            CREATE TABLE project_retention (
                project_id BIGINT PRIMARY KEY,
                retention_days INTEGER NOT NULL,
                delete_persons BOOLEAN NOT NULL);
            """,
            // usage metering (see DuckDbUsage): counters kept with each batch, filled here once from
            // the events stored before; monthly limits per project; organizations' own price tiers
            DuckDbUsage.CREATE + DuckDbUsage.FILL_FROM_EVENTS,
            // cohorts: definitions, static members by distinct id, computed membership (see DuckDbCohorts)
            DuckDbCohorts.CREATE,
            // web analytics: each session's entry and exit facts and counts, and a narrow row per
            // page view, kept at ingest and filled here from the events stored before (see WebSessions)
            WebSessions.CREATE + WebSessions.REBUILD);

    /** Adds the keys' columns and fills them from the stored events' JSON; a key added to the list later gets a step of its own. */
    private static String enrichmentColumns(List<String> keys) {
        StringBuilder step = new StringBuilder();
        List<String> fills = new java.util.ArrayList<>();
        for (String key : keys) {
            // column names and keys are our constants (letters, digits, '_' and a leading '$')
            String column = EnrichmentColumns.COLUMNS.get(key);
            step.append("ALTER TABLE events ADD COLUMN ").append(column).append(" VARCHAR;\n");
            fills.add(column + " = json_extract_string(properties, '/" + key + "')");
        }
        return step.append("UPDATE events SET ").append(String.join(", ", fills)).append(";\n").toString();
    }

    static void apply(Connection c) throws SQLException {
        apply(c, STEPS.size());
    }

    /** The first {@code steps} steps only: a test's way to make a store as an older version left it. */
    static void apply(Connection c, int steps) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int current = 0;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                if (rs.next()) current = rs.getInt(1);
            }
            for (int v = current; v < steps; v++) {
                s.execute("BEGIN TRANSACTION");
                try {
                    s.execute(STEPS.get(v));
                    s.execute("INSERT INTO schema_version VALUES (" + (v + 1) + ")");
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    // the driver closes a statement that failed: roll back on a fresh one, so that
                    // the error reported is the step's own rather than "Statement was closed"
                    try (Statement r = c.createStatement()) {
                        r.execute("ROLLBACK");
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                    }
                    throw e;
                }
            }
        }
    }
}
