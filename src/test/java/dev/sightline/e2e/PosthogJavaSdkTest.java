package dev.sightline.e2e;

import static dev.sightline.e2e.PosthogNodeSdkTest.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.server.PostHog;
import com.posthog.server.PostHogCaptureOptions;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogInterface;
import dev.sightline.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The official Java server SDK (com.posthog:posthog-server), unmodified, against a real Sightline server. */
class PosthogJavaSdkTest {

    @Test
    void everyCallOfTheJavaSdkIsStored() {
        try (TestServer server = TestServer.start()) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String user = "java-user-" + run;
            String alias = "java-alias-" + run;
            String company = "acme-" + run;
            // An explicit timestamp an hour ago, to see it kept rather than replaced by the arrival time.
            Instant orderedAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

            // The SDK queues calls asynchronously, so flush() may catch only part of them: a short
            // flush interval sends the rest soon after, instead of after the default 30 s.
            PostHogInterface posthog = PostHog.Companion.with(PostHogConfig.Companion.builder(server.token())
                    .host(server.baseUrl()).flushIntervalSeconds(1).build());
            List<JsonNode> events;
            try {
                posthog.capture(user, "java order placed", PostHogCaptureOptions.Companion.builder()
                        .property("plan", "pro")
                        .property("amount", 42.5)
                        .property("quantity", 3)
                        .property("tags", List.of("red", "blue"))
                        .property("shipping", Map.of("city", "Zürich", "express", false))
                        .property("note", "ünïcödé ✓ 字")
                        .group("company", company)
                        .timestamp(orderedAt)
                        .build());
                posthog.identify(user, Map.of("email", user + "@example.com"), Map.of("first_seen_via", "posthog-server"));
                posthog.alias(user, alias);
                posthog.group(user, "company", company, Map.of("name", "Acme Inc", "employees", 42));
                posthog.flush();
                // close() right after flush() may drop the queue: wait for the server to have them.
                events = StoredEvents.awaitCount(server, user, 4);
            } finally {
                posthog.close();
            }

            Map<String, JsonNode> stored = events.stream().collect(Collectors.toMap(e -> e.get("uuid").asText(), Function.identity()));
            assertThat(events).extracting(e -> e.get("event").asText())
                    .containsExactlyInAnyOrder("java order placed", "$identify", "$create_alias", "$groupidentify");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.get("distinct_id").asText()).isEqualTo(user);
                assertThat(UUID.fromString(e.get("uuid").asText())).isNotNull();
                assertThat(e.at("/properties/$lib").asText()).isEqualTo("posthog-server");
                assertThat(e.at("/properties/$lib_version").asText()).isNotBlank();
            });

            JsonNode order = named(stored, "java order placed");
            assertThat(Duration.between(orderedAt, Instant.parse(order.get("timestamp").asText())).abs())
                    .as("the timestamp the SDK was given").isLessThanOrEqualTo(SentEvents.CLOCK_TOLERANCE);
            assertThat(order.at("/properties/plan").asText()).isEqualTo("pro");
            assertThat(order.at("/properties/amount").decimalValue()).isEqualByComparingTo("42.5");
            assertThat(order.at("/properties/quantity").asInt()).isEqualTo(3);
            assertThat(order.at("/properties/tags")).extracting(JsonNode::asText).containsExactly("red", "blue");
            assertThat(order.at("/properties/shipping/city").asText()).isEqualTo("Zürich");
            assertThat(order.at("/properties/shipping/express").isBoolean()).isTrue();
            assertThat(order.at("/properties/note").asText()).isEqualTo("ünïcödé ✓ 字");
            assertThat(order.at("/properties/$groups/company").asText()).isEqualTo(company);

            JsonNode identify = named(stored, "$identify");
            assertThat(identify.at("/properties/$set/email").asText()).isEqualTo(user + "@example.com");
            assertThat(identify.at("/properties/$set_once/first_seen_via").asText()).isEqualTo("posthog-server");

            assertThat(named(stored, "$create_alias").at("/properties/alias").asText()).isEqualTo(alias);

            JsonNode group = named(stored, "$groupidentify");
            assertThat(group.at("/properties/$group_type").asText()).isEqualTo("company");
            assertThat(group.at("/properties/$group_key").asText()).isEqualTo(company);
            assertThat(group.at("/properties/$group_set/name").asText()).isEqualTo("Acme Inc");
            assertThat(group.at("/properties/$group_set/employees").asInt()).isEqualTo(42);

            JsonNode person = StoredEvents.awaitPerson(server, List.of(user, alias));
            assertThat(person.at("/properties/email").asText()).isEqualTo(user + "@example.com");
            assertThat(person.at("/properties/first_seen_via").asText()).isEqualTo("posthog-server");
        }
    }
}
