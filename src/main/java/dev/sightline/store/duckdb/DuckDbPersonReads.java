package dev.sightline.store.duckdb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.PropertyFilter;
import dev.sightline.store.EventCursor;
import dev.sightline.store.MergeView;
import dev.sightline.store.PersonQuery;
import dev.sightline.store.PersonReads;
import dev.sightline.store.PersonView;
import dev.sightline.store.StoredEvent;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/** Persons, merge history and timelines read from DuckDB, each call on a connection of its own. */
public final class DuckDbPersonReads implements PersonReads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERSON_COLUMNS = "p.uuid, p.properties, p.is_identified, epoch_us(p.created_at) AS created_us, p.version";

    private final Database db;
    private final DuckDbTimeline timeline;

    public DuckDbPersonReads(Database db) {
        this(db, TimelineSpan.FIRST_STEP_EVENTS);
    }

    /** Tests make the timeline's first step small, so that a page takes many steps. */
    DuckDbPersonReads(Database db, long firstStepEvents) {
        this.db = db;
        this.timeline = new DuckDbTimeline(firstStepEvents);
    }

    @Override
    public boolean hasIdentifiedPersons(long projectId) {
        return Statements.rows(db, "SELECT EXISTS (SELECT 1 FROM persons WHERE project_id = ? AND is_identified)", rs -> rs.getBoolean(1), projectId)
                .getFirst();
    }


    @Override
    public List<PersonView> list(long projectId, PersonQuery q) {
        StringBuilder sql = new StringBuilder("SELECT ").append(PERSON_COLUMNS).append(" FROM persons p WHERE p.project_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(projectId);
        q.search().ifPresent(term -> {
            String like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" AND (json_extract_string(p.properties, '/email') ILIKE ? ESCAPE '\\'")
                    .append(" OR json_extract_string(p.properties, '/name') ILIKE ? ESCAPE '\\'");
            params.add(like);
            params.add(like);
            // a uuid is compared as one, not by casting every person's uuid to text
            canonicalUuid(term).ifPresent(uuid -> {
                sql.append(" OR p.uuid = ?");
                params.add(uuid);
            });
            // uncorrelated: one look-up in the distinct id key, not a probe per person
            sql.append(" OR p.uuid IN (SELECT d.person_id FROM person_distinct_ids d WHERE d.project_id = ? AND d.distinct_id = ?))");
            params.add(projectId);
            params.add(term);
        });
        for (PropertyFilter f : q.properties()) {
            sql.append(" AND ").append(FilterSql.render(f, "p.properties", params));
        }
        for (PersonQuery.Membership m : q.cohorts()) {
            sql.append(m.negated() ? " AND p.uuid NOT IN (SELECT cq.id FROM (" : " AND p.uuid IN (SELECT cq.id FROM (").append(m.members().text()).append(") cq)");
            params.addAll(m.members().params());
        }
        String beyond = q.ascending() ? ">" : "<";
        q.after().ifPresent(pos -> {
            sql.append(" AND (p.created_at ").append(beyond).append(" make_timestamp(?) OR (p.created_at = make_timestamp(?) AND p.uuid ")
                    .append(beyond).append(" ?))");
            params.add(DuckDbEvents.micros(pos.createdAt()));
            params.add(DuckDbEvents.micros(pos.createdAt()));
            params.add(pos.uuid());
        });
        sql.append(q.ascending() ? " ORDER BY p.created_at, p.uuid LIMIT ?" : " ORDER BY p.created_at DESC, p.uuid DESC LIMIT ?");
        params.add(q.limit());
        return persons(projectId, sql.toString(), params, q.ascending());
    }

    @Override
    public Optional<PersonView> get(long projectId, UUID uuid) {
        return persons(projectId, "SELECT " + PERSON_COLUMNS + " FROM persons p WHERE p.project_id = ? AND p.uuid = ?",
                List.of(projectId, uuid)).stream().findFirst();
    }

    @Override
    public Optional<PersonView> byDistinctId(long projectId, String distinctId) {
        return persons(projectId, "SELECT " + PERSON_COLUMNS + " FROM persons p JOIN person_distinct_ids d "
                + "ON d.project_id = p.project_id AND d.person_id = p.uuid WHERE p.project_id = ? AND d.distinct_id = ?",
                List.of(projectId, distinctId)).stream().findFirst();
    }

    /** The lower-case canonical text of a uuid, as the search compared it before, or nothing. */
    private static Optional<UUID> canonicalUuid(String term) {
        String lower = term.toLowerCase(java.util.Locale.ROOT);
        if (lower.length() != 36) return Optional.empty();
        try {
            UUID uuid = UUID.fromString(lower);
            return uuid.toString().equals(lower) ? Optional.of(uuid) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<MergeView> merges(long projectId, UUID uuid) {
        String sql = "SELECT kind, source_person_id, target_person_id, distinct_ids, event_uuid, rule, epoch_us(created_at) "
                + "FROM person_merges WHERE project_id = ? AND (source_person_id = ? OR target_person_id = ?) ORDER BY created_at, id";
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setObject(2, uuid);
            ps.setObject(3, uuid);
            List<MergeView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MergeView(rs.getString(1), (UUID) rs.getObject(2), (UUID) rs.getObject(3),
                            JSON.readValue(rs.getString(4), new TypeReference<List<String>>() {}),
                            Optional.ofNullable((UUID) rs.getObject(5)), rs.getString(6), DuckDbEvents.instant(rs.getLong(7))));
                }
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /** One read transaction, so the page's steps see one snapshot. */
    @Override
    public List<StoredEvent> timeline(long projectId, List<String> distinctIds, boolean ascending, int limit, Optional<EventCursor> after) {
        try (DuckDBConnection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                return timeline.page(c, projectId, distinctIds, ascending, limit, after);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /**
     * The persons a query selects, with all their distinct ids, in one statement: the page in a
     * CTE, its distinct ids joined on. (A second statement with an IN list of the page's uuids
     * cost about as much as the page itself.) {@code sql} selects {@link #PERSON_COLUMNS}.
     */
    private List<PersonView> persons(long projectId, String sql, List<Object> params) {
        return persons(projectId, sql, params, false);
    }

    /** The page's persons with their distinct ids, in the page's order. */
    private List<PersonView> persons(long projectId, String sql, List<Object> params, boolean ascending) {
        String order = ascending ? "page.created_us, page.uuid" : "page.created_us DESC, page.uuid DESC";
        String joined = "WITH page AS (" + sql + ") SELECT page.*, d.distinct_id FROM page "
                + "LEFT JOIN person_distinct_ids d ON d.project_id = ? AND d.person_id = page.uuid "
                + "ORDER BY " + order + ", d.version, d.distinct_id";
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(joined)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            ps.setLong(params.size() + 1, projectId);
            List<PersonView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                UUID current = null;
                List<String> ids = new ArrayList<>();
                PersonView pending = null;
                while (rs.next()) {
                    UUID uuid = (UUID) rs.getObject(1);
                    if (!uuid.equals(current)) {
                        if (pending != null) out.add(withIds(pending, ids));
                        current = uuid;
                        ids = new ArrayList<>();
                        pending = new PersonView(uuid, rs.getString(2), rs.getBoolean(3), DuckDbEvents.instant(rs.getLong(4)), rs.getLong(5),
                                List.of());
                    }
                    String distinctId = rs.getString(6);
                    if (distinctId != null) ids.add(distinctId);
                }
                if (pending != null) out.add(withIds(pending, ids));
            }
            return out;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("Invalid Input Error")) {
                throw new dev.sightline.query.InvalidQuery("properties", e.getMessage());
            }
            throw new StorageException(e.getMessage(), e);
        }
    }

    private static PersonView withIds(PersonView p, List<String> ids) {
        return new PersonView(p.uuid(), p.properties(), p.identified(), p.createdAt(), p.version(), List.copyOf(ids));
    }
}
