package dev.sightline.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.enrich.EnrichConfig.IpStorage;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The public entry, all steps together, as the pipeline calls it. */
class EnricherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final String LONDON = "81.2.69.142";

    private static Enricher enricher(EnrichConfig config) {
        return new Enricher(config, SharedParser.INSTANCE);
    }

    private static EventFacts event(String name, String distinctId) {
        return new EventFacts(1, distinctId, name, NOW);
    }

    private static void assumeGeoIp() {
        assumeTrue(Files.isDirectory(EnrichConfig.DEFAULT_GEOIP_PATH.resolve("@ip-location-db")),
                "GeoIP database not installed: run scripts/geoip-db");
    }

    @Test
    void aCurlEventGetsEverythingTheServerCanWorkOut() throws Exception {
        assumeGeoIp();
        try (Enricher enricher = enricher(EnrichConfig.defaults())) {
            ObjectNode p = JSON.createObjectNode();
            enricher.enrich(p, event("signed_up", "user-1"), RequestFacts.of(LONDON, "curl/8.4.0"));

            // curl is the HTTP client, not a visitor: no browser facts, and not a bot
            assertThat(p.has("$is_bot")).isFalse();
            assertThat(p.has("$browser")).isFalse();
            assertThat(p.get("$geoip_country_code").asText()).isEqualTo("GB");
            assertThat(p.get("$geoip_city_name").asText()).isEqualTo("London");
            assertThat(p.get("$ip").asText()).isEqualTo(LONDON);
            assertThat(p.at("/$set/$geoip_country_code").asText()).isEqualTo("GB");
            assertThat(p.at("/$set_once/$initial_geoip_city_name").asText()).isEqualTo("London");
            assertThat(p.get("$session_id").asText()).hasSize(36);
            assertThat(p.has("$referring_domain")).as("no web context, no attribution").isFalse();
        }
    }

    @Test
    void aPersonlessEventGetsItsLocationButNoPersonUpdates() throws Exception {
        assumeGeoIp();
        try (Enricher enricher = enricher(EnrichConfig.defaults())) {
            ObjectNode p = (ObjectNode) JSON.readTree("{\"$process_person_profile\": false}");
            enricher.enrich(p, event("$pageview", "anon-1"), RequestFacts.of(LONDON, "curl/8.4.0"));
            assertThat(p.get("$geoip_country_code").asText()).isEqualTo("GB");
            assertThat(p.has("$set")).isFalse();
            assertThat(p.has("$set_once")).isFalse();
        }
    }

    @Test
    void aBrowserEventKeepsItsOwnValues() throws Exception {
        assumeGeoIp();
        ObjectNode p = (ObjectNode) JSON.readTree("""
                {"$lib":"web","$browser":"Firefox","$browser_version":133,"$os":"Linux","$device_type":"Desktop",
                 "$raw_user_agent":"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                 "$current_url":"https://example.com/?utm_source=newsletter&utm_medium=email",
                 "$referrer":"$direct","$referring_domain":"$direct",
                 "$session_id":"0194e6a0-0000-7000-8000-000000000001",
                 "$set_once":{"$initial_geoip_city_name":"Paris"}}
                """);
        try (Enricher enricher = enricher(EnrichConfig.defaults())) {
            enricher.enrich(p, event("$pageview", "anon-1"), RequestFacts.of(LONDON, "ignored"));
        }
        assertThat(p.get("$browser").asText()).isEqualTo("Firefox");
        assertThat(p.get("$session_id").asText()).isEqualTo("0194e6a0-0000-7000-8000-000000000001");
        assertThat(p.get("utm_medium").asText()).isEqualTo("email");
        assertThat(p.get("$channel_type").asText()).isEqualTo("Email");
        assertThat(p.get("$geoip_country_name").asText()).isEqualTo("United Kingdom");
        assertThat(p.at("/$set_once/$initial_geoip_city_name").asText()).isEqualTo("Paris");
    }

    @Test
    void serverSdkEventsGetASessionButNoGuessesAboutTheVisitor() {
        ObjectNode p = JSON.createObjectNode().put("$lib", "posthog-node").put("$is_server", true)
                .put("$geoip_disable", true);
        try (Enricher enricher = enricher(EnrichConfig.defaults())) {
            enricher.enrich(p, event("order_paid", "user-1"), RequestFacts.of(LONDON, "posthog-node/5.70.0"));
        }
        assertThat(p.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("$lib", "$is_server", "$geoip_disable", "$ip", "$session_id");
    }

    @Test
    void personAndGroupEventsGetNoSession() {
        try (Enricher enricher = enricher(EnrichConfig.defaults())) {
            for (String name : List.of("$groupidentify", "$create_alias", "$merge_dangerously", "$set")) {
                ObjectNode p = JSON.createObjectNode();
                enricher.enrich(p, event(name, "user-1"), RequestFacts.of(LONDON, null));
                assertThat(p.has("$session_id")).as(name).isFalse();
            }
        }
    }

    @Test
    void serverSessionsCanBeTurnedOff() {
        try (Enricher enricher = enricher(EnrichConfig.defaults().withServerSessions(false))) {
            ObjectNode p = JSON.createObjectNode();
            enricher.enrich(p, event("x", "user-1"), RequestFacts.of(LONDON, null));
            assertThat(p.has("$session_id")).isFalse();
        }
    }

    @Test
    void ipsCanBeDroppedOrTruncatedAfterTheLookup() {
        assumeGeoIp();
        try (Enricher none = enricher(EnrichConfig.defaults().withIpStorage(IpStorage.NONE));
             Enricher truncated = enricher(EnrichConfig.defaults().withIpStorage(IpStorage.TRUNCATED))) {
            ObjectNode dropped = JSON.createObjectNode().put("$ip", LONDON);
            none.enrich(dropped, event("x", "u"), RequestFacts.of("10.0.0.1", null));
            assertThat(dropped.has("$ip")).isFalse();
            assertThat(dropped.get("$geoip_city_name").asText()).isEqualTo("London");

            ObjectNode v6 = JSON.createObjectNode();
            truncated.enrich(v6, event("x", "u"), RequestFacts.of("2a00:1450:4001:80b::200e", null));
            assertThat(v6.get("$ip").asText()).isEqualTo("2a00:1450:4001::");
            assertThat(v6.get("$geoip_country_code").asText()).isEqualTo("DE");
        }
    }

    @Test
    void forwardedForCountsOnlyBehindATrustedProxy() {
        assumeGeoIp();
        RequestFacts viaProxy = RequestFacts.of("10.0.0.1", null).withForwardedFor(LONDON);
        try (Enricher trusting = enricher(EnrichConfig.defaults().withTrustedProxies(List.of("10.0.0.0/8")));
             Enricher plain = enricher(EnrichConfig.defaults())) {
            ObjectNode behind = JSON.createObjectNode();
            trusting.enrich(behind, event("x", "u"), viaProxy);
            assertThat(behind.get("$ip").asText()).isEqualTo(LONDON);
            assertThat(behind.get("$geoip_country_code").asText()).isEqualTo("GB");

            ObjectNode direct = JSON.createObjectNode();
            plain.enrich(direct, event("x", "u"), viaProxy);
            assertThat(direct.get("$ip").asText()).isEqualTo("10.0.0.1");
            assertThat(direct.has("$geoip_country_code")).isFalse();
        }
    }

    @Test
    void runsWithoutAGeoIpDatabase() {
        try (Enricher enricher = enricher(EnrichConfig.defaults().withGeoIpPath(Path.of("target", "no-geoip")))) {
            ObjectNode p = JSON.createObjectNode();
            enricher.enrich(p, event("x", "u"), RequestFacts.of(LONDON, null));
            assertThat(enricher.geoIpFiles()).isEmpty();
            assertThat(p.get("$ip").asText()).isEqualTo(LONDON);
            assertThat(p.has("$geoip_country_code")).isFalse();
        }
    }

    @Test
    void aBadTrustedProxyIsRejectedWithTheConfig() {
        assertThatThrownBy(() -> EnrichConfig.defaults().withTrustedProxies(List.of("10.0.0.0/8", "proxy.internal")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
    }
}
