package dev.sightline.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * Fills {@code $browser}, {@code $browser_version}, {@code $os}, {@code $os_version} and
 * {@code $device_type} where the event lacks them, and sets {@code $is_bot: true} on events whose
 * user agent is a crawler, monitor, HTTP library or headless browser.
 *
 * <p>Whose user agent: the event's own {@code $raw_user_agent} (or {@code $user_agent}, as a backend
 * forwarding its visitor's may send it); else the request's User-Agent header, but only for browser
 * traffic (posthog-js, {@code $lib: "web"}). Everything else, server SDKs, scripts and curl, sends
 * the header of an HTTP client ("Python-urllib", "curl"), which is no visitor and would mark server
 * traffic as bots, to be dropped where a project drops bots.
 */
final class UserAgentEnrichment {

    private static final String BROWSER_LIB = "web";

    private final UserAgentParser parser;

    UserAgentEnrichment(UserAgentParser parser) {
        this.parser = parser;
    }

    void apply(ObjectNode properties, RequestFacts request) {
        userAgent(properties, request).flatMap(parser::parse).ifPresent(facts -> write(properties, facts));
    }

    static Optional<String> userAgent(ObjectNode properties, RequestFacts request) {
        for (String key : new String[] {"$raw_user_agent", "$user_agent"}) {
            JsonNode own = properties.get(key);
            if (own != null && own.isTextual() && !own.asText().isBlank()) {
                return Optional.of(own.asText());
            }
        }
        if (!BROWSER_LIB.equals(properties.path("$lib").asText(null))) {
            return Optional.empty();
        }
        return request.userAgent().filter(ua -> !ua.isBlank());
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
