package dev.sightline.store.duckdb;

import dev.sightline.store.MetaStore;
import dev.sightline.store.PersonalApiKey;
import dev.sightline.store.Project;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBConnection;

/**
 * Organizations, projects and keys. Token, project and key look-ups sit on every request, so
 * they are cached; the tables are tiny and change only through this class.
 */
public final class DuckDbMeta implements MetaStore {
    private final Database db;
    private final Map<String, Optional<Project>> byToken = new ConcurrentHashMap<>();
    private final Map<Long, Project> byId = new ConcurrentHashMap<>();
    private final Map<String, Optional<PersonalApiKey>> byKeyHash = new ConcurrentHashMap<>();

    public DuckDbMeta(Database db) {
        this.db = db;
    }

    @Override
    public synchronized long createOrganization(String name) {
        long id = nextId("organizations");
        update("INSERT INTO organizations VALUES (?, ?, ?)", id, name, Timestamp.from(Instant.now()));
        return id;
    }

    @Override
    public synchronized Project createProject(long organizationId, String name, String token, String timezone) {
        long id = nextId("projects");
        Instant now = Instant.now();
        update("INSERT INTO projects VALUES (?, ?, ?, ?, ?, ?)", id, organizationId, name, token, timezone, Timestamp.from(now));
        byToken.remove(token);
        return project(id).orElseThrow();
    }

    @Override
    public List<Project> projects() {
        return projects("SELECT id, organization_id, name, api_token, timezone, created_at FROM projects ORDER BY id");
    }

    @Override
    public Optional<Project> project(long id) {
        Project cached = byId.get(id);
        if (cached != null) return Optional.of(cached);
        Optional<Project> found = projects("SELECT id, organization_id, name, api_token, timezone, created_at FROM projects WHERE id = ?", id)
                .stream().findFirst();
        // only hits are cached: probing ids must not grow the cache
        found.ifPresent(p -> byId.put(id, p));
        return found;
    }

    @Override
    public Optional<Project> projectByToken(String token) {
        Optional<Project> cached = byToken.get(token);
        if (cached != null) return cached;
        Optional<Project> found = projects(
                "SELECT id, organization_id, name, api_token, timezone, created_at FROM projects WHERE api_token = ?", token)
                .stream().findFirst();
        // only hits are cached: garbage tokens must not grow the cache
        found.ifPresent(p -> byToken.put(token, found));
        return found;
    }

    @Override
    public synchronized PersonalApiKey createPersonalApiKey(long organizationId, String label, String plainKey) {
        long id = nextId("personal_api_keys");
        String hash = hash(plainKey);
        String mask = plainKey.substring(0, Math.min(8, plainKey.length())) + "..." + plainKey.substring(Math.max(0, plainKey.length() - 4));
        update("INSERT INTO personal_api_keys VALUES (?, ?, ?, ?, ?, ?)", id, organizationId, label, hash, mask, Timestamp.from(Instant.now()));
        byKeyHash.remove(hash);
        return new PersonalApiKey(id, organizationId, label, mask, Instant.now());
    }

    @Override
    public Optional<PersonalApiKey> personalApiKeyByPlainValue(String plainKey) {
        String h = hash(plainKey);
        Optional<PersonalApiKey> cached = byKeyHash.get(h);
        if (cached != null) return cached;
        Optional<PersonalApiKey> found = loadKey(h);
        found.ifPresent(k -> byKeyHash.put(h, found));
        return found;
    }

    private Optional<PersonalApiKey> loadKey(String h) {
        {
            try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT id, organization_id, label, mask_value, created_at FROM personal_api_keys WHERE secure_value = ?")) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(new PersonalApiKey(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            } catch (SQLException e) {
                throw new StorageException(e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return projects().isEmpty();
    }

    /** Keys are long random strings, so one unsalted SHA-256 is enough to make a stolen table useless. */
    static String hash(String plainKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(plainKey.getBytes(StandardCharsets.UTF_8));
            return "sha256$" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long nextId(String table) {
        // table names here are constants of this class, never input
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) + 1 FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    private void update(String sql, Object... params) {
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    private List<Project> projects(String sql, Object... params) {
        try (DuckDBConnection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            List<Project> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Project(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }
}
