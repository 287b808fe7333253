package dev.sightline.identity;

import java.util.Map;
import java.util.Objects;

/** A problem with an event that did not stop it, shown to the project's users (PostHog's ingestion warnings). */
public record IngestionWarning(String type, Map<String, String> details) {
    public IngestionWarning {
        Objects.requireNonNull(type, "type");
        details = Map.copyOf(details);
    }
}
