package dev.sightline.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Committed person state kept in memory in front of the {@link PersonStore}, so the lookups every
 * event makes (distinct id to person, person by uuid, personless marks) rarely reach storage.
 *
 * <p>It only ever holds what the store holds: batches see their own changes through
 * {@link BatchView}, and changes enter here only once committed. Misses are remembered too (most
 * distinct ids of a busy site are new or personless). Entries are evicted least recently used.
 */
final class PersonCache {
    private final PersonStore store;
    private final Map<DistinctIdKey, Optional<DistinctIdMapping>> mappings;
    private final Map<UUID, Optional<Person>> persons;
    private final Map<DistinctIdKey, Boolean> personless;
    private final Map<Long, Map<String, GroupType>> groupTypes = new HashMap<>();
    private final Map<Group.Key, Optional<Group>> groups;
    private final Map<Long, KnownDistinctIds> known = new HashMap<>();

    PersonCache(PersonStore store, int capacity) {
        this.store = store;
        this.mappings = lru(capacity);
        this.persons = lru(capacity);
        this.personless = lru(capacity);
        this.groups = lru(Math.max(16, capacity / 10));
    }

    /**
     * Loads, in one round trip per kind, what a batch will ask about these ids. Ids the store cannot
     * hold (most of a busy site's new visitors) are answered from the filter without asking.
     */
    void prefetch(long projectId, Collection<String> distinctIds) {
        KnownDistinctIds maybeStored = known(projectId);
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(distinctIds)) {
            DistinctIdKey key = new DistinctIdKey(projectId, id);
            if (mappings.containsKey(key)) continue;
            if (maybeStored.mightContain(id)) {
                missing.add(id);
            } else {
                mappings.put(key, Optional.empty());
                personless.put(key, false);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, DistinctIdMapping> found = store.mappings(projectId, missing);
            for (String id : missing) {
                mappings.put(new DistinctIdKey(projectId, id), Optional.ofNullable(found.get(id)));
            }
            loadPersons(projectId, found.values().stream().map(DistinctIdMapping::personUuid).toList());
        }
        List<String> unknownMarks = distinctIds.stream().distinct()
                .filter(id -> !personless.containsKey(new DistinctIdKey(projectId, id))).toList();
        if (!unknownMarks.isEmpty()) {
            Set<String> marked = store.personlessMarked(projectId, unknownMarks);
            for (String id : unknownMarks) {
                personless.put(new DistinctIdKey(projectId, id), marked.contains(id));
            }
        }
    }

    Optional<DistinctIdMapping> mapping(DistinctIdKey key) {
        Optional<DistinctIdMapping> cached = mappings.get(key);
        if (cached == null) {
            prefetch(key.projectId(), List.of(key.distinctId()));
            cached = mappings.get(key);
        }
        return cached;
    }

    Optional<Person> person(long projectId, UUID uuid) {
        Optional<Person> cached = persons.get(uuid);
        if (cached == null) {
            loadPersons(projectId, List.of(uuid));
            cached = persons.get(uuid);
        }
        return cached.filter(p -> p.projectId() == projectId);
    }

    boolean personlessMarked(DistinctIdKey key) {
        Boolean marked = personless.get(key);
        if (marked == null) {
            prefetch(key.projectId(), List.of(key.distinctId()));
            marked = personless.get(key);
        }
        return marked;
    }

    /** Not cached: only merges and splits ask, and they must see every id. */
    List<DistinctIdMapping> mappingsOf(long projectId, UUID personUuid) {
        return store.mappingsOf(projectId, personUuid);
    }

    Map<String, GroupType> groupTypes(long projectId) {
        return groupTypes.computeIfAbsent(projectId, p -> {
            Map<String, GroupType> byName = new LinkedHashMap<>();
            store.groupTypes(p).forEach(type -> byName.put(type.name(), type));
            return byName;
        });
    }

    /** Loads in one round trip the groups of these (type name, key) pairs of known types not cached yet. */
    void prefetchGroups(long projectId, Collection<Map.Entry<String, String>> typeAndKey) {
        Map<String, GroupType> types = groupTypes(projectId);
        List<Group.Key> missing = new ArrayList<>();
        for (Map.Entry<String, String> pair : typeAndKey) {
            GroupType type = types.get(pair.getKey());
            if (type == null) continue; // a new type has no groups yet: the batch names it first
            Group.Key key = new Group.Key(projectId, type.index(), pair.getValue());
            if (!groups.containsKey(key)) missing.add(key);
        }
        if (missing.isEmpty()) return;
        Map<Group.Key, Group> found = store.groups(projectId, missing);
        missing.forEach(key -> groups.put(key, Optional.ofNullable(found.get(key))));
    }

    Optional<Group> group(Group.Key key) {
        Optional<Group> cached = groups.get(key);
        if (cached == null) {
            cached = Optional.ofNullable(store.groups(key.projectId(), List.of(key)).get(key));
            groups.put(key, cached);
        }
        return cached;
    }

    /** The project's filter, loaded on first use and rebuilt larger once it holds more than it was sized for. */
    private KnownDistinctIds known(long projectId) {
        KnownDistinctIds filter = known.get(projectId);
        if (filter == null || filter.full()) {
            filter = KnownDistinctIds.load(store, projectId, filter == null ? 0 : 2 * filter.capacity());
            known.put(projectId, filter);
        }
        return filter;
    }

    /** Folds a committed batch in. */
    void apply(PersonChanges changes) {
        // the store now holds these ids: the filter must say "maybe" for them from here on
        changes.distinctIds().forEach(m -> addKnown(m.projectId(), m.distinctId()));
        changes.personlessMarks().forEach(m -> addKnown(m.projectId(), m.distinctId()));
        changes.personsUpserted().forEach(p -> persons.put(p.uuid(), Optional.of(p)));
        changes.personsDeleted().forEach(p -> persons.put(p.uuid(), Optional.empty()));
        changes.distinctIds().forEach(m -> mappings.put(m.key(), Optional.of(m)));
        changes.personlessMarks().forEach(m -> personless.put(new DistinctIdKey(m.projectId(), m.distinctId()), true));
        changes.groupTypesAdded().forEach(t -> groupTypes(t.projectId()).putIfAbsent(t.name(), t));
        changes.groupsUpserted().forEach(g -> groups.put(g.id(), Optional.of(g)));
    }

    private void addKnown(long projectId, String distinctId) {
        KnownDistinctIds filter = known.get(projectId);
        if (filter != null) filter.add(distinctId); // a filter loaded later reads it from the store
    }

    private void loadPersons(long projectId, Collection<UUID> uuids) {
        List<UUID> missing = new ArrayList<>();
        for (UUID uuid : uuids) {
            if (!persons.containsKey(uuid)) {
                missing.add(uuid);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Map<UUID, Person> found = store.persons(projectId, missing);
        missing.forEach(uuid -> persons.put(uuid, Optional.ofNullable(found.get(uuid))));
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
