package dev.sightline.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Undoes merges: gives groups of a person's distinct ids a person of their own again.
 *
 * <p>Each new person gets the uuidv5 of the first id of its group, the uuid its events had before
 * any merge if that id once created a person, and a version above the split person's, so it wins
 * over any deleted row of the same uuid. When that uuid is taken (the split person is named after
 * the id, as after an anonymous device identifies), the split person keeps it and the new one gets
 * a uuid derived from the id and the split's version. The moved ids get a higher version too, which makes them
 * overrides: their events follow them at read time. Properties stay with the split person, since
 * nothing records which id brought which property; the new persons start empty and unidentified.
 */
final class PersonSplitter {
    private final BatchView view;

    PersonSplitter(BatchView view) {
        this.view = view;
    }

    SplitOutcome split(long projectId, UUID personUuid, List<List<String>> groups, Instant at) {
        Optional<Person> found = view.person(projectId, personUuid);
        if (found.isEmpty()) {
            return new SplitOutcome.Refused("no person " + personUuid + " in project " + projectId);
        }
        Person person = found.get();
        Map<String, DistinctIdMapping> own = view.mappingsOf(person).stream()
                .collect(Collectors.toMap(DistinctIdMapping::distinctId, Function.identity()));
        Optional<String> problem = problem(person, own, groups);
        if (problem.isPresent()) {
            return new SplitOutcome.Refused(problem.get());
        }
        List<Person> created = new ArrayList<>();
        for (List<String> group : groups) {
            Person split = new Person(uuidFor(person, group.getFirst()), projectId,
                    PropertyMap.empty(), false, person.createdAt(), person.version() + 1);
            view.putPerson(split);
            for (String id : group) {
                view.putMapping(new DistinctIdMapping(projectId, id, split.uuid(), own.get(id).version() + 1));
            }
            view.recordMerge(new Merge(projectId, person.uuid(), split.uuid(), group, Optional.empty(),
                    MergeRule.SPLIT, at));
            created.add(split);
        }
        return new SplitOutcome.Split(created, view.changes());
    }

    private static UUID uuidFor(Person person, String firstId) {
        UUID plain = PersonUuids.forDistinctId(person.projectId(), firstId);
        return plain.equals(person.uuid()) ? PersonUuids.forSplit(person.projectId(), firstId, person.version() + 1) : plain;
    }

    private Optional<String> problem(Person person, Map<String, DistinctIdMapping> own, List<List<String>> groups) {
        if (groups.isEmpty()) {
            return Optional.of("nothing to split off");
        }
        Set<String> seen = new HashSet<>();
        Set<UUID> newUuids = new HashSet<>();
        for (List<String> group : groups) {
            if (group.isEmpty()) {
                return Optional.of("an empty group of distinct ids");
            }
            for (String id : group) {
                if (!own.containsKey(id)) {
                    return Optional.of("distinct id " + id + " does not belong to person " + person.uuid());
                }
                if (!seen.add(id)) {
                    return Optional.of("distinct id " + id + " is named twice");
                }
            }
            UUID uuid = uuidFor(person, group.getFirst());
            if (!newUuids.add(uuid) || view.person(person.projectId(), uuid).isPresent()) {
                return Optional.of("the person for " + group.getFirst() + " already exists");
            }
        }
        if (seen.size() == own.size()) {
            return Optional.of("at least one distinct id must stay with person " + person.uuid());
        }
        return Optional.empty();
    }
}
