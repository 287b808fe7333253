package dev.sightline.store.duckdb;

import dev.sightline.store.Retention;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The projects' retention settings ({@code project_retention}). */
final class DuckDbRetention {
    private final Database db;
    /** Read on every PATCH and view; none is a project's usual state, cached as such. */
    private final Map<Long, Optional<Retention>> cache = new ConcurrentHashMap<>();

    DuckDbRetention(Database db) {
        this.db = db;
    }

    Optional<Retention> of(long projectId) {
        return cache.computeIfAbsent(projectId, id -> Statements.rows(db,
                "SELECT retention_days, delete_persons FROM project_retention WHERE project_id = ?",
                rs -> new Retention(rs.getInt(1), rs.getBoolean(2)), id).stream().findFirst());
    }

    synchronized void set(long projectId, Optional<Retention> retention) {
        if (retention.isPresent()) {
            Statements.update(db, "INSERT OR REPLACE INTO project_retention VALUES (?, ?, ?)", projectId,
                    retention.get().days(), retention.get().deletePersons());
        } else {
            Statements.update(db, "DELETE FROM project_retention WHERE project_id = ?", projectId);
        }
        cache.put(projectId, retention);
    }
}
