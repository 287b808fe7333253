package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.sightline.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One person on two devices (e2e/two-devices.mjs): posthog-js, unmodified, in two chromium contexts
 * of their own storage (a laptop, and a phone with the Facebook app's in-app browser), each browsing
 * anonymously with the default {@code person_profiles: 'identified_only'}, then both identifying as
 * the same user. PostHog's rules (posthog-semantics.md §2.3, §2.4, §3) say: the personless events
 * of each device carry the uuidv5 of its distinct id and no person properties; the first identify
 * creates the person under the laptop's personless uuid (no override needed); the second adds the
 * phone's id to that person, with an override re-attributing the phone's earlier events.
 *
 * <p>Also what enrichment may and may not do to browser events (enrichment.md): the browser's own
 * {@code $browser}, {@code $os}, {@code $device_type}, {@code $current_url} are kept as sent, and a
 * visitor on loopback gets no GeoIP.
 */
class PosthogJsTwoDevicesTest {

    @Test
    void twoAnonymousDevicesThatIdentifyAsOneUserBecomeOnePersonWithAllTheirEvents() {
        try (TestServer server = TestServer.start()) {
            // Browser facts must be kept even once the server can parse user agents: wait until it can.
            StoredEvents.awaitUserAgentParser(server);
            JsonNode run = SdkScript.run("two-devices.mjs", server, Duration.ofSeconds(120));
            assertThat(run.get("consoleErrors")).as("errors in the browser consoles").isEmpty();
            String user = run.get("user").asText();
            Device laptop = new Device(run.at("/devices/0"));
            Device phone = new Device(run.at("/devices/1"));

            // What posthog-js sent, as the rules below assume it (so a changed SDK shows here first).
            assertThat(laptop.anonymous).isNotEqualTo(phone.anonymous);
            for (Device device : List.of(laptop, phone)) {
                assertThat(device.identified).isEqualTo(user);
                assertThat(device.anonymousEvents).extracting(e -> e.get("event").asText())
                        .as(device.name + ": anonymous events").contains("$pageview").hasSizeGreaterThanOrEqualTo(3)
                        .filteredOn("$pageview"::equals).hasSizeGreaterThanOrEqualTo(2);
                assertThat(device.anonymousEvents).allSatisfy(e -> {
                    assertThat(SentEvents.distinctId(e)).isEqualTo(device.anonymous);
                    assertThat(e.at("/properties/$device_id").asText()).isEqualTo(device.anonymous);
                    assertThat(e.at("/properties/$process_person_profile")).isEqualTo(BooleanNode.FALSE);
                });
                assertThat(device.identify.at("/properties/$anon_distinct_id").asText()).isEqualTo(device.anonymous);
                assertThat(device.identify.at("/$set/email").asText()).isEqualTo(user);
            }

            // Every event stored as sent, whatever the server knows better (enrichment only fills gaps).
            Map<String, JsonNode> sent = new LinkedHashMap<>();
            laptop.all.forEach(e -> sent.put(e.get("uuid").asText(), e));
            phone.all.forEach(e -> sent.put(e.get("uuid").asText(), e));
            Map<String, JsonNode> stored = StoredEvents.awaitUuids(server, List.of(laptop.anonymous, phone.anonymous, user), sent.keySet());
            assertThat(stored).as("exactly the events sent, once each").hasSameSizeAs(sent);
            sent.forEach((uuid, event) -> SentEvents.assertStoredAsSent(event, stored.get(uuid)));

            // One person holds both devices and the user, whichever id it is asked by.
            JsonNode person = StoredEvents.awaitPerson(server, List.of(user, laptop.anonymous, phone.anonymous));
            String personUuid = person.get("uuid").asText();
            for (String id : List.of(user, laptop.anonymous, phone.anonymous)) {
                JsonNode results = server.getJson(persons(server) + "?distinct_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)).get("results");
                assertThat(results).as("persons of " + id).hasSize(1);
                assertThat(results.get(0).get("uuid").asText()).as("person of " + id).isEqualTo(personUuid);
                assertThat(texts(results.get(0).get("distinct_ids"))).as("distinct ids of the person of " + id)
                        .containsExactlyInAnyOrder(user, laptop.anonymous, phone.anonymous);
            }
            assertThat(person.get("is_identified").asBoolean()).isTrue();
            assertThat(person.at("/properties/email").asText()).isEqualTo(user);
            // $set_once from the first identify (the laptop's), $set from the last one (the phone's).
            assertThat(person.at("/properties/$initial_browser").asText()).isEqualTo(laptop.identify.at("/properties/$browser").asText());
            assertThat(person.at("/properties/$browser").asText()).isEqualTo(phone.identify.at("/properties/$browser").asText());

            // The personless events: no person properties, the uuidv5 of their own distinct id (§2.3).
            for (Device device : List.of(laptop, phone)) {
                Set<String> personIds = new HashSet<>();
                for (JsonNode e : device.anonymousEvents) {
                    JsonNode s = stored.get(e.get("uuid").asText());
                    assertThat(s.get("person_properties")).as(device.name + " " + s.get("event") + ": personless").isEmpty();
                    assertThat(s.at("/properties/$process_person_profile")).isEqualTo(BooleanNode.FALSE);
                    personIds.add(s.get("person_id").asText());
                }
                assertThat(personIds).as(device.name + ": one personless person id").hasSize(1);
                device.personlessUuid = personIds.iterator().next();
            }
            assertThat(laptop.personlessUuid).isNotEqualTo(phone.personlessUuid);
            // The events sent as the user carry the person and its properties.
            for (Device device : List.of(laptop, phone)) {
                JsonNode after = stored.get(device.signedIn.get("uuid").asText());
                assertThat(after.get("person_id").asText()).isEqualTo(personUuid);
                assertThat(after.at("/person_properties/email").asText()).isEqualTo(user);
            }

            // Every event of both devices, anonymous or not, is in the person's timeline.
            JsonNode timeline = server.getJson(persons(server) + personUuid + "/timeline/?limit=1000");
            assertThat(timeline.get("next").isNull()).isTrue();
            List<String> inTimeline = new ArrayList<>();
            timeline.get("results").forEach(e -> inTimeline.add(e.get("uuid").asText()));
            assertThat(inTimeline).as("timeline of the person").containsExactlyInAnyOrderElementsOf(sent.keySet());

            // How the person came about. The laptop identified first: neither id had a person, so the
            // person was created by that $identify and reuses the uuid its personless events already
            // carry (§2.4, "neither person exists"; no override). The phone's identify added the
            // phone's id to it, moving the events of the phone's personless uuid: a merge entry.
            assertThat(personUuid).isEqualTo(laptop.personlessUuid);
            assertThat(person.at("/properties/$creator_event_uuid").asText()).isEqualTo(laptop.identify.get("uuid").asText());
            JsonNode merges = server.getJson(persons(server) + personUuid + "/merges/").get("results");
            assertThat(merges).as("merge history").singleElement().satisfies(m -> {
                assertThat(m.get("rule").asText()).isEqualTo("$identify");
                assertThat(m.get("event_uuid").asText()).isEqualTo(phone.identify.get("uuid").asText());
                assertThat(texts(m.get("distinct_ids"))).containsExactly(phone.anonymous);
                assertThat(m.get("source_person_id").asText()).isEqualTo(phone.personlessUuid);
                assertThat(m.get("target_person_id").asText()).isEqualTo(personUuid);
            });

            // Enrichment never overwrites what the browser computed; the phone's in-app browser is
            // one yauaa names otherwise ("UIWebView"), so an overwrite would show.
            assertThat(phone.signedIn.at("/properties/$browser").asText()).isEqualTo("Facebook Mobile");
            for (JsonNode e : sent.values()) {
                JsonNode s = stored.get(e.get("uuid").asText());
                for (String key : List.of("$browser", "$browser_version", "$os", "$device_type", "$current_url", "$raw_user_agent")) {
                    JsonNode browserValue = e.at("/properties/" + key);
                    JsonNode storedValue = s.at("/properties/" + key);
                    if (browserValue.isMissingNode()) {
                        assertThat(storedValue.isMissingNode()).as(e.get("event") + ": " + key + " added to a browser event").isTrue();
                    } else {
                        assertThat(SentEvents.differences(browserValue, storedValue, key)).as(e.get("event") + ": " + key + " as the browser sent it").isEmpty();
                    }
                }
                // 127.0.0.1 is no place on earth: no GeoIP, on the event or in its $set / $set_once.
                assertThat(s.at("/properties/$ip").asText()).isEqualTo("127.0.0.1");
                assertThat(geoipKeys(s.get("properties"))).as(e.get("event") + ": GeoIP for loopback").isEmpty();
            }
            assertThat(geoipKeys(person.get("properties"))).as("GeoIP person properties for loopback").isEmpty();
        }
    }

    private static String persons(TestServer server) {
        return "/api/projects/" + server.projectId() + "/persons/";
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** $geoip_* and $initial_geoip_* keys, at the top level and in $set / $set_once. */
    private static List<String> geoipKeys(JsonNode properties) {
        List<String> out = new ArrayList<>();
        for (JsonNode object : List.of(properties, properties.path("$set"), properties.path("$set_once"))) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String k = field.getKey();
                if (k.startsWith("$geoip_") || k.startsWith("$initial_geoip_")) out.add(k);
            }
        }
        return out;
    }

    /** One device's events as posthog-js sent them, split at its $identify. */
    private static final class Device {
        final String name;
        final String anonymous;
        final String identified;
        final List<JsonNode> all = new ArrayList<>();
        final List<JsonNode> anonymousEvents = new ArrayList<>();
        final JsonNode identify;
        final JsonNode signedIn;
        String personlessUuid;

        Device(JsonNode device) {
            name = device.get("name").asText();
            anonymous = device.get("anonymous").asText();
            identified = device.get("identified").asText();
            device.get("events").forEach(all::add);
            int at = 0;
            while (at < all.size() && !all.get(at).get("event").asText().equals("$identify")) anonymousEvents.add(all.get(at++));
            assertThat(at).as(name + ": an $identify was sent").isLessThan(all.size());
            identify = all.get(at);
            signedIn = all.getLast();
            assertThat(signedIn.get("event").asText()).isEqualTo(name + " signed in");
        }
    }
}
