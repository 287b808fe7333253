package dev.sightline.identity;

import java.util.List;
import java.util.Objects;

/** The result of asking to split a person. */
public sealed interface SplitOutcome {

    /** The split was made; commit {@code changes}. {@code newPersons} are in the order of the groups asked for. */
    record Split(List<Person> newPersons, PersonChanges changes) implements SplitOutcome {
        public Split {
            newPersons = List.copyOf(newPersons);
            Objects.requireNonNull(changes, "changes");
        }
    }

    /** Nothing changed; {@code reason} says why. */
    record Refused(String reason) implements SplitOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
