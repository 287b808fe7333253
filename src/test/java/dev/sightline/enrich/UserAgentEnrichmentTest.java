package dev.sightline.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class UserAgentEnrichmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIREFOX_LINUX =
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private final UserAgentEnrichment enrichment = new UserAgentEnrichment(SharedParser.INSTANCE);

    static Stream<Arguments> userAgents() throws IOException {
        try (InputStream in = Objects.requireNonNull(
                UserAgentEnrichmentTest.class.getResourceAsStream("user-agents.tsv"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", -1))
                    .map(c -> Arguments.of(c[0], c[1], c[2], c[3], c[4], c[5], c[6].equals("bot")))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userAgents")
    void fillsBrowserOsAndDeviceFromTheRequestUserAgentOfABrowser(String ua, String browser, String version, String os,
                                                                  String osVersion, String deviceType, boolean bot) {
        ObjectNode p = JSON.createObjectNode().put("$lib", "web");
        enrichment.apply(p, RequestFacts.of("203.0.113.7", ua));

        assertText(p, "$browser", browser);
        if (version.isEmpty()) {
            assertThat(p.has("$browser_version")).isFalse();
        } else {
            assertThat(p.get("$browser_version").isNumber()).as("$browser_version is a number").isTrue();
            assertThat(p.get("$browser_version").asDouble()).isEqualTo(Double.parseDouble(version));
        }
        assertText(p, "$os", os);
        assertText(p, "$os_version", osVersion);
        assertText(p, "$device_type", deviceType);
        assertThat(p.path("$is_bot").asBoolean(false)).as("$is_bot").isEqualTo(bot);
    }

    @Test
    void rawUserAgentPropertyWinsOverTheRequestHeader() {
        ObjectNode p = JSON.createObjectNode().put("$raw_user_agent",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1");
        enrichment.apply(p, RequestFacts.of("203.0.113.7", "curl/8.4.0"));
        assertThat(p.get("$browser").asText()).isEqualTo("Mobile Safari");
        assertThat(p.has("$is_bot")).isFalse();
    }

    @Test
    void neverOverwritesWhatTheSdkSent() {
        ObjectNode p = JSON.createObjectNode().put("$browser", "Chrome").put("$browser_version", 120)
                .put("$os", "Mac OS X").put("$device_type", "Desktop");
        enrichment.apply(p, RequestFacts.of("203.0.113.7",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"));
        assertThat(p.toString()).isEqualTo(
                "{\"$browser\":\"Chrome\",\"$browser_version\":120,\"$os\":\"Mac OS X\",\"$device_type\":\"Desktop\"}");
    }

    @Test
    void marksBotsEvenWhenTheBrowserFieldsArePresent() {
        ObjectNode p = JSON.createObjectNode().put("$browser", "Chrome").put("$os", "Linux").put("$device_type", "Desktop")
                .put("$raw_user_agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36");
        enrichment.apply(p, RequestFacts.of("203.0.113.7", null));
        assertThat(p.get("$is_bot").asBoolean()).isTrue();
        assertThat(p.has("$browser_version")).isFalse();
    }

    /** Server SDKs, scripts and curl: their header names the HTTP client, not a visitor. */
    @ParameterizedTest(name = "$lib {0}, User-Agent {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "|curl/8.4.0", "|Python-urllib/3.12", "|python-requests/2.32.3", "|Go-http-client/1.1", "|Wget/1.21.4",
            "posthog-python|posthog-python/3.7.0", "posthog-ruby|posthog-ruby/2.5.0", "my-backend|okhttp/4.12.0",
            "posthog-server|posthog-server/2.3.3", "posthog-node|posthog-node/5.70.0",
            "|Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"})
    void onlyBrowserTrafficIsReadFromTheRequestUserAgent(String lib, String header) {
        ObjectNode p = JSON.createObjectNode();
        if (lib != null) p.put("$lib", lib);
        String before = p.toString();
        enrichment.apply(p, RequestFacts.of("203.0.113.7", header));
        assertThat(p.toString()).as("no browser facts and no bot mark from the HTTP client").isEqualTo(before);
    }

    @Test
    void anEventsOwnUserAgentPropertyIsStillRead() {
        ObjectNode raw = JSON.createObjectNode().put("$raw_user_agent", FIREFOX_LINUX);
        enrichment.apply(raw, RequestFacts.of("203.0.113.7", "python-requests/2.32.3"));
        assertThat(raw.get("$browser").asText()).isEqualTo("Firefox");
        assertThat(raw.has("$is_bot")).isFalse();

        ObjectNode forwarded = JSON.createObjectNode().put("$lib", "posthog-python").put("$user_agent", FIREFOX_LINUX);
        enrichment.apply(forwarded, RequestFacts.of("203.0.113.7", "posthog-python/3.7.0"));
        assertThat(forwarded.get("$browser").asText()).isEqualTo("Firefox");
        assertThat(forwarded.get("$os").asText()).isEqualTo("Linux");
    }

    @Test
    void ignoresTheRequestUserAgentOfServerSdks() {
        ObjectNode node = JSON.createObjectNode().put("$lib", "posthog-node").put("$is_server", true);
        enrichment.apply(node, RequestFacts.of("203.0.113.7", "posthog-node/5.70.0"));
        ObjectNode java = JSON.createObjectNode().put("$lib", "posthog-server");
        enrichment.apply(java, RequestFacts.of("203.0.113.7", "posthog-server/2.3.3"));
        assertThat(node.size()).isEqualTo(2);
        assertThat(java.size()).isEqualTo(1);
    }

    @Test
    void passesEventsThroughWhileTheParserIsStillStarting() {
        // A zero wait means no event ever blocks on start-up.
        UserAgentParser starting = new UserAgentParser(new CompletableFuture<>(), Duration.ZERO, 100);
        ObjectNode p = JSON.createObjectNode().put("$lib", "web");
        new UserAgentEnrichment(starting).apply(p, RequestFacts.of("203.0.113.7", FIREFOX_LINUX));
        assertThat(p.toString()).isEqualTo("{\"$lib\":\"web\"}");
    }

    @Test
    void passesEventsThroughWhenTheParserFailedToStart() {
        UserAgentParser broken = new UserAgentParser(
                CompletableFuture.failedFuture(new OutOfMemoryError("test")), Duration.ofMinutes(1), 100);
        ObjectNode p = JSON.createObjectNode();
        new UserAgentEnrichment(broken).apply(p, RequestFacts.of("203.0.113.7", FIREFOX_LINUX));
        assertThat(p.isEmpty()).isTrue();
    }

    @Test
    void remembersOnlyAnswersOfAReadyParser() {
        // The cache must not keep the empty answer given while the parser was still starting.
        UserAgentParser.startInBackground(100, Duration.ofMinutes(2)).ready().join();
        CompletableFuture<nl.basjes.parse.useragent.UserAgentAnalyzer> late = new CompletableFuture<>();
        UserAgentParser parser = new UserAgentParser(late, Duration.ZERO, 100);
        assertThat(parser.parse(FIREFOX_LINUX)).isEmpty();
        late.complete(UserAgentParser.shared().join());
        assertThat(parser.parse(FIREFOX_LINUX)).map(DeviceFacts::browser).contains(java.util.Optional.of("Firefox"));
        // and a repeated string gives the same facts from the cache
        assertThat(parser.parse(FIREFOX_LINUX)).isEqualTo(parser.parse(FIREFOX_LINUX));
    }

    private static void assertText(ObjectNode p, String key, String expected) {
        if (expected.isEmpty()) {
            assertThat(p.has(key)).as(key + " absent").isFalse();
        } else {
            assertThat(p.path(key).asText(null)).as(key).isEqualTo(expected);
        }
    }
}
