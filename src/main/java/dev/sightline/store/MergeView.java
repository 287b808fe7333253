package dev.sightline.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One entry of a person's merge history: what moved where, why, and which event caused it. */
public record MergeView(String kind, UUID source, UUID target, List<String> distinctIds, Optional<UUID> eventUuid,
                        String rule, Instant at) {}
