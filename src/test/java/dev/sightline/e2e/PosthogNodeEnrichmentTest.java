package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server-side enrichment as a posthog-node user sees it (e2e/node-enrichment.mjs): events that
 * forward the visitor's {@code $ip} and {@code $raw_user_agent} come back with GeoIP from the DB-IP
 * database (scripts/geoip-db) and the browser, OS and device the user agent names (enrichment.md).
 * The browser side of the same promise (the browser's own values kept, no GeoIP for loopback) is
 * checked in {@link PosthogJsTwoDevicesTest}.
 */
class PosthogNodeEnrichmentTest {

    @Test
    void forwardedAddressAndUserAgentComeBackAsGeoIpBrowserOsAndDevice() {
        try (TestServer server = TestServer.start()) {
            StoredEvents.awaitUserAgentParser(server);
            JsonNode run = SdkScript.run("node-enrichment.mjs", server, Duration.ofSeconds(60));
            String r = run.get("run").asText();
            Map<String, JsonNode> sent = SentEvents.byUuid(run.get("events"));
            Map<String, JsonNode> stored = StoredEvents.awaitUuids(server, List.of("desktop-" + r, "phone-" + r, "private-" + r), sent.keySet());
            assertThat(stored).hasSameSizeAs(sent);
            sent.forEach((uuid, event) -> SentEvents.assertStoredAsSent(event, stored.get(uuid)));
            // posthog-node's default is $geoip_disable: true; the client was made with disableGeoip: false.
            assertThat(sent.values()).filteredOn(e -> !SentEvents.distinctId(e).startsWith("private-"))
                    .allSatisfy(e -> assertThat(e.at("/properties/$geoip_disable").isMissingNode()).isTrue());

            // A Windows desktop Chrome in London (IPv4).
            JsonNode desktop = of(stored, "desktop-" + r).get("properties");
            assertThat(desktop.get("$geoip_country_code").asText()).isEqualTo("GB");
            assertThat(desktop.get("$geoip_country_name").asText()).isEqualTo("United Kingdom");
            assertThat(desktop.get("$geoip_continent_code").asText()).isEqualTo("EU");
            assertThat(desktop.get("$browser").asText()).isEqualTo("Chrome");
            assertThat(desktop.get("$browser_version").decimalValue()).isEqualByComparingTo("126");
            assertThat(desktop.get("$os").asText()).isEqualTo("Windows");
            assertThat(desktop.get("$device_type").asText()).isEqualTo("Desktop");

            // An iPhone's Safari in Germany (IPv6).
            JsonNode phoneEvent = of(stored, "phone-" + r);
            JsonNode phone = phoneEvent.get("properties");
            assertThat(phone.get("$ip").asText()).isEqualTo("2a00:1450:4001:80b::200e");
            assertThat(phone.get("$geoip_country_code").asText()).isEqualTo("DE");
            assertThat(phone.get("$browser").asText()).isEqualTo("Mobile Safari");
            assertThat(phone.get("$browser_version").decimalValue()).isEqualByComparingTo("17.5");
            assertThat(phone.get("$os").asText()).isEqualTo("iOS");
            assertThat(phone.get("$device_type").asText()).isEqualTo("Mobile");
            // As in PostHog, GeoIP goes onto the person too: $geoip_* by $set, $initial_geoip_* by $set_once.
            assertThat(phoneEvent.at("/person_properties/$geoip_country_code").asText()).isEqualTo("DE");
            assertThat(phoneEvent.at("/person_properties/$initial_geoip_country_code").asText()).isEqualTo("DE");
            JsonNode phonePerson = StoredEvents.awaitPerson(server, List.of("phone-" + r));
            assertThat(phonePerson.at("/properties/$geoip_country_code").asText()).isEqualTo("DE");
            assertThat(phonePerson.at("/properties/$initial_geoip_country_code").asText()).isEqualTo("DE");
            assertThat(phonePerson.at("/properties/$device_type").asText()).isEqualTo("Mobile");

            // An event that asks for no GeoIP gets none, but still its user-agent facts.
            JsonNode optedOut = of(stored, "private-" + r).get("properties");
            assertThat(optedOut.get("$geoip_disable").asBoolean()).isTrue();
            assertThat(optedOut.properties()).extracting(Map.Entry::getKey).noneMatch(k -> k.startsWith("$geoip_") && !k.equals("$geoip_disable"));
            assertThat(optedOut.path("$set").properties()).extracting(Map.Entry::getKey).noneMatch(k -> k.contains("geoip"));
            assertThat(optedOut.get("$browser").asText()).isEqualTo("Chrome");
        }
    }

    private static JsonNode of(Map<String, JsonNode> stored, String distinctId) {
        return stored.values().stream().filter(e -> e.get("distinct_id").asText().equals(distinctId)).findFirst()
                .orElseThrow(() -> new AssertionError("no stored event of " + distinctId));
    }

}
