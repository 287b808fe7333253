package dev.sightline.identity;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What person processing decided for one event: store it with a stamp, or drop it. */
public sealed interface EventOutcome {

    UUID eventUuid();

    List<IngestionWarning> warnings();

    /** Store the event with this stamp. */
    record Stamped(UUID eventUuid, EventStamp stamp, List<IngestionWarning> warnings) implements EventOutcome {
        public Stamped {
            Objects.requireNonNull(eventUuid, "eventUuid");
            Objects.requireNonNull(stamp, "stamp");
            warnings = List.copyOf(warnings);
        }
    }

    /** Do not store the event; {@code reason} names the rule, as PostHog's warning type does. */
    record Dropped(UUID eventUuid, String reason, List<IngestionWarning> warnings) implements EventOutcome {
        public Dropped {
            Objects.requireNonNull(eventUuid, "eventUuid");
            Objects.requireNonNull(reason, "reason");
            warnings = List.copyOf(warnings);
        }
    }
}
