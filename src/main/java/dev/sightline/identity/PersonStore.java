package dev.sightline.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The storage port for persons. Reads are by batch so an adapter can answer a whole micro-batch in
 * one query; every call names the project, so no lookup can cross projects.
 *
 * <p>Writes happen only through {@link #write(PersonChanges)}, which the pipeline calls inside the
 * same transaction that stores the batch's events. {@link InMemoryPersonStore} is the reference for
 * what each change means.
 */
public interface PersonStore {

    /** The current mapping of each of these distinct ids that has one. */
    Map<String, DistinctIdMapping> mappings(long projectId, Collection<String> distinctIds);

    /** The live (not deleted) persons among these uuids. */
    Map<UUID, Person> persons(long projectId, Collection<UUID> uuids);

    /** Every distinct id that currently maps to this person. */
    List<DistinctIdMapping> mappingsOf(long projectId, UUID personUuid);

    /** Those of these distinct ids that carry a personless mark (merged or not). */
    Set<String> personlessMarked(long projectId, Collection<String> distinctIds);

    /**
     * Hands over every distinct id of the project that has a mapping or a personless mark (once
     * per table it is in), for the in-memory filter that spares new ids a look-up.
     */
    void eachKnownDistinctId(long projectId, java.util.function.Consumer<String> each);

    /** The project's group type names and their indexes. */
    List<GroupType> groupTypes(long projectId);

    /** The groups that exist among these keys. */
    Map<Group.Key, Group> groups(long projectId, Collection<Group.Key> keys);

    /** Applies a batch's changes; called inside the transaction that stores the batch's events. */
    void write(PersonChanges changes);
}
