package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Identify, alias and merge_dangerously: joins the person behind another distinct id into the
 * person of the event's distinct id. Which merges are refused is decided in {@link MergeRefusal}.
 */
final class PersonMerger {

    /** Merge the person of {@code otherId} into the person of {@code intoId}. */
    record Request(MergeRule rule, String otherId, String intoId) {
    }

    /**
     * The person the event continues with.
     *
     * @param person           empty when no merge took place and the event is a plain one
     * @param identify         the survivor becomes identified (set even when a merge was refused)
     * @param propertiesDone   the event's $set/$set_once/$unset are already applied
     */
    record Result(Optional<Person> person, boolean identify, boolean propertiesDone) {
        static final Result NO_MERGE = new Result(Optional.empty(), false, false);

        static Result continueWith(Person person) {
            return new Result(Optional.of(person), true, false);
        }

        static Result done(Person person) {
            return new Result(Optional.of(person), true, true);
        }

        /** No merge: the event's existing person, whose properties the event may still change. */
        static Result update(Person person) {
            return new Result(Optional.of(person), false, false);
        }

        /** No merge: a person this event created, with its properties already applied. */
        static Result created(Person person) {
            return new Result(Optional.of(person), false, true);
        }
    }

    private final BatchView view;

    PersonMerger(BatchView view) {
        this.view = view;
    }

    /** The merge an event asks for, if any: alias events first, then identify with an anonymous id. */
    static Optional<Request> requestedBy(PersonEvent event) {
        JsonNode alias = event.properties().get("alias");
        switch (event.name()) {
            case "$create_alias", "$merge_dangerously" -> {
                if (JsCoercion.isTruthy(alias)) {
                    MergeRule rule = event.name().equals("$create_alias") ? MergeRule.ALIAS : MergeRule.MERGE_DANGEROUSLY;
                    return Optional.of(new Request(rule, JsCoercion.asString(alias), event.distinctId()));
                }
            }
            case "$identify" -> {
                // the key's presence counts, even with a null value ("null" is then an illegal id)
                if (event.properties().has("$anon_distinct_id")) {
                    return Optional.of(new Request(MergeRule.IDENTIFY,
                            JsCoercion.asString(event.properties().get("$anon_distinct_id")), event.distinctId()));
                }
            }
            default -> {
            }
        }
        return Optional.empty();
    }

    Result merge(PersonEvent event, Request request) {
        if (MergeRefusal.isSelfMerge(request.otherId(), request.intoId())) {
            return Result.NO_MERGE;
        }
        Optional<IngestionWarning> illegal = MergeRefusal.illegalId(request.otherId(), request.intoId(), event.uuid());
        if (illegal.isPresent()) {
            event.warn(illegal.get());
            return Result.NO_MERGE;
        }
        long project = event.projectId();
        Optional<Person> other = view.personOf(project, request.otherId());
        Optional<Person> into = view.personOf(project, request.intoId());
        if (other.isPresent() && into.isPresent()) {
            return other.get().uuid().equals(into.get().uuid())
                    ? Result.continueWith(into.get())
                    : mergePersons(event, request, other.get(), into.get());
        }
        if (other.isPresent()) {
            return Result.continueWith(addDistinctId(event, request, other.get(), request.intoId()));
        }
        if (into.isPresent()) {
            return Result.continueWith(addDistinctId(event, request, into.get(), request.otherId()));
        }
        return Result.done(createWithBoth(event, request));
    }

    /** Exactly one id has a person: the other id joins it. */
    private Person addDistinctId(PersonEvent event, Request request, Person existing, String newId) {
        long project = event.projectId();
        // an id used personless already has events under its uuidv5: those need an override
        boolean usedPersonless = view.personlessMarked(project, newId);
        view.markPersonless(project, newId, true);
        view.putMapping(new DistinctIdMapping(project, newId, existing.uuid(), usedPersonless ? 1 : 0));
        if (usedPersonless) {
            recordMerge(event, request, PersonUuids.forDistinctId(project, newId), existing.uuid(), List.of(newId));
        }
        return existing;
    }

    /** Neither id has a person: one identified person is created with both. */
    private Person createWithBoth(PersonEvent event, Request request) {
        long project = event.projectId();
        String primary = request.intoId();
        String secondary = request.otherId();
        boolean primaryUsed = view.personlessMarked(project, primary);
        boolean secondaryUsed = view.personlessMarked(project, secondary);
        if (!primaryUsed && secondaryUsed) {
            // reuse the uuid that the other id's personless events already carry: no override needed
            primary = request.otherId();
            secondary = request.intoId();
        }
        // when both were used personless, one set of old events must be re-attributed
        long secondaryVersion = primaryUsed && secondaryUsed ? 1 : 0;
        view.markPersonless(project, primary, true);
        view.markPersonless(project, secondary, true);
        Person person = new Person(PersonUuids.forDistinctId(project, primary), project,
                PropertyUpdate.of(event).forNewPerson(event.uuid()), true, event.timestamp(), 0);
        view.putPerson(person);
        view.putMapping(new DistinctIdMapping(project, primary, person.uuid(), 0));
        view.putMapping(new DistinctIdMapping(project, secondary, person.uuid(), secondaryVersion));
        if (secondaryVersion > 0) {
            recordMerge(event, request, PersonUuids.forDistinctId(project, secondary), person.uuid(), List.of(secondary));
        }
        return person;
    }

    /** Both ids have different persons: the other person is merged into the event's person, or refused. */
    private Result mergePersons(PersonEvent event, Request request, Person other, Person into) {
        Optional<IngestionWarning> refused = MergeRefusal.alreadyIdentified(request.rule(), other,
                request.otherId(), request.intoId(), event.uuid());
        if (refused.isPresent()) {
            event.warn(refused.get());
            return Result.continueWith(into);
        }
        // the surviving person's values win a conflict; then the event's own updates apply
        var mergedProperties = other.properties().toObjectNode();
        mergedProperties.setAll(into.properties().toObjectNode());
        PropertyMap combined = PropertyMap.owning(mergedProperties);
        PropertyMap properties = PropertyUpdate.of(event).applyTo(combined).orElse(combined);
        Person survivor = new Person(into.uuid(), into.projectId(), properties, true,
                into.createdAt().isBefore(other.createdAt()) ? into.createdAt() : other.createdAt(),
                Math.max(into.version(), other.version()) + 1);

        List<DistinctIdMapping> moving = view.mappingsOf(other);
        for (DistinctIdMapping mapping : moving) {
            // moved rows always get a higher version: old events of these ids are re-attributed
            view.putMapping(new DistinctIdMapping(mapping.projectId(), mapping.distinctId(), survivor.uuid(),
                    mapping.version() + 1));
        }
        view.putPerson(survivor);
        view.deletePerson(other);
        recordMerge(event, request, other.uuid(), survivor.uuid(),
                moving.stream().map(DistinctIdMapping::distinctId).toList());
        return Result.done(survivor);
    }

    private void recordMerge(PersonEvent event, Request request, UUID source, UUID target,
                             List<String> ids) {
        view.recordMerge(new Merge(event.projectId(), source, target, ids, Optional.of(event.uuid()),
                request.rule(), event.timestamp()));
    }
}
