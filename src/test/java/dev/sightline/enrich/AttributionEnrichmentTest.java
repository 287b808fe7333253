package dev.sightline.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttributionEnrichmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AttributionEnrichment attribution = new AttributionEnrichment();

    @Test
    void readsCampaignParametersAndClickIdsFromTheUrl() {
        ObjectNode p = JSON.createObjectNode()
                .put("$current_url", "https://shop.example.com/p?utm_source=Google&utm_medium=cpc"
                        + "&utm_campaign=spring%20sale&utm_term=red+shoes&gclid=abc123&msclkid=m1&_kx=k&x=1#top")
                .put("$referrer", "https://www.google.com/");
        attribution.apply(p);
        assertThat(p.get("utm_source").asText()).isEqualTo("Google");
        assertThat(p.get("utm_medium").asText()).isEqualTo("cpc");
        assertThat(p.get("utm_campaign").asText()).isEqualTo("spring sale");
        assertThat(p.get("utm_term").asText()).isEqualTo("red shoes");
        assertThat(p.get("gclid").asText()).isEqualTo("abc123");
        assertThat(p.get("msclkid").asText()).isEqualTo("m1");
        assertThat(p.get("_kx").asText()).isEqualTo("k");
        assertThat(p.has("x")).isFalse();
        assertThat(p.get("$referring_domain").asText()).isEqualTo("www.google.com");
        assertThat(p.get("$channel_type").asText()).isEqualTo("Paid Search");
    }

    @Test
    void keepsWhatTheSdkAlreadySent() {
        ObjectNode p = JSON.createObjectNode()
                .put("$current_url", "https://example.com/?utm_source=newsletter&utm_medium=email")
                .put("utm_source", "sdk-value").put("$referrer", "$direct").put("$referring_domain", "$direct");
        attribution.apply(p);
        assertThat(p.get("utm_source").asText()).isEqualTo("sdk-value");
        assertThat(p.get("utm_medium").asText()).isEqualTo("email");
        assertThat(p.get("$channel_type").asText()).isEqualTo("Email");
    }

    @Test
    void noReferrerIsDirect() {
        ObjectNode p = JSON.createObjectNode().put("$current_url", "https://example.com/pricing");
        attribution.apply(p);
        assertThat(p.get("$referring_domain").asText()).isEqualTo("$direct");
        assertThat(p.get("$channel_type").asText()).isEqualTo("Direct");
    }

    @Test
    void referringDomainOfOddReferrers() {
        assertThat(AttributionEnrichment.referringDomain("https://User:pw@Sub.Example.COM:8443/a?b#c")).isEqualTo("sub.example.com");
        assertThat(AttributionEnrichment.referringDomain("android-app://com.google.android.gm/")).isEqualTo("com.google.android.gm");
        assertThat(AttributionEnrichment.referringDomain("$direct")).isEqualTo("$direct");
        assertThat(AttributionEnrichment.referringDomain("not a url")).isEqualTo("$direct");
    }

    @Test
    void survivesUrlsThatJavaNetUriRejects() {
        ObjectNode p = JSON.createObjectNode()
                .put("$current_url", "https://example.com/search?q=a|b c&utm_source=bad%zz&utm_medium=social");
        attribution.apply(p);
        assertThat(p.get("utm_source").asText()).isEqualTo("bad%zz");
        assertThat(p.get("$channel_type").asText()).isEqualTo("Organic Social");
    }

    @Test
    void leavesServerEventsAlone() {
        ObjectNode p = JSON.createObjectNode().put("$lib", "posthog-node").put("plan", "pro");
        attribution.apply(p);
        assertThat(p.toString()).isEqualTo("{\"$lib\":\"posthog-node\",\"plan\":\"pro\"}");
    }
}
