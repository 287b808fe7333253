package dev.sightline.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Organizations, projects, their options and personal API keys. */
public interface MetaStore {
    long createOrganization(String name);

    List<Organization> organizations();

    Optional<Organization> organization(long id);

    void renameOrganization(long id, String name);

    /** Fails with an {@link IllegalArgumentException} when the organization does not exist. */
    Project createProject(long organizationId, String name, String token, String timezone);

    List<Project> projects();

    Optional<Project> project(long id);

    Optional<Project> projectByToken(String token);

    /** Renames the project or changes its timezone (a valid IANA zone id, checked by the caller). */
    Project updateProject(long id, String name, String timezone);

    /** Whether the project drops client IP addresses from its events' properties. */
    boolean anonymizeIps(long projectId);

    void setAnonymizeIps(long projectId, boolean anonymize);

    /** How long the project keeps its events; empty: for ever. */
    Optional<Retention> retention(long projectId);

    void setRetention(long projectId, Optional<Retention> retention);

    /** Stores the key's hash; the plain key is returned to the caller once and then forgotten. */
    default PersonalApiKey createPersonalApiKey(long organizationId, String label, String plainKey) {
        return createPersonalApiKey(organizationId, label, plainKey, Optional.empty());
    }

    PersonalApiKey createPersonalApiKey(long organizationId, String label, String plainKey, Optional<Long> userId);

    /** A key that exists and is not revoked. */
    Optional<PersonalApiKey> personalApiKeyByPlainValue(String plainKey);

    /** The organization's keys that are not revoked, newest first. */
    List<PersonalApiKey> personalApiKeys(long organizationId);

    /** Revokes at once: the key's next request is refused. False when the organization has no such key. */
    boolean revokePersonalApiKey(long organizationId, long id);

    /** Records a use of the key (kept to the minute: reads do not write on every request). */
    void touchPersonalApiKey(long id, Instant at);

    boolean isEmpty();
}
