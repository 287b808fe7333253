package dev.sightline.api;

import dev.sightline.store.MetaStore;
import dev.sightline.store.PersonalApiKey;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Who may read what: a personal API key reads the projects of its own organization and nothing
 * else. Every read handler starts here, so the project a handler sees is always one the key may read.
 */
final class Auth {
    private final MetaStore meta;

    Auth(MetaStore meta) {
        this.meta = meta;
    }

    /** The project named in the path, checked against the caller's personal API key. */
    Project project(Context ctx) {
        PersonalApiKey key = key(ctx);
        String raw = ctx.pathParam("projectId");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.notFound("project '" + raw + "' does not exist");
        }
        Optional<Project> project = meta.project(id);
        if (project.isEmpty() || project.get().organizationId() != key.organizationId()) {
            // the same answer whether it doesn't exist or belongs to someone else: no probing
            throw ApiError.forbidden("this key has no access to project " + id);
        }
        return project.get();
    }

    private PersonalApiKey key(Context ctx) {
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        String plain = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : Optional.ofNullable(ctx.queryParam("personal_api_key")).orElse("");
        if (plain.isEmpty()) {
            throw ApiError.unauthenticated("send a personal API key as 'Authorization: Bearer phx_...'");
        }
        if (plain.startsWith("phc_")) {
            throw ApiError.unauthenticated("a project token (phc_...) only captures; reading needs a personal API key (phx_...)");
        }
        return meta.personalApiKeyByPlainValue(plain)
                .orElseThrow(() -> ApiError.unauthenticated("the personal API key is not valid"));
    }
}
