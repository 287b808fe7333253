package dev.sightline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Measures one generated month against what a real SaaS product's PostHog traffic looks like. */
class TrafficShapeTest {
    private static List<JsonNode> events;

    @BeforeAll
    static void generate() throws IOException {
        events = DemoTrafficTest.parse(DemoTrafficTest.generate(2026, 80_000, 28));
    }

    private static JsonNode props(JsonNode e) {
        return e.get("properties");
    }

    private static boolean anonymous(JsonNode e) {
        return props(e).path("$process_person_profile").isBoolean() && !props(e).get("$process_person_profile").asBoolean();
    }

    @Test
    void aboutSeventyPercentOfEventsAreAnonymousAndCarryNoIdentity() {
        long anonymous = events.stream().filter(TrafficShapeTest::anonymous).count();
        assertThat((double) anonymous / events.size()).isBetween(0.65, 0.75);
        for (JsonNode e : events) {
            if (anonymous(e)) {
                assertThat(props(e).has("$user_id")).isFalse();
                assertThat(props(e).has("$groups")).isFalse();
                assertThat(e.get("distinct_id").asText()).isEqualTo(props(e).get("$device_id").asText());
                assertThat(props(e).get("$is_identified").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void identifiesMergeTheDeviceIdAndMakeUpASmallShare() {
        long merges = 0;
        for (JsonNode e : events) {
            if (!e.get("event").asText().equals("$identify")) continue;
            merges++;
            JsonNode p = props(e);
            assertThat(p.get("$anon_distinct_id").asText()).isEqualTo(p.get("$device_id").asText());
            assertThat(e.get("distinct_id").asText()).isEqualTo(p.get("$user_id").asText()).startsWith("usr_");
            assertThat(p.get("$process_person_profile").asBoolean()).isTrue();
            assertThat(e.get("$set").get("email").asText()).contains("@");
        }
        double share = (double) merges / events.size();
        assertThat(share).isBetween(0.002, 0.02);
    }

    @Test
    void signUpsSetTheProfileAndTheirCompanyGroup() {
        Set<String> groupsIdentified = new HashSet<>();
        int signups = 0;
        for (JsonNode e : events) {
            switch (e.get("event").asText()) {
                case "$identify" -> {
                    if (e.has("$set_once")) {
                        signups++;
                        assertThat(e.get("$set").fieldNames()).toIterable().contains("email", "name", "company", "plan", "role");
                        assertThat(e.get("$set_once").has("$initial_referring_domain")).isTrue();
                    }
                }
                case "$groupidentify" -> {
                    assertThat(props(e).get("$group_type").asText()).isEqualTo("company");
                    assertThat(props(e).has("$group_set")).isTrue();
                    groupsIdentified.add(props(e).get("$group_key").asText());
                }
                default -> { }
            }
        }
        assertThat(signups).isGreaterThan(100);
        assertThat(groupsIdentified).hasSizeGreaterThan(50);
        long withGroups = events.stream().filter(e -> props(e).has("$groups")).count();
        assertThat(withGroups).isGreaterThan(events.size() / 5);
    }

    @Test
    void identifiedPeopleHaveSeveralSessionsAndSomeUseMoreThanOneDevice() {
        Map<String, Set<String>> sessions = new HashMap<>();
        Map<String, Set<String>> devices = new HashMap<>();
        for (JsonNode e : events) {
            JsonNode p = props(e);
            if (!p.has("$user_id")) continue;
            sessions.computeIfAbsent(p.get("$user_id").asText(), k -> new HashSet<>()).add(p.get("$session_id").asText());
            devices.computeIfAbsent(p.get("$user_id").asText(), k -> new HashSet<>()).add(p.get("$device_id").asText());
        }
        double sessionsPerPerson = sessions.values().stream().mapToInt(Set::size).average().orElseThrow();
        double devicesPerPerson = devices.values().stream().mapToInt(Set::size).average().orElseThrow();
        int mostDevices = devices.values().stream().mapToInt(Set::size).max().orElseThrow();
        assertThat(sessionsPerPerson).isBetween(2.0, 12.0);
        assertThat(devicesPerPerson).isBetween(1.1, 2.0);
        assertThat(mostDevices).isBetween(2, 3);
    }

    @Test
    void sessionsAreUuidV7AndEndAfterThirtyMinutesOfInactivity() {
        Map<String, Instant> lastInSession = new HashMap<>();
        Map<String, String> sessionOfDevice = new HashMap<>();
        Map<String, Instant> lastOfDevice = new HashMap<>();
        for (JsonNode e : events) {
            JsonNode p = props(e);
            if (!p.has("$session_id")) continue;
            Instant at = Instant.parse(e.get("timestamp").asText());
            String session = p.get("$session_id").asText();
            UUID id = UUID.fromString(session);
            assertThat(id.version()).isEqualTo(7);
            assertThat(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16)).isBeforeOrEqualTo(at);
            Instant last = lastInSession.put(session, at);
            if (last != null) assertThat(Duration.between(last, at)).isLessThan(Duration.ofMinutes(30));
            String device = p.get("$device_id").asText();
            String previousSession = sessionOfDevice.put(device, session);
            Instant previousAt = lastOfDevice.put(device, at);
            if (previousSession != null && !previousSession.equals(session)) {
                assertThat(Duration.between(previousAt, at)).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
            }
        }
    }

    @Test
    void weekdaysAreBusierThanWeekendsAndNightsAreQuiet() {
        Map<LocalDate, Integer> perDay = new TreeMap<>();
        int[] perHour = new int[24];
        for (JsonNode e : events) {
            var at = Instant.parse(e.get("timestamp").asText()).atOffset(ZoneOffset.UTC);
            perDay.merge(at.toLocalDate(), 1, Integer::sum);
            perHour[at.getHour()]++;
        }
        // first and last days are partial
        List<LocalDate> full = perDay.keySet().stream().skip(1).limit(perDay.size() - 2).toList();
        double weekday = full.stream().filter(d -> d.getDayOfWeek().getValue() <= 5).mapToInt(perDay::get).average().orElseThrow();
        double weekend = full.stream().filter(d -> d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY)
                .mapToInt(perDay::get).average().orElseThrow();
        assertThat(weekday / weekend).isBetween(1.5, 3.0);
        int quietest = java.util.Arrays.stream(perHour).min().orElseThrow();
        int busiest = java.util.Arrays.stream(perHour).max().orElseThrow();
        assertThat((double) quietest / busiest).isLessThan(0.6);
    }

    @Test
    void visitorsComeFromEverySourceWithCampaignTagsAndClickIds() {
        Set<String> referringDomains = new HashSet<>();
        Set<String> utmSources = new HashSet<>();
        boolean gclid = false, fbclid = false;
        for (JsonNode e : events) {
            JsonNode p = props(e);
            if (!e.get("event").asText().equals("$pageview")) continue;
            referringDomains.add(p.get("$referring_domain").asText());
            if (p.has("utm_source")) {
                utmSources.add(p.get("utm_source").asText());
                assertThat(p.get("$current_url").asText()).contains("utm_source=" + p.get("utm_source").asText());
            }
            gclid |= p.has("gclid");
            fbclid |= p.has("fbclid");
        }
        assertThat(referringDomains).contains("www.google.com", "www.bing.com", "duckduckgo.com", "l.facebook.com",
                "www.linkedin.com", "t.co", "www.reddit.com", "$direct");
        assertThat(utmSources).contains("google", "newsletter", "facebook", "linkedin");
        assertThat(gclid).isTrue();
        assertThat(fbclid).isTrue();
    }

    @Test
    void browserFactsMatchTheirUserAgentAndAddressesAreSpreadOverCountries() {
        Set<String> timezones = new HashSet<>();
        Set<String> firstOctets = new HashSet<>();
        for (JsonNode e : events) {
            JsonNode p = props(e);
            if (!p.has("$raw_user_agent")) continue;
            String ua = p.get("$raw_user_agent").asText();
            String browser = p.get("$browser").asText();
            if (ua.contains("Edg/")) assertThat(browser).isEqualTo("Microsoft Edge");
            if (ua.contains("Firefox/")) assertThat(browser).isEqualTo("Firefox");
            if (ua.contains("iPhone")) assertThat(p.get("$os").asText()).isEqualTo("iOS");
            if (ua.contains("Windows NT")) assertThat(p.get("$os").asText()).isEqualTo("Windows");
            assertThat(p.get("$device_type").asText()).isIn("Desktop", "Mobile", "Tablet");
            // every browser event happens on a page that was viewed
            assertThat(p.get("$pageview_id").asText()).isNotEmpty();
            assertThat(p.get("$current_url").asText()).startsWith("https://" + p.get("$host").asText() + p.get("$pathname").asText());
            timezones.add(p.get("$timezone").asText());
            String ip = p.get("$ip").asText();
            assertThat(ip).matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
            firstOctets.add(ip.substring(0, ip.indexOf('.')));
        }
        assertThat(timezones).hasSizeGreaterThan(12);
        assertThat(firstOctets).hasSizeGreaterThan(12);
    }

    @Test
    void theBackendSendsRevenueAliasesLeadsAndSomeCustomersChurn() {
        Set<String> leads = new HashSet<>();
        int aliases = 0;
        double revenue = 0;
        Map<String, Instant> lastSeen = new HashMap<>();
        Instant first = Instant.parse(events.getFirst().get("timestamp").asText());
        Instant last = Instant.parse(events.getLast().get("timestamp").asText());
        for (JsonNode e : events) {
            JsonNode p = props(e);
            String name = e.get("event").asText();
            if (name.equals("demo requested")) leads.add(e.get("distinct_id").asText());
            if (name.equals("$create_alias")) {
                aliases++;
                assertThat(leads).contains(p.get("alias").asText());
                assertThat(p.get("distinct_id").asText()).isEqualTo(e.get("distinct_id").asText());
            }
            if (p.has("revenue")) {
                assertThat(p.get("$lib").asText()).isEqualTo("posthog-node");
                assertThat(p.get("revenue").asDouble()).isPositive();
                revenue += p.get("revenue").asDouble();
            }
            if (p.has("$user_id")) lastSeen.put(p.get("$user_id").asText(), Instant.parse(e.get("timestamp").asText()));
        }
        assertThat(aliases).isPositive();
        assertThat(revenue).isPositive();
        long stopped = lastSeen.values().stream().filter(t -> t.isBefore(last.minus(Duration.ofDays(10))) && t.isAfter(first)).count();
        assertThat(stopped).isPositive();
        assertThat(events.stream().filter(e -> e.get("event").asText().equals("subscription cancelled")).count()).isPositive();
    }
}
