package dev.sightline.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A {@link PersonStore} in plain maps: for tests, and the reference for what each part of
 * {@link PersonChanges} means to a real adapter. Not thread-safe.
 */
public final class InMemoryPersonStore implements PersonStore {
    private final Map<UUID, Person> persons = new HashMap<>();
    private final Map<DistinctIdKey, DistinctIdMapping> mappings = new LinkedHashMap<>();
    private final Map<DistinctIdKey, Boolean> personless = new HashMap<>();
    private final List<Merge> merges = new ArrayList<>();
    private final Map<Long, Map<String, GroupType>> groupTypes = new HashMap<>();
    private final Map<Group.Key, Group> groups = new HashMap<>();
    private int lookups;

    @Override
    public synchronized void eachKnownDistinctId(long projectId, java.util.function.Consumer<String> each) {
        mappings.keySet().stream().filter(k -> k.projectId() == projectId).forEach(k -> each.accept(k.distinctId()));
        personless.keySet().stream().filter(k -> k.projectId() == projectId).forEach(k -> each.accept(k.distinctId()));
    }

    @Override
    public Map<String, DistinctIdMapping> mappings(long projectId, Collection<String> distinctIds) {
        lookups++;
        Map<String, DistinctIdMapping> found = new HashMap<>();
        for (String id : distinctIds) {
            DistinctIdMapping mapping = mappings.get(new DistinctIdKey(projectId, id));
            if (mapping != null) {
                found.put(id, mapping);
            }
        }
        return found;
    }

    @Override
    public Map<UUID, Person> persons(long projectId, Collection<UUID> uuids) {
        lookups++;
        Map<UUID, Person> found = new HashMap<>();
        for (UUID uuid : uuids) {
            Person person = persons.get(uuid);
            if (person != null && person.projectId() == projectId) {
                found.put(uuid, person);
            }
        }
        return found;
    }

    @Override
    public List<DistinctIdMapping> mappingsOf(long projectId, UUID personUuid) {
        return mappings.values().stream()
                .filter(m -> m.projectId() == projectId && m.personUuid().equals(personUuid))
                .toList();
    }

    @Override
    public Set<String> personlessMarked(long projectId, Collection<String> distinctIds) {
        lookups++;
        return distinctIds.stream()
                .filter(id -> personless.containsKey(new DistinctIdKey(projectId, id)))
                .collect(Collectors.toSet());
    }

    @Override
    public List<GroupType> groupTypes(long projectId) {
        return List.copyOf(groupTypes.getOrDefault(projectId, Map.of()).values());
    }

    @Override
    public Map<Group.Key, Group> groups(long projectId, Collection<Group.Key> keys) {
        Map<Group.Key, Group> found = new HashMap<>();
        for (Group.Key key : keys) {
            Group group = groups.get(key);
            if (group != null && key.projectId() == projectId) {
                found.put(key, group);
            }
        }
        return found;
    }

    @Override
    public void write(PersonChanges changes) {
        for (Person person : changes.personsUpserted()) {
            // a row only replaces an older one: the version rule that makes replays and splits safe
            persons.merge(person.uuid(), person, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
        }
        for (Person person : changes.personsDeleted()) {
            persons.remove(person.uuid());
        }
        for (DistinctIdMapping mapping : changes.distinctIds()) {
            mappings.put(mapping.key(), mapping);
        }
        for (PersonlessMark mark : changes.personlessMarks()) {
            // merged = false never clears an existing merged flag
            personless.merge(new DistinctIdKey(mark.projectId(), mark.distinctId()), mark.merged(), Boolean::logicalOr);
        }
        merges.addAll(changes.merges());
        for (GroupType type : changes.groupTypesAdded()) {
            groupTypes.computeIfAbsent(type.projectId(), p -> new LinkedHashMap<>()).putIfAbsent(type.name(), type);
        }
        for (Group group : changes.groupsUpserted()) {
            groups.put(group.id(), group);
        }
    }

    // ---- read-outs for tests and tools ----

    public Optional<Person> personOf(long projectId, String distinctId) {
        return Optional.ofNullable(mappings.get(new DistinctIdKey(projectId, distinctId)))
                .map(m -> persons.get(m.personUuid()));
    }

    public Optional<DistinctIdMapping> mappingOf(long projectId, String distinctId) {
        return Optional.ofNullable(mappings.get(new DistinctIdKey(projectId, distinctId)));
    }

    public List<Person> persons(long projectId) {
        return persons.values().stream().filter(p -> p.projectId() == projectId)
                .sorted(Comparator.comparing(Person::uuid)).toList();
    }

    public List<DistinctIdMapping> mappings(long projectId) {
        return mappings.values().stream().filter(m -> m.projectId() == projectId)
                .sorted(Comparator.comparing(DistinctIdMapping::distinctId)).toList();
    }

    /** The personless mark of an id: empty when never marked, else whether it was merged since. */
    public Optional<Boolean> personlessMark(long projectId, String distinctId) {
        return Optional.ofNullable(personless.get(new DistinctIdKey(projectId, distinctId)));
    }

    public List<Merge> merges() {
        return List.copyOf(merges);
    }

    public Optional<Group> group(Group.Key key) {
        return Optional.ofNullable(groups.get(key));
    }

    /** How many batch lookups reached this store; lets tests see that the cache answers hot reads. */
    public int lookups() {
        return lookups;
    }
}
