package dev.sightline.app;

import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import java.io.PrintStream;

/**
 * First start in an empty data directory: a default organization and project, a project token
 * and a personal API key, printed once. SIGHTLINE_PROJECT_TOKEN / SIGHTLINE_PERSONAL_API_KEY fix
 * them for automation; a fixed key is also added on later starts if it is not known yet.
 */
final class Bootstrap {
    private Bootstrap() {}

    static void ensureDefaults(MetaStore meta, Config config, PrintStream out) {
        if (meta.isEmpty()) {
            long org = meta.createOrganization("Default organization");
            String token = config.projectToken().orElseGet(Keys::projectToken);
            String key = config.personalApiKey().orElseGet(Keys::personalApiKey);
            Project project = meta.createProject(org, "Default project", token, "UTC");
            meta.createPersonalApiKey(org, "created at first start", key);
            out.printf("""

                    Sightline created a default project (id %d).
                      Project token (public, capture only):  %s
                      Personal API key (secret, shown once): %s

                    """, project.id(), token, key);
            return;
        }
        config.personalApiKey().ifPresent(key -> {
            if (meta.personalApiKeyByPlainValue(key).isEmpty()) {
                meta.createPersonalApiKey(meta.projects().getFirst().organizationId(), "from SIGHTLINE_PERSONAL_API_KEY", key);
            }
        });
    }
}
