package dev.sightline.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One event as capture accepted it: validated, its timestamp corrected for clock skew, its
 * top-level {@code $set}/{@code $set_once} folded into the properties (top level wins) and
 * {@code $sent_at} added. A tree of properties is owned by the pipeline from here on: enrichment
 * adds to it.
 */
public record CapturedEvent(UUID uuid, String event, String distinctId, Instant timestamp, EventProperties sentProperties) {

    public CapturedEvent(UUID uuid, String event, String distinctId, Instant timestamp, ObjectNode properties) {
        this(uuid, event, distinctId, timestamp, new EventProperties.Tree(properties));
    }

    /** The properties as a tree; text is parsed anew on each call, so a stage takes it once and keeps it. */
    public ObjectNode properties() {
        return sentProperties.tree();
    }
}
