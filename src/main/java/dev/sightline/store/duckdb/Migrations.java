package dev.sightline.store.duckdb;

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

    private static final List<String> STEPS = List.of(
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
            // per-project query settings: the "internal and test users" filters (a JSON filter list)
            """
            CREATE TABLE project_settings (
                project_id BIGINT PRIMARY KEY,
                test_account_filters VARCHAR NOT NULL);
            """);

    static void apply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int current = 0;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                if (rs.next()) current = rs.getInt(1);
            }
            for (int v = current; v < STEPS.size(); v++) {
                s.execute("BEGIN TRANSACTION");
                try {
                    s.execute(STEPS.get(v));
                    s.execute("INSERT INTO schema_version VALUES (" + (v + 1) + ")");
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            }
        }
    }
}
