package dev.sightline.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.Set;

/**
 * Fills {@code $browser}, {@code $browser_version}, {@code $os}, {@code $os_version} and
 * {@code $device_type} where the event lacks them, and sets {@code $is_bot: true} on events whose
 * user agent is a crawler, monitor, HTTP library or headless browser.
 */
final class UserAgentEnrichment {

    // The request of a server SDK carries the SDK's own user agent, not the visitor's.
    private static final Set<String> SERVER_LIBS = Set.of(
            "posthog-node", "posthog-server", "posthog-java", "posthog-python", "posthog-ruby",
            "posthog-go", "posthog-php", "posthog-dotnet", "posthog-rs", "posthog-elixir");

    private final UserAgentParser parser;

    UserAgentEnrichment(UserAgentParser parser) {
        this.parser = parser;
    }

    void apply(ObjectNode properties, RequestFacts request) {
        userAgent(properties, request).flatMap(parser::parse).ifPresent(facts -> write(properties, facts));
    }

    static Optional<String> userAgent(ObjectNode properties, RequestFacts request) {
        JsonNode raw = properties.get("$raw_user_agent");
        if (raw != null && raw.isTextual() && !raw.asText().isBlank()) {
            return Optional.of(raw.asText());
        }
        if (fromServerSdk(properties)) {
            return Optional.empty();
        }
        return request.userAgent().filter(ua -> !ua.isBlank());
    }

    private static boolean fromServerSdk(ObjectNode properties) {
        JsonNode lib = properties.get("$lib");
        return properties.path("$is_server").asBoolean(false)
                || (lib != null && SERVER_LIBS.contains(lib.asText()));
    }

    private static void write(ObjectNode p, DeviceFacts facts) {
        // The version only goes with a browser (or OS) name we wrote ourselves, so the pair agrees.
        if (!p.has("$browser") && facts.browser().isPresent()) {
            p.put("$browser", facts.browser().get());
            facts.browserVersion().filter(v -> !p.has("$browser_version")).ifPresent(v -> putNumber(p, v));
        }
        if (!p.has("$os") && facts.os().isPresent()) {
            p.put("$os", facts.os().get());
            facts.osVersion().filter(v -> !p.has("$os_version")).ifPresent(v -> p.put("$os_version", v));
        }
        if (!p.has("$device_type")) {
            facts.deviceType().ifPresent(t -> p.put("$device_type", t));
        }
        if (facts.bot() && !p.has("$is_bot")) {
            p.put("$is_bot", true);
        }
    }

    private static void putNumber(ObjectNode p, double version) {
        // 120 rather than 120.0, as posthog-js's JSON has it.
        if (version == Math.rint(version) && Math.abs(version) < 1e9) {
            p.put("$browser_version", (long) version);
        } else {
            p.put("$browser_version", version);
        }
    }
}
