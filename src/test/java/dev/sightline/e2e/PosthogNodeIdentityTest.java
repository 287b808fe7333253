package dev.sightline.e2e;

import static dev.sightline.e2e.PosthogJsTwoDevicesTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Identity flows of the official posthog-node SDK (e2e/node-identity.mjs) against a real server:
 * the persons they leave must be exactly those PostHog's rules (posthog-semantics.md §2.4–2.6)
 * predict. The expected persons are written out below, each with the rule that makes it so.
 *
 * <p>posthog-node has no call for every case: an anonymous visitor is simply a distinct id it
 * captures for (server SDKs process persons unless told otherwise); $anon_distinct_id goes into
 * identify()'s properties, which the SDK moves into the $identify event.
 */
class PosthogNodeIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One expected person: its distinct ids, whether it is identified, and its non-$ properties, exactly. */
    private record Expected(String name, List<String> distinctIds, boolean identified, Map<String, Object> properties) {}

    @Test
    void identifyAliasRefusalsBlockedIdsAndPropertyOrderLeaveThePersonsTheRulesPredict() throws Exception {
        try (TestServer server = TestServer.start()) {
            JsonNode run = SdkScript.run("node-identity.mjs", server, Duration.ofSeconds(60));
            String r = run.get("run").asText();
            Map<String, JsonNode> sent = SentEvents.byUuid(run.get("events"));

            List<Expected> expected = List.of(
                    // anon-1 captured first (a person, not identified); identify u1 with $anon_distinct_id
                    // anon-1: u1 joins that person (§2.4, one person exists), which becomes identified.
                    // alias u1-old: joins too. alias anon-3 (a person of its own, not identified): merged
                    // into u1's person, u1's values winning conflicts (plan), anon-3's new keys kept (shoe_size).
                    // alias u2 and alias 'null' change nothing here.
                    new Expected("u1", List.of("anon-1-" + r, "u1-" + r, "u1-old-" + r, "anon-3-" + r), true, props(
                            // $set_once of the first event; later $set_once (second capture, identify, plan changed) ignored
                            "first_source", "ad",
                            // $set: free → trial → pro (identify) → team → business ($set event); anon-3's
                            // enterprise-trial lost to u1's value at the merge
                            "plan", "business",
                            // color: $set on the first event, removed by $unset
                            "email", "u1-" + r + "@example.com",
                            "signup_via", "posthog-node",
                            "shoe_size", 44,
                            // seats: $set and $set_once in one event, $set wins
                            "seats", 5,
                            // first_plan_change: $set_once in 'plan changed', the later $set_once ignored
                            "first_plan_change", "team")),
                    // identify u2 with anon-2, neither known: one new identified person with both (§2.4).
                    // alias(u1, u2) would merge u2's identified person away: refused (cannot_merge_already_identified).
                    new Expected("u2", List.of("u2-" + r, "anon-2-" + r), true, props("email", "u2-" + r + "@example.com")),
                    // 'null' is a blocked id (§2.5): it still gets a person from its capture, but alias(u1,
                    // 'null') does not merge it, and nothing identifies it.
                    new Expected("null", List.of("null"), false, props("from_null", true)),
                    // identify with $anon_distinct_id 'undefined' (blocked): no merge, and, since the merge
                    // was skipped for an illegal id, the person is not marked identified (§2.4).
                    new Expected("u3", List.of("u3-" + r), false, props("name", "Three")));

            // Wait until everything sent is stored (the last event is u1's $unset).
            StoredEvents.awaitUuids(server, List.of("u1-" + r, "anon-1-" + r, "anon-3-" + r, "u2-" + r, "null", "u3-" + r), sent.keySet());

            Map<String, String> personUuids = new LinkedHashMap<>();
            for (Expected person : expected) {
                JsonNode actual = StoredEvents.awaitPerson(server, person.distinctIds());
                personUuids.put(person.name(), actual.get("uuid").asText());
                for (String id : person.distinctIds()) {
                    assertThat(personOf(server, id)).as("person of " + id).hasSize(1)
                            .first().extracting(p -> p.get("uuid").asText()).isEqualTo(actual.get("uuid").asText());
                }
                assertThat(texts(actual.get("distinct_ids"))).as(person.name() + ": distinct ids")
                        .containsExactlyInAnyOrderElementsOf(person.distinctIds());
                assertThat(actual.get("is_identified").asBoolean()).as(person.name() + ": is_identified").isEqualTo(person.identified());
                Map<String, Object> custom = new TreeMap<>();
                for (Map.Entry<String, JsonNode> p : actual.get("properties").properties()) {
                    if (!p.getKey().startsWith("$")) custom.put(p.getKey(), JSON.treeToValue(p.getValue(), Object.class));
                }
                assertThat(custom).as(person.name() + ": properties").isEqualTo(new TreeMap<>(person.properties()));
            }
            assertThat(personUuids.values()).as("four different persons").doesNotHaveDuplicates();
            assertThat(personOf(server, "undefined")).as("the blocked id 'undefined' got no person").isEmpty();

            // Merge history: of u1's joins only the alias of anon-3 moved ids between persons (anon-1's
            // person is u1's; u1 and u1-old had no person or events of their own).
            JsonNode aliasAnon3 = sent.values().stream()
                    .filter(e -> e.get("event").asText().equals("$create_alias") && e.at("/properties/alias").asText().equals("anon-3-" + r))
                    .findFirst().orElseThrow();
            JsonNode anon3Event = sent.values().stream().filter(e -> e.get("distinct_id").asText().equals("anon-3-" + r)).findFirst().orElseThrow();
            String anon3Person = server.getJson(events(server) + anon3Event.get("uuid").asText() + "/").get("person_id").asText();
            assertThat(anon3Person).isNotEqualTo(personUuids.get("u1"));
            JsonNode merges = server.getJson(persons(server) + personUuids.get("u1") + "/merges/").get("results");
            assertThat(merges).as("merge history of u1").singleElement().satisfies(m -> {
                assertThat(m.get("rule").asText()).isEqualTo("$create_alias");
                assertThat(m.get("event_uuid").asText()).isEqualTo(aliasAnon3.get("uuid").asText());
                assertThat(texts(m.get("distinct_ids"))).containsExactly("anon-3-" + r);
                assertThat(m.get("source_person_id").asText()).isEqualTo(anon3Person);
                assertThat(m.get("target_person_id").asText()).isEqualTo(personUuids.get("u1"));
            });
            for (String other : List.of("u2", "null", "u3")) {
                assertThat(server.getJson(persons(server) + personUuids.get(other) + "/merges/").get("results"))
                        .as("merge history of " + other).isEmpty();
            }
        }
    }

    private static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) out.put((String) keyValues[i], keyValues[i + 1]);
        return out;
    }

    private static List<JsonNode> personOf(TestServer server, String distinctId) {
        List<JsonNode> out = new java.util.ArrayList<>();
        server.getJson(persons(server) + "?distinct_id=" + URLEncoder.encode(distinctId, StandardCharsets.UTF_8)).get("results").forEach(out::add);
        return out;
    }

    private static String persons(TestServer server) {
        return "/api/projects/" + server.projectId() + "/persons/";
    }

    private static String events(TestServer server) {
        return "/api/projects/" + server.projectId() + "/events/";
    }
}
