package dev.sightline.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sightline.cohort.Cohort;
import dev.sightline.cohort.CohortStore;
import dev.sightline.query.Sql;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * Cohorts in the embedded store: {@code cohorts} (definition and calculation state),
 * {@code cohort_static_people} (static members by distinct id) and {@code cohort_people} (the
 * membership computed at the last calculation). Every statement binds its project.
 */
public final class DuckDbCohorts implements CohortStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "SELECT id, project_id, name, description, filters, groups, is_static, deleted, epoch_us(created_at), "
            + "created_by, epoch_us(updated_at), version, count, epoch_us(last_calculation), is_calculating, errors_calculating, last_error FROM cohorts";

    /** The migration step that creates the tables. */
    static final String CREATE = """
            CREATE TABLE cohorts (
                project_id BIGINT NOT NULL,
                id BIGINT NOT NULL,
                name VARCHAR NOT NULL,
                description VARCHAR NOT NULL,
                filters VARCHAR NOT NULL,
                groups VARCHAR NOT NULL,
                is_static BOOLEAN NOT NULL,
                deleted BOOLEAN NOT NULL,
                created_at TIMESTAMP NOT NULL,
                created_by BIGINT,
                updated_at TIMESTAMP NOT NULL,
                version BIGINT NOT NULL,
                count BIGINT,
                last_calculation TIMESTAMP,
                is_calculating BOOLEAN NOT NULL,
                errors_calculating INTEGER NOT NULL,
                last_error VARCHAR,
                PRIMARY KEY (project_id, id));
            CREATE TABLE cohort_static_people (
                project_id BIGINT NOT NULL,
                cohort_id BIGINT NOT NULL,
                distinct_id VARCHAR NOT NULL,
                PRIMARY KEY (project_id, cohort_id, distinct_id));
            CREATE TABLE cohort_people (
                project_id BIGINT NOT NULL,
                cohort_id BIGINT NOT NULL,
                person_id UUID NOT NULL);
            """;

    private final Database db;

    public DuckDbCohorts(Database db) {
        this.db = db;
    }

    @Override
    public synchronized Cohort create(Cohort d) {
        // ids count across projects, so that an id names one cohort whatever the project
        long id = Statements.nextId(db, "cohorts");
        Statements.update(db, "INSERT INTO cohorts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, false, 0, NULL)", d.projectId(), id, d.name(),
                d.description(), d.filters().toString(), d.groups().toString(), d.isStatic(), d.deleted(), Timestamp.from(d.createdAt()),
                d.createdBy().orElse(null), Timestamp.from(d.updatedAt()), d.version());
        return get(d.projectId(), id).orElseThrow();
    }

    @Override
    public void update(Cohort c) {
        Statements.update(db, "UPDATE cohorts SET name = ?, description = ?, filters = ?, groups = ?, deleted = ?, updated_at = ?, version = ? "
                        + "WHERE project_id = ? AND id = ?", c.name(), c.description(), c.filters().toString(), c.groups().toString(), c.deleted(),
                Timestamp.from(c.updatedAt()), c.version(), c.projectId(), c.id());
    }

    @Override
    public Optional<Cohort> get(long projectId, long id) {
        return Statements.rows(db, COLUMNS + " WHERE project_id = ? AND id = ?", DuckDbCohorts::cohort, projectId, id).stream().findFirst();
    }

    @Override
    public List<Cohort> list(long projectId) {
        return Statements.rows(db, COLUMNS + " WHERE project_id = ? AND NOT deleted ORDER BY created_at DESC, id DESC", DuckDbCohorts::cohort, projectId);
    }

    @Override
    public List<Cohort> dynamicCohorts() {
        return Statements.rows(db, COLUMNS + " WHERE NOT deleted AND NOT is_static ORDER BY project_id, id", DuckDbCohorts::cohort);
    }

    @Override
    public void calculation(long projectId, long id, boolean calculating, Optional<Long> count, Optional<Instant> at, int errors, Optional<String> error) {
        Statements.update(db, "UPDATE cohorts SET is_calculating = ?, count = ?, last_calculation = ?, errors_calculating = ?, last_error = ? "
                        + "WHERE project_id = ? AND id = ?", calculating, count.orElse(null), at.map(Timestamp::from).orElse(null), errors,
                error.orElse(null), projectId, id);
    }

    @Override
    public long storeMembers(long projectId, long cohortId, Sql members) {
        try (DuckDBConnection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN TRANSACTION");
            }
            try {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM cohort_people WHERE project_id = ? AND cohort_id = ?")) {
                    del.setLong(1, projectId);
                    del.setLong(2, cohortId);
                    del.executeUpdate();
                }
                long n;
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO cohort_people SELECT ?, ?, mm.id FROM (" + members.text() + ") mm")) {
                    ins.setLong(1, projectId);
                    ins.setLong(2, cohortId);
                    List<Object> params = members.params();
                    for (int i = 0; i < params.size(); i++) ins.setObject(i + 3, params.get(i));
                    n = ins.executeUpdate();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                }
                return n;
            } catch (SQLException | RuntimeException e) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /**
     * Stages the values through the appender (a JDBC batch would manage a few thousand rows a
     * second), then finds their persons and adds all those persons' distinct ids in one statement.
     */
    @Override
    public synchronized List<Integer> addStaticMembers(long projectId, long cohortId, Identifier kind, List<String> values) {
        String match = switch (kind) {
            case DISTINCT_ID -> "SELECT sv.i, d.person_id FROM cohort_stage sv JOIN person_distinct_ids d ON d.project_id = ? AND d.distinct_id = sv.v";
            case PERSON_ID -> "SELECT sv.i, p.uuid AS person_id FROM cohort_stage sv JOIN persons p ON p.project_id = ? AND p.uuid = TRY_CAST(sv.v AS UUID)";
            case EMAIL -> "SELECT sv.i, p.uuid AS person_id FROM cohort_stage sv JOIN persons p ON p.project_id = ? "
                    + "AND lower(json_extract_string(p.properties, '/email')) = lower(sv.v)";
        };
        try (DuckDBConnection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE IF NOT EXISTS cohort_stage (i INTEGER NOT NULL, v VARCHAR NOT NULL)");
                s.execute("DELETE FROM cohort_stage");
            }
            try (var a = c.createAppender("temp", "main", "cohort_stage")) {
                for (int i = 0; i < values.size(); i++) a.beginRow().append(i).append(values.get(i)).endRow();
            }
            try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE cohort_matched AS " + match)) {
                ps.setLong(1, projectId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO cohort_static_people SELECT DISTINCT ?, ?, d2.distinct_id "
                    + "FROM cohort_matched m JOIN person_distinct_ids d2 ON d2.project_id = ? AND d2.person_id = m.person_id")) {
                ps.setLong(1, projectId);
                ps.setLong(2, cohortId);
                ps.setLong(3, projectId);
                ps.executeUpdate();
            }
            List<Integer> missed = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT i FROM cohort_stage WHERE i NOT IN (SELECT i FROM cohort_matched) ORDER BY i")) {
                while (rs.next()) missed.add(rs.getInt(1));
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE cohort_stage");
                s.execute("DROP TABLE cohort_matched");
            }
            return missed;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    private static Cohort cohort(ResultSet rs) throws SQLException {
        return new Cohort(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), tree(rs.getString(5)), tree(rs.getString(6)),
                rs.getBoolean(7), rs.getBoolean(8), DuckDbEvents.instant(rs.getLong(9)), Optional.ofNullable((Long) rs.getObject(10)),
                DuckDbEvents.instant(rs.getLong(11)), rs.getLong(12), Optional.ofNullable((Long) rs.getObject(13)),
                rs.getObject(14) == null ? Optional.empty() : Optional.of(DuckDbEvents.instant(rs.getLong(14))), rs.getBoolean(15), rs.getInt(16),
                Optional.ofNullable(rs.getString(17)));
    }

    private static JsonNode tree(String json) {
        try {
            return json == null ? NullNode.getInstance() : JSON.readTree(json);
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }
}
