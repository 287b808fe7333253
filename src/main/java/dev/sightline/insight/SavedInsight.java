package dev.sightline.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An insight someone saved: its query (PostHog's query JSON), how it is named and found, and the
 * last result computed for it. {@code shortId} is the stable id in its URL.
 */
public record SavedInsight(long id, String shortId, String name, String description, List<String> tags, boolean favorited,
                           JsonNode query, long createdBy, Instant createdAt, long lastModifiedBy, Instant lastModifiedAt,
                           Optional<Instant> lastRefresh, Optional<JsonNode> result, boolean deleted) {}
