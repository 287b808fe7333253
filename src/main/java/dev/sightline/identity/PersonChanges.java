package dev.sightline.identity;

import java.util.List;

/**
 * Everything a batch changed about persons, to be committed atomically with the batch's events.
 * Each list holds the final state per key (a person written three times appears once).
 *
 * @param personsUpserted rows to insert or replace, by uuid; keep the higher version on conflict
 * @param personsDeleted  persons merged away (last known row, so an adapter can write a tombstone)
 * @param distinctIds     distinct id to person rows added or moved; those with version &gt; 0 are overrides
 * @param personlessMarks distinct ids seen personless, or merged after being seen personless; an
 *                        unmerged mark is only made for an id that had none, so a store may append it
 * @param merges          merge history entries, in the order they happened
 * @param groupTypesAdded group type names newly given an index
 * @param groupsUpserted  groups created or changed by {@code $groupidentify}
 */
public record PersonChanges(List<Person> personsUpserted, List<Person> personsDeleted,
                            List<DistinctIdMapping> distinctIds, List<PersonlessMark> personlessMarks,
                            List<Merge> merges, List<GroupType> groupTypesAdded, List<Group> groupsUpserted) {

    public static final PersonChanges NONE = new PersonChanges(List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of());

    public PersonChanges {
        personsUpserted = List.copyOf(personsUpserted);
        personsDeleted = List.copyOf(personsDeleted);
        distinctIds = List.copyOf(distinctIds);
        personlessMarks = List.copyOf(personlessMarks);
        merges = List.copyOf(merges);
        groupTypesAdded = List.copyOf(groupTypesAdded);
        groupsUpserted = List.copyOf(groupsUpserted);
    }

    /** The distinct id rows that re-attribute already stored events at read time. */
    public List<DistinctIdMapping> overrides() {
        return distinctIds.stream().filter(DistinctIdMapping::isOverride).toList();
    }

    /** Every project these changes touch. */
    public java.util.Set<Long> projectIds() {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        personsUpserted.forEach(p -> ids.add(p.projectId()));
        personsDeleted.forEach(p -> ids.add(p.projectId()));
        distinctIds.forEach(m -> ids.add(m.projectId()));
        personlessMarks.forEach(m -> ids.add(m.projectId()));
        merges.forEach(m -> ids.add(m.projectId()));
        groupTypesAdded.forEach(t -> ids.add(t.projectId()));
        groupsUpserted.forEach(g -> ids.add(g.projectId()));
        return ids;
    }

    public boolean isEmpty() {
        return personsUpserted.isEmpty() && personsDeleted.isEmpty() && distinctIds.isEmpty()
                && personlessMarks.isEmpty() && merges.isEmpty() && groupTypesAdded.isEmpty()
                && groupsUpserted.isEmpty();
    }
}
