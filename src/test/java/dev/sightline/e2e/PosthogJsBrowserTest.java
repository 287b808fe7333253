package dev.sightline.e2e;

import static dev.sightline.e2e.PosthogNodeSdkTest.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.sightline.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The official posthog-js SDK, unmodified, in Debian's chromium on a page of another origin
 * (e2e/browser.mjs), against a real Sightline server: remote config, flags, and capture by fetch
 * (gzip as text/plain, and JSON after a CORS preflight) and by sendBeacon (on pagehide, and base64
 * form data).
 */
class PosthogJsBrowserTest {
    private static final String CAPTURE_PATH = "^/(e|i/v0/e)/(\\?.*)?$";

    @Test
    void everyEventOfABrowserVisitIsStoredAsSent() {
        try (TestServer server = TestServer.start()) {
            JsonNode run = SdkScript.run("browser.mjs", server, Duration.ofSeconds(120));
            List<JsonNode> requests = new ArrayList<>();
            run.get("requests").forEach(requests::add);

            assertThat(run.get("consoleErrors")).as("errors in the browser console (CORS, SDK)").isEmpty();
            assertThat(requests).as("every request to the server answered with success")
                    .allSatisfy(r -> assertThat(r.get("status").asInt()).isBetween(200, 299));
            assertThat(requests).as("remote config loaded from the server")
                    .anySatisfy(r -> assertThat(r.get("path").asText()).startsWith("/array/" + server.token() + "/config"));
            assertThat(requests).as("flags asked of the server")
                    .anySatisfy(r -> assertThat(r.get("path").asText()).startsWith("/flags/"));
            assertThat(requests).as("a gzip batch sent by fetch as text/plain, recognised by its magic bytes")
                    .anyMatch(capture(r -> r.get("resourceType").asText().equals("fetch")
                            && r.get("contentType").asText().equals("text/plain")
                            && r.get("shape").asText().equals("gzip-magic")));
            assertThat(requests).as("a JSON batch sent by fetch after a CORS preflight")
                    .anyMatch(capture(r -> r.get("resourceType").asText().equals("fetch")
                            && r.get("contentType").asText().equals("application/json")
                            && r.get("shape").asText().equals("json")));
            assertThat(requests).as("a sendBeacon of base64 form data")
                    .anyMatch(capture(r -> r.get("resourceType").asText().equals("ping")
                            && r.get("contentType").asText().equals("application/x-www-form-urlencoded")
                            && r.get("path").asText().contains("compression=base64")));

            String anonymous = run.at("/distinctIds/anonymous").asText();
            String user = run.at("/distinctIds/user").asText();
            Map<String, JsonNode> sent = SentEvents.byUuid(run.get("events"));
            assertThat(sent.values()).extracting(e -> e.get("event").asText()).containsExactly(
                    "$pageview", "browser product viewed", "$identify", "browser signed up",
                    "$pageleave", "$pageview", "browser checkout started");
            Map<String, JsonNode> stored = StoredEvents.awaitUuids(server, List.of(anonymous, user), sent.keySet());
            assertThat(stored).as("exactly the events sent, once each").hasSameSizeAs(sent);
            sent.forEach((uuid, event) -> SentEvents.assertStoredAsSent(event, stored.get(uuid)));

            String siteUrl = run.get("siteUrl").asText();
            JsonNode viewed = named(stored, "browser product viewed");
            assertThat(sentBy(sent, viewed)).isEqualTo("fetch:gzip-magic");
            assertThat(viewed.get("distinct_id").asText()).isEqualTo(anonymous);
            assertThat(viewed.at("/properties/sku").asText()).isEqualTo("SKU-42");
            assertThat(viewed.at("/properties/price").decimalValue()).isEqualByComparingTo("19.99");
            assertThat(viewed.at("/properties/colors")).extracting(JsonNode::asText).containsExactly("red", "green");
            assertThat(viewed.at("/properties/dimensions/h").asInt()).isEqualTo(20);
            assertThat(viewed.at("/properties/$process_person_profile")).as("personless flag kept").isEqualTo(BooleanNode.FALSE);
            // Facts the browser computed for itself.
            assertThat(viewed.at("/properties/$lib").asText()).isEqualTo("web");
            assertThat(viewed.at("/properties/$lib_version").asText()).isEqualTo("1.449.2");
            assertThat(viewed.at("/properties/$browser").asText()).isEqualTo("Chrome");
            assertThat(viewed.at("/properties/$browser_version").asInt()).isEqualTo(run.get("browserVersion").asInt());
            assertThat(viewed.at("/properties/$os").asText()).isEqualTo("Linux");
            assertThat(viewed.at("/properties/$device_type").asText()).isEqualTo("Desktop");
            assertThat(viewed.at("/properties/$timezone").asText()).isEqualTo("Europe/Zurich");
            assertThat(viewed.at("/properties/$viewport_width").asInt()).isEqualTo(1280);
            assertThat(viewed.at("/properties/$current_url").asText())
                    .isEqualTo(siteUrl + "/shop?utm_source=sightline-e2e&utm_campaign=launch");
            assertThat(viewed.at("/properties/$pathname").asText()).isEqualTo("/shop");
            assertThat(viewed.at("/properties/$referrer").asText()).isEqualTo("https://www.example.org/blog/post");
            assertThat(viewed.at("/properties/$referring_domain").asText()).isEqualTo("www.example.org");
            assertThat(viewed.at("/properties/utm_source").asText()).isEqualTo("sightline-e2e");
            assertThat(viewed.at("/properties/$session_id").asText()).isNotBlank();
            assertThat(viewed.at("/properties/$device_id").asText()).isEqualTo(anonymous);

            JsonNode identify = named(stored, "$identify");
            assertThat(identify.get("distinct_id").asText()).isEqualTo(user);
            assertThat(identify.at("/properties/$anon_distinct_id").asText()).isEqualTo(anonymous);
            assertThat(identify.at("/properties/$set/email").asText()).isEqualTo(user + "@example.com");
            assertThat(identify.at("/properties/$set/plan").asText()).isEqualTo("free");
            assertThat(identify.at("/properties/$set_once/first_visit_page").asText()).isEqualTo("shop");
            assertThat(identify.at("/properties/$set_once/$initial_utm_source").asText()).isEqualTo("sightline-e2e");

            JsonNode signedUp = named(stored, "browser signed up");
            assertThat(signedUp.get("distinct_id").asText()).isEqualTo(user);
            assertThat(signedUp.at("/properties/$user_id").asText()).isEqualTo(user);
            assertThat(sent.get(signedUp.get("uuid").asText()).at("/properties/$process_person_profile").asBoolean()).isTrue();

            JsonNode pageleave = named(stored, "$pageleave");
            assertThat(sentBy(sent, pageleave)).as("$pageleave goes out during pagehide").isEqualTo("sendBeacon");
            assertThat(pageleave.get("distinct_id").asText()).isEqualTo(user);
            assertThat(pageleave.at("/properties/$pathname").asText()).isEqualTo("/shop");

            JsonNode secondView = stored.get(sent.values().stream().filter(e -> e.get("event").asText().equals("$pageview"))
                    .toList().getLast().get("uuid").asText());
            assertThat(sentBy(sent, secondView)).isEqualTo("fetch:json");
            assertThat(secondView.at("/properties/$pathname").asText()).isEqualTo("/checkout");

            JsonNode checkout = named(stored, "browser checkout started");
            assertThat(sentBy(sent, checkout)).isEqualTo("sendBeacon");
            assertThat(checkout.get("distinct_id").asText()).isEqualTo(user);
            assertThat(checkout.at("/properties/cart_total").decimalValue()).isEqualByComparingTo("59.97");
            assertThat(checkout.at("/properties/currency").asText()).isEqualTo("CHF");
            assertThat(checkout.at("/properties/$current_url").asText()).isEqualTo(siteUrl + "/checkout");

            // identify() joined the anonymous visitor and the user into one person.
            JsonNode person = StoredEvents.awaitPerson(server, List.of(user, anonymous));
            assertThat(person.get("is_identified").asBoolean()).isTrue();
            assertThat(person.at("/properties/email").asText()).isEqualTo(user + "@example.com");
            assertThat(person.at("/properties/first_visit_page").asText()).isEqualTo("shop");
            assertThat(person.at("/properties/$initial_utm_source").asText()).isEqualTo("sightline-e2e");
            assertThat(checkout.get("person_id").asText()).isEqualTo(person.get("uuid").asText());
            assertThat(checkout.at("/person_properties/email").asText()).isEqualTo(user + "@example.com");
        }
    }

    private static Predicate<JsonNode> capture(Predicate<JsonNode> shape) {
        return r -> r.get("method").asText().equals("POST") && r.get("path").asText().matches(CAPTURE_PATH)
                && r.get("status").asInt() / 100 == 2 && shape.test(r);
    }

    private static String sentBy(Map<String, JsonNode> sent, JsonNode stored) {
        return sent.get(stored.get("uuid").asText()).get("sentBy").asText();
    }
}
