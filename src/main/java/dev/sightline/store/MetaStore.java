package dev.sightline.store;

import java.util.List;
import java.util.Optional;

/** Organizations, projects and personal API keys. */
public interface MetaStore {
    long createOrganization(String name);

    Project createProject(long organizationId, String name, String token, String timezone);

    List<Project> projects();

    Optional<Project> project(long id);

    Optional<Project> projectByToken(String token);

    /** Stores the key's hash; the plain key is returned to the caller once and then forgotten. */
    PersonalApiKey createPersonalApiKey(long organizationId, String label, String plainKey);

    Optional<PersonalApiKey> personalApiKeyByPlainValue(String plainKey);

    boolean isEmpty();
}
