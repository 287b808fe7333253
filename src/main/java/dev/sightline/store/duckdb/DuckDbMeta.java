package dev.sightline.store.duckdb;

import dev.sightline.account.Secrets;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Organization;
import dev.sightline.store.PersonalApiKey;
import dev.sightline.store.Project;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBConnection;

/**
 * Organizations, projects and keys. Token, project and key look-ups sit on every request, so
 * they are cached; the tables are tiny and change only through this class, which keeps the
 * caches right on every change (a revoked key is refused on its very next request).
 */
public final class DuckDbMeta implements MetaStore {
    private static final String PROJECT_COLUMNS = "SELECT id, organization_id, name, api_token, timezone, created_at FROM projects";
    private static final String KEY_COLUMNS = "SELECT id, organization_id, label, mask_value, created_at, user_id, last_used_at FROM personal_api_keys";

    private final Database db;
    private final Map<String, Optional<Project>> byToken = new ConcurrentHashMap<>();
    private final Map<Long, Project> byId = new ConcurrentHashMap<>();
    private final Map<String, Optional<PersonalApiKey>> byKeyHash = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> anonymizeIps = new ConcurrentHashMap<>();
    private final Map<Long, Instant> lastTouched = new ConcurrentHashMap<>();

    public DuckDbMeta(Database db) {
        this.db = db;
        this.retention = new DuckDbRetention(db);
    }

    @Override
    public synchronized long createOrganization(String name) {
        long id = Statements.nextId(db, "organizations");
        Statements.update(db, "INSERT INTO organizations VALUES (?, ?, ?)", id, name, Timestamp.from(Instant.now()));
        return id;
    }

    @Override
    public List<Organization> organizations() {
        return organizations("SELECT id, name, created_at FROM organizations ORDER BY id");
    }

    @Override
    public Optional<Organization> organization(long id) {
        return organizations("SELECT id, name, created_at FROM organizations WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public synchronized void renameOrganization(long id, String name) {
        Statements.update(db, "UPDATE organizations SET name = ? WHERE id = ?", name, id);
    }

    @Override
    public synchronized Project createProject(long organizationId, String name, String token, String timezone) {
        if (organization(organizationId).isEmpty()) {
            throw new IllegalArgumentException("organization " + organizationId + " does not exist");
        }
        long id = Statements.nextId(db, "projects");
        Instant now = Instant.now();
        Statements.update(db, "INSERT INTO projects VALUES (?, ?, ?, ?, ?, ?)", id, organizationId, name, token, timezone, Timestamp.from(now));
        byToken.remove(token);
        return project(id).orElseThrow();
    }

    @Override
    public List<Project> projects() {
        return projects(PROJECT_COLUMNS + " ORDER BY id");
    }

    @Override
    public Optional<Project> project(long id) {
        Project cached = byId.get(id);
        if (cached != null) return Optional.of(cached);
        Optional<Project> found = projects(PROJECT_COLUMNS + " WHERE id = ?", id).stream().findFirst();
        // only hits are cached: probing ids must not grow the cache
        found.ifPresent(p -> byId.put(id, p));
        return found;
    }

    @Override
    public Optional<Project> projectByToken(String token) {
        Optional<Project> cached = byToken.get(token);
        if (cached != null) return cached;
        Optional<Project> found = projects(PROJECT_COLUMNS + " WHERE api_token = ?", token).stream().findFirst();
        // only hits are cached: garbage tokens must not grow the cache
        found.ifPresent(p -> byToken.put(token, found));
        return found;
    }

    @Override
    public synchronized Project updateProject(long id, String name, String timezone) {
        Statements.update(db, "UPDATE projects SET name = ?, timezone = ? WHERE id = ?", name, timezone, id);
        byId.remove(id);
        byToken.clear();
        return project(id).orElseThrow();
    }

    @Override
    public boolean anonymizeIps(long projectId) {
        return anonymizeIps.computeIfAbsent(projectId, id -> Statements.rows(db,
                "SELECT anonymize_ips FROM project_options WHERE project_id = ?", rs -> rs.getBoolean(1), id).stream().findFirst().orElse(false));
    }

    @Override
    public synchronized void setAnonymizeIps(long projectId, boolean anonymize) {
        Statements.update(db, "INSERT OR REPLACE INTO project_options VALUES (?, ?)", projectId, anonymize);
        anonymizeIps.put(projectId, anonymize);
    }

    @Override
    public synchronized PersonalApiKey createPersonalApiKey(long organizationId, String label, String plainKey, Optional<Long> userId) {
        if (organization(organizationId).isEmpty()) {
            throw new IllegalArgumentException("organization " + organizationId + " does not exist");
        }
        long id = Statements.nextId(db, "personal_api_keys");
        String hash = Secrets.hash(plainKey);
        String mask = plainKey.substring(0, Math.min(8, plainKey.length())) + "..." + plainKey.substring(Math.max(0, plainKey.length() - 4));
        Instant now = Instant.now();
        Statements.update(db, "INSERT INTO personal_api_keys (id, organization_id, label, secure_value, mask_value, created_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, organizationId, label, hash, mask, Timestamp.from(now), userId.orElse(null));
        byKeyHash.remove(hash);
        return new PersonalApiKey(id, organizationId, label, mask, now, userId, Optional.empty());
    }

    @Override
    public Optional<PersonalApiKey> personalApiKeyByPlainValue(String plainKey) {
        String h = Secrets.hash(plainKey);
        Optional<PersonalApiKey> cached = byKeyHash.get(h);
        if (cached != null) return cached;
        Optional<PersonalApiKey> found = keys(KEY_COLUMNS + " WHERE secure_value = ? AND revoked_at IS NULL", h).stream().findFirst();
        found.ifPresent(k -> byKeyHash.put(h, found));
        return found;
    }

    @Override
    public List<PersonalApiKey> personalApiKeys(long organizationId) {
        return keys(KEY_COLUMNS + " WHERE organization_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC", organizationId);
    }

    @Override
    public synchronized boolean revokePersonalApiKey(long organizationId, long id) {
        int changed = Statements.update(db, "UPDATE personal_api_keys SET revoked_at = ? WHERE id = ? AND organization_id = ? AND revoked_at IS NULL",
                Timestamp.from(Instant.now()), id, organizationId);
        // the cache is keyed by hash; dropping every entry of this id is simplest and rare
        byKeyHash.values().removeIf(k -> k.isPresent() && k.get().id() == id);
        return changed > 0;
    }

    @Override
    public void touchPersonalApiKey(long id, Instant at) {
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        Instant previous = lastTouched.put(id, minute);
        if (minute.equals(previous)) return;
        Statements.update(db, "UPDATE personal_api_keys SET last_used_at = ? WHERE id = ?", Timestamp.from(at), id);
        byKeyHash.replaceAll((h, k) -> k.isPresent() && k.get().id() == id
                ? Optional.of(new PersonalApiKey(id, k.get().organizationId(), k.get().label(), k.get().mask(), k.get().createdAt(),
                        k.get().userId(), Optional.of(at)))
                : k);
    }

    @Override
    public boolean isEmpty() {
        return projects().isEmpty();
    }



    private List<Organization> organizations(String sql, Object... params) {
        return Statements.rows(db, sql, rs -> new Organization(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()), params);
    }

    private List<Project> projects(String sql, Object... params) {
        return Statements.rows(db, sql, rs -> new Project(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant()), params);
    }

    private List<PersonalApiKey> keys(String sql, Object... params) {
        return Statements.rows(db, sql, rs -> {
            long user = rs.getLong(6);
            Optional<Long> userId = rs.wasNull() ? Optional.empty() : Optional.of(user);
            Timestamp used = rs.getTimestamp(7);
            return new PersonalApiKey(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                    userId, Optional.ofNullable(used).map(Timestamp::toInstant));
        }, params);
    }



    // ---- retention (see DuckDbRetention) ----

    private final DuckDbRetention retention;

    @Override
    public Optional<dev.sightline.store.Retention> retention(long projectId) {
        return retention.of(projectId);
    }

    @Override
    public void setRetention(long projectId, Optional<dev.sightline.store.Retention> settings) {
        retention.set(projectId, settings);
    }
}
