package dev.sightline.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One event as capture accepted it: validated, its timestamp corrected for clock skew, its
 * top-level {@code $set}/{@code $set_once} folded into {@code properties} (top level wins).
 * The properties node is owned by the pipeline from here on: enrichment adds to it.
 */
public record CapturedEvent(UUID uuid, String event, String distinctId, Instant timestamp, ObjectNode properties) {}
