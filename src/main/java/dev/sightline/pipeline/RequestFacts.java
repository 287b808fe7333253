package dev.sightline.pipeline;

import java.util.Optional;

/** What the HTTP request said about the sender, for enrichment: its address and user agent. */
public record RequestFacts(String clientIp, Optional<String> forwardedFor, Optional<String> userAgent, boolean historicalMigration) {
    public static RequestFacts none() {
        return new RequestFacts("", Optional.empty(), Optional.empty(), false);
    }
}
