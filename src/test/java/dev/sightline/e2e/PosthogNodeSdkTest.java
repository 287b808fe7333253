package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The official posthog-node SDK (e2e/node-sdk.mjs), unmodified, against a real Sightline server. */
class PosthogNodeSdkTest {

    @Test
    void everyCallOfTheNodeSdkIsStoredAsSent() {
        try (TestServer server = TestServer.start()) {
            JsonNode run = SdkScript.run("node-sdk.mjs", server, Duration.ofSeconds(60));

            assertThat(run.get("requests")).as("posthog-node posts gzip JSON batches").isNotEmpty().allSatisfy(request -> {
                assertThat(request.get("path").asText()).isEqualTo("/batch/");
                assertThat(request.get("contentEncoding").asText()).isEqualTo("gzip");
                assertThat(request.get("shape").asText()).isEqualTo("gzip-header");
                assertThat(request.get("status").asInt()).isEqualTo(200);
            });

            JsonNode ids = run.get("distinctIds");
            String user = ids.get("user").asText();
            String groupDistinctId = "$company_" + ids.get("company").asText();
            Map<String, JsonNode> sent = SentEvents.byUuid(run.get("events"));
            Map<String, JsonNode> stored = StoredEvents.awaitUuids(server, List.of(user, groupDistinctId), sent.keySet());
            assertThat(stored).as("exactly the events sent, once each").hasSameSizeAs(sent);
            sent.forEach((uuid, event) -> SentEvents.assertStoredAsSent(event, stored.get(uuid)));

            JsonNode order = named(stored, "node order placed");
            assertThat(order.get("distinct_id").asText()).isEqualTo(user);
            assertThat(order.at("/properties/plan").asText()).isEqualTo("pro");
            assertThat(order.at("/properties/amount").decimalValue()).isEqualByComparingTo("42.5");
            assertThat(order.at("/properties/coupon").isNull()).as("null property kept").isTrue();
            assertThat(order.at("/properties/tags")).extracting(JsonNode::asText).containsExactly("red", "blue");
            assertThat(order.at("/properties/shipping/city").asText()).isEqualTo("Zürich");
            assertThat(order.at("/properties/note").asText()).isEqualTo("ünïcödé ✓ 字");
            assertThat(order.at("/properties/$groups/company").asText()).isEqualTo(ids.get("company").asText());
            assertThat(order.at("/properties/$lib").asText()).isEqualTo("posthog-node");
            assertThat(order.at("/properties/$lib_version").asText()).isEqualTo("5.70.0");

            JsonNode identify = named(stored, "$identify");
            assertThat(identify.get("distinct_id").asText()).isEqualTo(user);
            assertThat(identify.at("/properties/$set/email").asText()).isEqualTo(user + "@example.com");
            assertThat(identify.at("/properties/$set_once/first_seen_via").asText()).isEqualTo("posthog-node");

            JsonNode alias = named(stored, "$create_alias");
            assertThat(alias.get("distinct_id").asText()).isEqualTo(user);
            assertThat(alias.at("/properties/alias").asText()).isEqualTo(ids.get("alias").asText());

            JsonNode group = named(stored, "$groupidentify");
            assertThat(group.get("distinct_id").asText()).isEqualTo(groupDistinctId);
            assertThat(group.at("/properties/$group_type").asText()).isEqualTo("company");
            assertThat(group.at("/properties/$group_key").asText()).isEqualTo(ids.get("company").asText());
            assertThat(group.at("/properties/$group_set/name").asText()).isEqualTo("Acme Inc");
            assertThat(group.at("/properties/$group_set/employees").asInt()).isEqualTo(42);

            JsonNode person = StoredEvents.awaitPerson(server, List.of(user, ids.get("alias").asText()));
            assertThat(person.at("/properties/email").asText()).isEqualTo(user + "@example.com");
            assertThat(person.at("/properties/first_seen_via").asText()).isEqualTo("posthog-node");
        }
    }

    static JsonNode named(Map<String, JsonNode> events, String name) {
        return events.values().stream().filter(e -> e.get("event").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no stored event named " + name));
    }
}
