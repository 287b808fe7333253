package dev.sightline.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Person state as seen in the middle of a batch: the committed state from {@link PersonCache} with
 * this batch's own changes laid over it. Every write is recorded, and {@link #changes()} turns the
 * records into the {@link PersonChanges} to commit.
 */
final class BatchView {
    private final PersonCache committed;
    private final Map<UUID, Person> persons = new LinkedHashMap<>();
    private final Map<UUID, Person> deleted = new LinkedHashMap<>();
    private final Map<DistinctIdKey, DistinctIdMapping> mappings = new LinkedHashMap<>();
    private final Map<DistinctIdKey, Boolean> personless = new LinkedHashMap<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<GroupType> groupTypesAdded = new ArrayList<>();
    private final Map<Group.Key, Group> groups = new LinkedHashMap<>();

    BatchView(PersonCache committed) {
        this.committed = committed;
    }

    Optional<DistinctIdMapping> mapping(long projectId, String distinctId) {
        DistinctIdKey key = new DistinctIdKey(projectId, distinctId);
        DistinctIdMapping own = mappings.get(key);
        return own != null ? Optional.of(own) : committed.mapping(key);
    }

    Optional<Person> personOf(long projectId, String distinctId) {
        return mapping(projectId, distinctId).flatMap(m -> person(projectId, m.personUuid()));
    }

    Optional<Person> person(long projectId, UUID uuid) {
        if (deleted.containsKey(uuid)) {
            return Optional.empty();
        }
        Person own = persons.get(uuid);
        return own != null ? Optional.of(own) : committed.person(projectId, uuid);
    }

    /**
     * Every distinct id of a person, including those this batch moved to it, sorted by id so the merge
     * history does not depend on how events were cut into batches.
     */
    List<DistinctIdMapping> mappingsOf(Person person) {
        Map<String, DistinctIdMapping> byId = new TreeMap<>();
        for (DistinctIdMapping stored : committed.mappingsOf(person.projectId(), person.uuid())) {
            DistinctIdMapping current = mappings.getOrDefault(stored.key(), stored);
            if (current.personUuid().equals(person.uuid())) {
                byId.put(current.distinctId(), current);
            }
        }
        for (DistinctIdMapping own : mappings.values()) {
            if (own.projectId() == person.projectId() && own.personUuid().equals(person.uuid())) {
                byId.put(own.distinctId(), own);
            }
        }
        return List.copyOf(byId.values());
    }

    boolean personlessMarked(long projectId, String distinctId) {
        DistinctIdKey key = new DistinctIdKey(projectId, distinctId);
        return personless.containsKey(key) || committed.personlessMarked(key);
    }

    void putPerson(Person person) {
        deleted.remove(person.uuid());
        persons.put(person.uuid(), person);
    }

    void deletePerson(Person person) {
        persons.remove(person.uuid());
        deleted.put(person.uuid(), person);
    }

    void putMapping(DistinctIdMapping mapping) {
        mappings.put(mapping.key(), mapping);
    }

    /** {@code merged = false} never downgrades a mark made earlier in the batch. */
    void markPersonless(long projectId, String distinctId, boolean merged) {
        personless.merge(new DistinctIdKey(projectId, distinctId), merged, Boolean::logicalOr);
    }

    void recordMerge(Merge merge) {
        merges.add(merge);
    }

    /** The index of a group type, giving the name the next free index when the project has one left. */
    Optional<Integer> groupTypeIndex(long projectId, String name) {
        Map<String, GroupType> known = committed.groupTypes(projectId);
        GroupType type = known.get(name);
        if (type != null) {
            return Optional.of(type.index());
        }
        Set<Integer> taken = new LinkedHashSet<>();
        known.values().forEach(t -> taken.add(t.index()));
        for (GroupType added : groupTypesAdded) {
            if (added.projectId() == projectId) {
                if (added.name().equals(name)) {
                    return Optional.of(added.index());
                }
                taken.add(added.index());
            }
        }
        for (int index = 0; index < GroupType.MAX_PER_PROJECT; index++) {
            if (!taken.contains(index)) {
                groupTypesAdded.add(new GroupType(projectId, name, index));
                return Optional.of(index);
            }
        }
        return Optional.empty();
    }

    Optional<Group> group(Group.Key key) {
        Group own = groups.get(key);
        return own != null ? Optional.of(own) : committed.group(key);
    }

    void putGroup(Group group) {
        groups.put(group.id(), group);
    }

    PersonChanges changes() {
        List<PersonlessMark> marks = new ArrayList<>();
        personless.forEach((key, merged) -> marks.add(new PersonlessMark(key.projectId(), key.distinctId(), merged)));
        return new PersonChanges(List.copyOf(persons.values()), List.copyOf(deleted.values()),
                List.copyOf(mappings.values()), marks, merges, groupTypesAdded, List.copyOf(groups.values()));
    }
}
