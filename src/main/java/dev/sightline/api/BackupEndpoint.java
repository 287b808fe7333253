package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.Backups;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Organization;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/backup}: a consistent copy of the whole store while the server runs (DuckDB lets
 * one process open the file, so {@code sightline backup} asks the running server). A backup holds
 * every organization, so only an administrator of the instance's first organization (the one
 * created at set-up) may take one. Body: {@code {"out": "/absolute/dir"}}, a directory that does
 * not exist or is empty; without it, a new directory under the data directory's {@code backups/}.
 */
final class BackupEndpoint {
    private final Auth auth;
    private final MetaStore meta;
    private final Backups backups;
    private final ObjectMapper json;

    BackupEndpoint(Auth auth, MetaStore meta, Backups backups, ObjectMapper json) {
        this.auth = auth;
        this.meta = meta;
        this.backups = backups;
        this.json = json;
    }

    void backup(Context ctx) {
        Auth.Caller caller = auth.admin(ctx);
        long first = meta.organizations().stream().mapToLong(Organization::id).min().orElse(-1);
        if (caller.organizationId() != first) {
            throw ApiError.forbidden("a backup holds every organization: only an administrator of the first organization may take one");
        }
        JsonNode body = Params.json(ctx, json, "body");
        Optional<Path> out = Optional.empty();
        if (body != null && body.hasNonNull("out")) {
            JsonNode o = body.get("out");
            if (!o.isTextual() || o.asText().isBlank() || !Path.of(o.asText()).isAbsolute()) {
                throw ApiError.invalid("out", "out must be an absolute directory path on the server");
            }
            out = Optional.of(Path.of(o.asText()).normalize());
        }
        Backups.Backup b;
        try {
            b = backups.backup(out);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("out", e.getMessage());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("path", b.directory().toString());
        view.put("bytes", b.bytes());
        view.put("events", b.events());
        view.put("persons", b.persons());
        view.put("took_ms", b.millis());
        ctx.status(201).json(view);
    }
}
