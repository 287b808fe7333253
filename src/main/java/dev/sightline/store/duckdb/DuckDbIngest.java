package dev.sightline.store.duckdb;

import dev.sightline.billing.UsageTally;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PersonStore;
import dev.sightline.store.EnrichmentColumns;
import dev.sightline.store.EventRecord;
import dev.sightline.store.EventSink;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The writing side of the embedded store: one connection, owned by the pipeline's writer thread.
 * A batch's events go in through the Appender, its person changes through staging tables and its
 * metered counts into the usage counters, and all commit together or not at all.
 */
public final class DuckDbIngest implements EventSink {
    private final Database db;
    private final DuckDBConnection writer;
    private final DuckDbPersons persons;
    private final DuckDbEvents reads;
    private final SessionSpans sessions;
    private final DuckDbUsage.Writer usage;
    /** Time spent writing and folding usage counters (for measuring what metering costs). */
    private final java.util.concurrent.atomic.LongAdder usageNanos = new java.util.concurrent.atomic.LongAdder();

    public DuckDbIngest(Database db) {
        this.db = db;
        this.writer = db.connect();
        try {
            writer.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
        this.persons = new DuckDbPersons(writer);
        this.reads = new DuckDbEvents(db);
        try {
            this.materialized = MaterializedProperties.load(writer);
            this.fromStage = materialized.isEmpty() ? null : stageForMaterialized();
            this.sessions = new SessionSpans(db, writer);
            this.usage = new DuckDbUsage.Writer(writer);
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /** The stored columns an event record fills, in table order; materialized columns follow them. */
    private static final String RECORD_COLUMNS = "project_id, uuid, event, distinct_id, timestamp, created_at, properties, person_id, "
            + "person_properties, person_mode, session_id, group_0, group_1, group_2, group_3, group_4, usage_class, "
            + String.join(", ", EnrichmentColumns.COLUMNS.values());

    /** Key → column of the materialized properties, read once: they change only while no server runs. */
    private final Map<String, String> materialized;
    /** With materialized properties: the statement that moves the staged records into events, filling those columns. */
    private final String fromStage;

    /**
     * Records are appended to a staging table of the record columns, then inserted with each
     * materialized column computed by the same function the column was filled with.
     */
    private String stageForMaterialized() throws SQLException {
        try (java.sql.Statement s = writer.createStatement()) {
            s.execute("CREATE TEMP TABLE stage_events AS SELECT " + RECORD_COLUMNS + " FROM events LIMIT 0");
        }
        writer.commit();
        StringBuilder columns = new StringBuilder(RECORD_COLUMNS);
        StringBuilder values = new StringBuilder(RECORD_COLUMNS);
        for (var m : materialized.entrySet()) {
            columns.append(", ").append(MaterializedProperties.checked(m.getValue()));
            // a key materialized before enrichment had columns of its own: its text is in that column now
            String enriched = EnrichmentColumns.COLUMNS.get(m.getKey());
            values.append(enriched != null ? ", " + enriched : ", json_extract_string(properties, ?)");
        }
        return "INSERT INTO events (" + columns + ") SELECT " + values + " FROM stage_events";
    }

    @Override
    public PersonStore persons() {
        return persons;
    }

    private void moveStaged() throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement(fromStage); java.sql.Statement s = writer.createStatement()) {
            int i = 1;
            for (String key : materialized.keySet()) {
                if (!EnrichmentColumns.COLUMNS.containsKey(key)) insert.setString(i++, JsonPath.pointer(key));
            }
            insert.executeUpdate();
            s.execute("DELETE FROM stage_events");
        }
    }

    @Override
    public void commit(List<EventRecord> events, PersonChanges changes, UsageTally tally) {
        int parts = 0;
        int usageRows = 0;
        try {
            begin();
            if (!events.isEmpty()) {
                // with materialized properties, the records are staged and moved with those columns filled
                try (DuckDBAppender a = fromStage == null ? writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")
                        : writer.createAppender("temp", "main", "stage_events")) {
                    for (EventRecord e : events) append(a, e);
                    a.flush();
                }
                if (fromStage != null) moveStaged();
                parts = sessions.append(events);
                WebSessions.append(writer, events);
            }
            persons.write(changes);
            long t0 = System.nanoTime();
            usageRows = usage.append(tally);
            usageNanos.add(System.nanoTime() - t0);
            writer.commit();
        } catch (SQLException | RuntimeException | Error e) {
            // an Error too (the heap running out mid-append): the rows appended so far must not
            // ride along with the next batch's commit
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            persons.rolledBack();
            if (e instanceof Error error) throw error;
            throw e instanceof StorageException se ? se
                    : new StorageException("committing " + events.size() + " events failed: " + e.getMessage(), e);
        }
        sessions.committed(parts);
        long t0 = System.nanoTime();
        usage.committed(usageRows);
        usageNanos.add(System.nanoTime() - t0);
        Set<Long> projects = new HashSet<>(changes.projectIds());
        for (EventRecord e : events) projects.add(e.projectId());
        projects.forEach(db::changed);
    }

    /**
     * Opens the batch's transaction with a statement. The driver begins a transaction (autocommit
     * off) only when a statement runs; an Appender flushed first would commit its rows on its own,
     * so that a crash between the two could keep a batch's events without its person changes or
     * usage counts (seen under SIGKILL: UsageCrashTest).
     */
    private void begin() throws SQLException {
        try (java.sql.Statement s = writer.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    /** Nanoseconds spent appending and folding usage counters since this writer started. */
    public long usageWriteNanos() {
        return usageNanos.sum();
    }

    /** The session spans this writer keeps: tests fold and wait for folds through it. */
    SessionSpans sessionSpans() {
        return sessions;
    }

    @Override
    public void deletePerson(long projectId, UUID person, List<String> distinctIds, boolean withEvents) {
        delete(projectId, java.util.Optional.of(person), distinctIds, withEvents);
    }

    @Override
    public long deleteDistinctIds(long projectId, List<String> distinctIds, boolean withEvents) {
        return delete(projectId, java.util.Optional.empty(), distinctIds, withEvents);
    }

    @Override
    public Expired deleteOlderThan(long projectId, java.time.Instant cutoff, boolean withPersons) {
        sessions.changing().lock();
        try {
            writer.commit();
            sessions.beforeDeletingBefore(projectId, cutoff);
            long events = delete("events", "project_id = ? AND timestamp < ?", projectId,
                    java.time.LocalDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC));
            delete("web_page_views", "project_id = ? AND timestamp < ?", projectId,
                    java.time.LocalDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC));
            delete("web_custom_events", "project_id = ? AND timestamp < ?", projectId,
                    java.time.LocalDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC));
            sessions.recompute(projectId);
            long orphans = withPersons ? deleteOrphanPersons(projectId) : 0;
            writer.commit();
            if (events > 0 || orphans > 0) db.changed(projectId);
            return new Expired(events, orphans);
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            persons.rolledBack();
            throw new StorageException("deleting events before " + cutoff + " failed: " + e.getMessage(), e);
        } finally {
            sessions.changing().unlock();
        }
    }

    /** Persons none of whose distinct ids has an event left, with every row that names them. */
    private long deleteOrphanPersons(long projectId) throws SQLException {
        try (java.sql.Statement s = writer.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS orphan_persons (uuid UUID NOT NULL)");
            s.execute("DELETE FROM orphan_persons");
        }
        try (PreparedStatement ps = writer.prepareStatement("""
                INSERT INTO orphan_persons SELECT p.uuid FROM persons p WHERE p.project_id = ? AND NOT EXISTS (
                    SELECT 1 FROM person_distinct_ids d JOIN events e ON e.project_id = d.project_id AND e.distinct_id = d.distinct_id
                    WHERE d.project_id = p.project_id AND d.person_id = p.uuid)""")) {
            ps.setLong(1, projectId);
            if (ps.executeUpdate() == 0) return 0;
        }
        String orphan = "IN (SELECT uuid FROM orphan_persons)";
        delete("person_distinct_ids", "project_id = ? AND person_id " + orphan, projectId);
        delete("person_distinct_id_overrides", "project_id = ? AND person_id " + orphan, projectId);
        delete("person_merges", "project_id = ? AND (source_person_id " + orphan + " OR target_person_id " + orphan + ")", projectId);
        return delete("persons", "project_id = ? AND uuid " + orphan, projectId);
    }

    @Override
    public void erased() {
        db.eraseAtNextOpen();
    }

    private long delete(long projectId, java.util.Optional<UUID> person, List<String> distinctIds, boolean withEvents) {
        long removed;
        // no fold may change spans and parts while this transaction does; it begins after the lock is held
        sessions.changing().lock();
        try {
            writer.commit();
            removed = deleteLocked(projectId, person, distinctIds, withEvents);
        } catch (SQLException e) {
            throw new StorageException("deleting " + person.map(p -> "person " + p).orElse("distinct ids") + " failed: " + e.getMessage(), e);
        } finally {
            sessions.changing().unlock();
        }
        db.changed(projectId);
        return removed;
    }

    /**
     * Every row that names the person or its distinct ids: the person, its ids, overrides,
     * personless marks, the merges and splits it took part in or that moved its ids, and with
     * {@code withEvents} the ids' events. Without {@code withEvents} the events keep their distinct id.
     */
    private long deleteLocked(long projectId, java.util.Optional<UUID> person, List<String> distinctIds, boolean withEvents) {
        try {
            try (java.sql.Statement s = writer.createStatement()) {
                s.execute("CREATE TEMP TABLE IF NOT EXISTS erase_ids (d VARCHAR NOT NULL)");
                s.execute("DELETE FROM erase_ids");
            }
            try (var a = writer.createAppender("temp", "main", "erase_ids")) {
                for (String id : distinctIds) a.beginRow().append(id).endRow();
            }
            // a person that does not exist matches nothing: the zero uuid is no person's
            UUID uuid = person.orElse(new UUID(0, 0));
            String ids = "distinct_id IN (SELECT d FROM erase_ids)";
            long removed = delete("persons", "project_id = ? AND uuid = ?", projectId, uuid);
            removed += delete("person_distinct_ids", "project_id = ? AND (person_id = ? OR " + ids + ")", projectId, uuid);
            removed += delete("person_distinct_id_overrides", "project_id = ? AND (person_id = ? OR " + ids + ")", projectId, uuid);
            removed += delete("personless_distinct_ids", "project_id = ? AND " + ids, projectId);
            removed += delete("person_merges", "project_id = ? AND (source_person_id = ? OR target_person_id = ? OR "
                    + "list_has_any(from_json(distinct_ids, '[\"VARCHAR\"]'), (SELECT list(d) FROM erase_ids)))", projectId, uuid, uuid);
            if (withEvents) {
                for (String id : distinctIds) sessions.beforeDeleting(projectId, id);
                removed += delete("events", "project_id = ? AND " + ids, projectId);
                delete("web_page_views", "project_id = ? AND " + ids, projectId);
                delete("web_custom_events", "project_id = ? AND " + ids, projectId);
                sessions.recompute(projectId);
            }
            writer.commit();
            return removed;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            persons.rolledBack();
            if (e instanceof Error error) throw error;
            throw new StorageException("deleting " + person.map(p -> "person " + p).orElse("distinct ids " + distinctIds) + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** {@code table} is one of the constants above, never input. */
    private int delete(String table, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("DELETE FROM " + table + " WHERE " + where)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            return ps.executeUpdate();
        }
    }

    @Override
    public long compactOverrides() {
        List<Long> projects = new ArrayList<>();
        try (java.sql.Statement s = writer.createStatement()) {
            try (var rs = s.executeQuery("SELECT DISTINCT project_id FROM person_distinct_id_overrides")) {
                while (rs.next()) projects.add(rs.getLong(1));
            }
            // nothing to fold: don't scan the events
            if (projects.isEmpty()) {
                writer.commit();
                return 0;
            }
            long rewritten = s.executeUpdate("""
                    UPDATE events SET person_id = o.person_id FROM person_distinct_id_overrides o
                    WHERE events.project_id = o.project_id AND events.distinct_id = o.distinct_id
                      AND events.person_id IS DISTINCT FROM o.person_id""");
            s.execute("DELETE FROM person_distinct_id_overrides");
            writer.commit();
            // the answers stay the same, but queries may now skip the join with overrides (Dialect.Shape)
            projects.forEach(db::changed);
            return rewritten;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            if (e instanceof Error error) throw error;
            throw new StorageException("compacting person overrides failed: " + e.getMessage(), e);
        }
    }

    private static void append(DuckDBAppender a, EventRecord e) throws SQLException {
        a.beginRow();
        a.append(e.projectId());
        a.append(e.uuid());
        a.append(e.event());
        a.append(e.distinctId());
        a.appendEpochMicros(DuckDbEvents.micros(e.timestamp()));
        a.appendEpochMicros(DuckDbEvents.micros(e.capturedAt()));
        a.append(e.properties());
        if (e.personId().isPresent()) a.append(e.personId().get()); else a.appendNull();
        a.append(e.personProperties());
        if (e.personMode().isPresent()) a.append(e.personMode().get()); else a.appendNull();
        if (e.sessionId().isPresent()) a.append(e.sessionId().get()); else a.appendNull();
        for (int g = 0; g < 5; g++) {
            String key = g < e.groups().size() ? e.groups().get(g) : "";
            if (key.isEmpty()) a.appendNull(); else a.append(key);
        }
        if (e.usageClass().isPresent()) a.append(e.usageClass().get()); else a.appendNull();
        // an event stored as sent still has these in its JSON: its columns are read from there
        List<String> enrichment = e.enrichment() != null ? e.enrichment() : EnrichmentColumns.read(e.properties());
        for (String v : enrichment) {
            if (v == null) a.appendNull(); else a.append(v);
        }
        a.endRow();
    }

    @Override
    public List<ProjectEventId> recentEventIds(int limit) {
        return reads.recentEventIds(limit);
    }
}
