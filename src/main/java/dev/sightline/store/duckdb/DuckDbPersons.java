package dev.sightline.store.duckdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.identity.DistinctIdMapping;
import dev.sightline.identity.Group;
import dev.sightline.identity.GroupType;
import dev.sightline.identity.Merge;
import dev.sightline.identity.Person;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PersonStore;
import dev.sightline.identity.PersonlessMark;
import dev.sightline.identity.PropertyMap;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The identity port on DuckDB, used only by the pipeline's writer thread and on its connection,
 * so that {@link #write} joins the transaction that appends the batch's events. Look-ups take
 * whole batches (one query per call); writes go through staging tables filled by the Appender and
 * merged with one statement per table (row-by-row upserts are ~50x slower in DuckDB).
 */
final class DuckDbPersons implements PersonStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DuckDBConnection c;

    DuckDbPersons(DuckDBConnection writer) {
        this.c = writer;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS stage_keys (k VARCHAR)");
            s.execute("CREATE TEMP TABLE IF NOT EXISTS stage_persons AS SELECT * FROM persons LIMIT 0");
            s.execute("CREATE TEMP TABLE IF NOT EXISTS stage_deleted (project_id BIGINT, uuid UUID)");
            s.execute("CREATE TEMP TABLE IF NOT EXISTS stage_distinct_ids AS SELECT * FROM person_distinct_ids LIMIT 0");
            s.execute("CREATE TEMP TABLE IF NOT EXISTS stage_groups AS SELECT * FROM groups LIMIT 0");
            s.execute("CREATE TEMP TABLE IF NOT EXISTS stage_group_keys (group_type_index INTEGER, group_key VARCHAR)");
        } catch (SQLException e) {
            throw new StorageException("cannot prepare person staging tables: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, DistinctIdMapping> mappings(long projectId, Collection<String> distinctIds) {
        Map<String, DistinctIdMapping> out = new HashMap<>();
        if (distinctIds.isEmpty()) return out;
        stageKeys(distinctIds);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT d.distinct_id, d.person_id, d.version FROM person_distinct_ids d JOIN stage_keys k ON d.distinct_id = k.k "
                        + "WHERE d.project_id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new DistinctIdMapping(projectId, rs.getString(1), (UUID) rs.getObject(2), rs.getLong(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public Map<UUID, Person> persons(long projectId, Collection<UUID> uuids) {
        Map<UUID, Person> out = new HashMap<>();
        if (uuids.isEmpty()) return out;
        stageKeys(uuids.stream().map(UUID::toString).toList());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT p.uuid, p.properties, p.is_identified, epoch_us(p.created_at), p.version FROM persons p "
                        + "JOIN stage_keys k ON p.uuid = k.k::UUID WHERE p.project_id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID uuid = (UUID) rs.getObject(1);
                    out.put(uuid, new Person(uuid, projectId, PropertyMap.copyOf(object(rs.getString(2))), rs.getBoolean(3),
                            DuckDbEvents.instant(rs.getLong(4)), rs.getLong(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public List<DistinctIdMapping> mappingsOf(long projectId, UUID personUuid) {
        List<DistinctIdMapping> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT distinct_id, version FROM person_distinct_ids WHERE project_id = ? AND person_id = ? ORDER BY distinct_id")) {
            ps.setLong(1, projectId);
            ps.setObject(2, personUuid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new DistinctIdMapping(projectId, rs.getString(1), personUuid, rs.getLong(2)));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public Set<String> personlessMarked(long projectId, Collection<String> distinctIds) {
        Set<String> out = new HashSet<>();
        if (distinctIds.isEmpty()) return out;
        stageKeys(distinctIds);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT p.distinct_id FROM personless_distinct_ids p JOIN stage_keys k ON p.distinct_id = k.k WHERE p.project_id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public void eachKnownDistinctId(long projectId, java.util.function.Consumer<String> each) {
        try (PreparedStatement ps = c.prepareStatement("SELECT distinct_id FROM person_distinct_ids WHERE project_id = ? "
                + "UNION ALL SELECT distinct_id FROM personless_distinct_ids WHERE project_id = ?")) {
            ps.setLong(1, projectId);
            ps.setLong(2, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) each.accept(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public List<GroupType> groupTypes(long projectId) {
        List<GroupType> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT group_type, group_type_index FROM group_type_mappings WHERE project_id = ? ORDER BY group_type_index")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new GroupType(projectId, rs.getString(1), rs.getInt(2)));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    @Override
    public Map<Group.Key, Group> groups(long projectId, Collection<Group.Key> keys) {
        Map<Group.Key, Group> out = new HashMap<>();
        if (keys.isEmpty()) return out;
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM stage_group_keys");
            try (DuckDBAppender a = c.createAppender("temp", "main", "stage_group_keys")) {
                for (Group.Key key : keys) {
                    if (key.projectId() == projectId) a.beginRow().append(key.typeIndex()).append(key.key()).endRow();
                }
            }
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT g.group_type_index, g.group_key, g.properties, epoch_us(g.created_at), g.version FROM groups g "
                        + "JOIN stage_group_keys k ON g.group_type_index = k.group_type_index AND g.group_key = k.group_key "
                        + "WHERE g.project_id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Group.Key key = new Group.Key(projectId, rs.getInt(1), rs.getString(2));
                    out.put(key, new Group(projectId, key.typeIndex(), key.key(), PropertyMap.copyOf(object(rs.getString(3))),
                            DuckDbEvents.instant(rs.getLong(4)), rs.getLong(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /** Runs inside the caller's open transaction (auto-commit off); never commits itself. */
    @Override
    public void write(PersonChanges ch) {
        if (ch.isEmpty()) return;
        try (Statement s = c.createStatement()) {
            if (!ch.personsUpserted().isEmpty()) {
                s.execute("DELETE FROM stage_persons");
                try (DuckDBAppender a = c.createAppender("temp", "main", "stage_persons")) {
                    for (Person p : ch.personsUpserted()) {
                        a.beginRow().append(p.projectId()).append(p.uuid()).append(p.properties().toObjectNode().toString())
                                .append(p.identified()).appendEpochMicros(DuckDbEvents.micros(p.createdAt())).append(p.version()).endRow();
                    }
                }
                // the staged rows are the newest state (one writer), so replace rather than upsert
                s.execute("DELETE FROM persons USING stage_persons s WHERE persons.project_id = s.project_id AND persons.uuid = s.uuid");
                s.execute("INSERT INTO persons SELECT * FROM stage_persons");
            }
            if (!ch.personsDeleted().isEmpty()) {
                s.execute("DELETE FROM stage_deleted");
                try (DuckDBAppender a = c.createAppender("temp", "main", "stage_deleted")) {
                    for (Person p : ch.personsDeleted()) a.beginRow().append(p.projectId()).append(p.uuid()).endRow();
                }
                s.execute("DELETE FROM persons USING stage_deleted s WHERE persons.project_id = s.project_id AND persons.uuid = s.uuid");
            }
            if (!ch.distinctIds().isEmpty()) {
                s.execute("DELETE FROM stage_distinct_ids");
                try (DuckDBAppender a = c.createAppender("temp", "main", "stage_distinct_ids")) {
                    for (DistinctIdMapping m : ch.distinctIds()) {
                        a.beginRow().append(m.projectId()).append(m.distinctId()).append(m.personUuid()).append(m.version()).endRow();
                    }
                }
                s.execute("DELETE FROM person_distinct_ids USING stage_distinct_ids s "
                        + "WHERE person_distinct_ids.project_id = s.project_id AND person_distinct_ids.distinct_id = s.distinct_id");
                s.execute("INSERT INTO person_distinct_ids SELECT * FROM stage_distinct_ids");
                if (!ch.overrides().isEmpty()) {
                    s.execute("DELETE FROM person_distinct_id_overrides USING stage_distinct_ids s WHERE s.version > 0 "
                            + "AND person_distinct_id_overrides.project_id = s.project_id AND person_distinct_id_overrides.distinct_id = s.distinct_id");
                    s.execute("INSERT INTO person_distinct_id_overrides SELECT * FROM stage_distinct_ids WHERE version > 0");
                }
            }
            if (!ch.personlessMarks().isEmpty()) {
                // append-only: an id's mark is merged when any of its rows says so. Nothing reads the
                // flag back (one writer orders merges; PostHog needs it against concurrent writers), and
                // setting it in place cost an update and an anti-join over every mark ever made, per batch
                try (DuckDBAppender a = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "personless_distinct_ids")) {
                    for (PersonlessMark m : ch.personlessMarks()) a.beginRow().append(m.projectId()).append(m.distinctId()).append(m.merged()).endRow();
                }
            }
            if (!ch.merges().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO person_merges VALUES (?, ?, ?, ?, ?, ?, ?, ?, make_timestamp(?))")) {
                    for (Merge m : ch.merges()) {
                        ps.setLong(1, m.projectId());
                        ps.setObject(2, UUID.randomUUID());
                        ps.setString(3, m.rule().name().toLowerCase());
                        ps.setObject(4, m.source());
                        ps.setObject(5, m.target());
                        ps.setString(6, JSON.writeValueAsString(m.distinctIdsMoved()));
                        ps.setObject(7, m.triggeringEvent().orElse(null));
                        ps.setString(8, m.rule().eventName());
                        ps.setLong(9, DuckDbEvents.micros(m.at()));
                        ps.executeUpdate();
                    }
                }
            }
            if (!ch.groupTypesAdded().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO group_type_mappings VALUES (?, ?, ?)")) {
                    for (GroupType t : ch.groupTypesAdded()) {
                        ps.setLong(1, t.projectId());
                        ps.setString(2, t.name());
                        ps.setInt(3, t.index());
                        ps.executeUpdate();
                    }
                }
            }
            if (!ch.groupsUpserted().isEmpty()) {
                s.execute("DELETE FROM stage_groups");
                try (DuckDBAppender a = c.createAppender("temp", "main", "stage_groups")) {
                    for (Group g : ch.groupsUpserted()) {
                        a.beginRow().append(g.projectId()).append(g.typeIndex()).append(g.key()).append(g.properties().toObjectNode().toString())
                                .appendEpochMicros(DuckDbEvents.micros(g.createdAt())).append(g.version()).endRow();
                    }
                }
                s.execute("DELETE FROM groups USING stage_groups s WHERE groups.project_id = s.project_id "
                        + "AND groups.group_type_index = s.group_type_index AND groups.group_key = s.group_key");
                s.execute("INSERT INTO groups SELECT * FROM stage_groups");
            }
        } catch (SQLException | IOException e) {
            throw new StorageException("writing person changes failed: " + e.getMessage(), e);
        }
    }

    private List<String> staged = List.of();

    /** After a rollback the staging table lost what was put in it. */
    void rolledBack() {
        staged = List.of();
    }

    /** Puts the look-up keys in the staging table; a batch asks twice about the same ids, so skip repeats. */
    private void stageKeys(Collection<String> keys) {
        List<String> wanted = List.copyOf(keys);
        if (wanted.equals(staged)) return;
        staged = List.of();
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM stage_keys");
            try (DuckDBAppender a = c.createAppender("temp", "main", "stage_keys")) {
                for (String k : wanted) a.beginRow().append(k).endRow();
            }
            staged = wanted;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new StorageException("stored person properties are not JSON", e);
        }
    }
}
