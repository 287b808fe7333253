package dev.sightline.enrich;

import java.time.Instant;
import java.util.Objects;

/**
 * The envelope of one event, as capture normalized it: enrichment needs the owner and the time
 * to assign server-side sessions.
 *
 * @param projectId  the project the event belongs to
 * @param distinctId the event's distinct id, already a string
 * @param event      the event name ({@code $pageview}, {@code $identify}, ...)
 * @param timestamp  the event time after clock-skew correction
 */
public record EventFacts(long projectId, String distinctId, String event, Instant timestamp) {

    public EventFacts {
        Objects.requireNonNull(distinctId, "distinctId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
