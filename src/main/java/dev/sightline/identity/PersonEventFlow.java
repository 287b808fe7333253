package dev.sightline.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The person rules for one event, in the order PostHog applies them:
 * {@code $process_person_profile} → personless stamp, or (merge → find or create → property update)
 * → stamp with the person's properties and group columns.
 */
final class PersonEventFlow {
    /** Marker creation time of the stand-in person of personless events. */
    static final Instant PERSONLESS_CREATED_AT = Instant.parse("1970-01-01T00:00:05Z");
    /** A personless event this long after its real person was created counts as identified. */
    private static final Duration FORCE_UPGRADE_AFTER = Duration.ofMinutes(1);

    private final BatchView view;
    private final PersonMerger merger;
    private final GroupAssignment groups;

    PersonEventFlow(BatchView view) {
        this.view = view;
        this.merger = new PersonMerger(view);
        this.groups = new GroupAssignment(view);
    }

    EventOutcome apply(IdentityEvent incoming) {
        PersonEvent event = new PersonEvent(incoming);
        return switch (ProfileProcessing.decide(event)) {
            case DROP -> new EventOutcome.Dropped(event.uuid(), ProfileProcessing.DROP_REASON, event.warnings());
            case PERSONLESS -> stamped(event, personless(event));
            case PERSON -> stamped(event, withPerson(event));
        };
    }

    private EventStamp personless(PersonEvent event) {
        Optional<Person> real = view.personOf(event.projectId(), event.distinctId());
        if (real.isPresent()) {
            // the profile exists, but this event asked not to touch it, so it shows no properties
            Person person = real.get();
            boolean upgrade = event.timestamp().isAfter(person.createdAt().plus(FORCE_UPGRADE_AFTER));
            return stamp(event, person.uuid(), person.createdAt(), PersonSnapshot.EMPTY,
                    upgrade ? PersonMode.FORCE_UPGRADE : PersonMode.PROPERTYLESS, Map.of(), person.identified());
        }
        if (!view.personlessMarked(event.projectId(), event.distinctId())) {
            view.markPersonless(event.projectId(), event.distinctId(), false);
        }
        return stamp(event, PersonUuids.forDistinctId(event.projectId(), event.distinctId()), PERSONLESS_CREATED_AT,
                PersonSnapshot.EMPTY, PersonMode.PROPERTYLESS, Map.of(), false);
    }

    private EventStamp withPerson(PersonEvent event) {
        if (event.name().equals("$groupidentify")) {
            // a group change never changes the person who sent it
            event.stripPersonUpdates();
            groups.identify(event);
        } else {
            AutoPersonProperties.lift(event);
        }
        PersonMerger.Result merged = PersonMerger.requestedBy(event)
                .map(request -> merger.merge(event, request))
                .orElse(PersonMerger.Result.NO_MERGE);
        if (merged.person().isEmpty()) {
            merged = findOrCreate(event);
        }
        Person person = merged.propertiesDone()
                ? merged.person().orElseThrow()
                : update(event, merged.person().orElseThrow(), merged.identify());
        var snapshot = new PersonSnapshot(person.properties(), event.objectProperty(PersonEvent.SET));
        return stamp(event, person.uuid(), person.createdAt(), snapshot, PersonMode.FULL, groups.columns(event), person.identified());
    }

    /**
     * The event's person, to be updated; or a new one made from this event's updates, which must not
     * apply a second time: its {@code $unset} would then remove keys the person never had before.
     */
    private PersonMerger.Result findOrCreate(PersonEvent event) {
        Optional<Person> existing = view.personOf(event.projectId(), event.distinctId());
        if (existing.isPresent()) {
            return PersonMerger.Result.update(existing.get());
        }
        Person created = new Person(PersonUuids.forDistinctId(event.projectId(), event.distinctId()), event.projectId(),
                PropertyUpdate.of(event).forNewPerson(event.uuid()), false, event.timestamp(), 0);
        view.putPerson(created);
        // version 0 even after personless use: those events already carry this same uuidv5
        view.putMapping(new DistinctIdMapping(event.projectId(), event.distinctId(), created.uuid(), 0));
        return PersonMerger.Result.created(created);
    }

    private Person update(PersonEvent event, Person person, boolean identify) {
        Optional<PropertyMap> properties = PropertyUpdate.of(event).applyTo(person.properties());
        boolean becomesIdentified = identify && !person.identified();
        if (properties.isEmpty() && !becomesIdentified) {
            return person;
        }
        if (!becomesIdentified && FilteredPersonProperties.skipWrite(event.name(), person.properties(), properties.get())) {
            return person;
        }
        Person updated = properties.map(person::withProperties).orElse(person);
        updated = (becomesIdentified ? updated.markedIdentified() : updated).nextVersion();
        view.putPerson(updated);
        return updated;
    }

    private EventOutcome stamped(PersonEvent event, EventStamp stamp) {
        return new EventOutcome.Stamped(event.uuid(), stamp, event.warnings());
    }

    private static EventStamp stamp(PersonEvent event, UUID personId, Instant createdAt, PersonSnapshot personProperties,
                                    PersonMode mode, Map<Integer, String> groupColumns, boolean identified) {
        return new EventStamp(personId, createdAt, personProperties, mode, groupColumns, event.properties(), identified);
    }
}
