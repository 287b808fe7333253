package dev.sightline.enrich;

import nl.basjes.parse.useragent.UserAgent;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps yauaa's vocabulary onto the values posthog-js writes, so that a browser counted from a
 * server-parsed user agent lands in the same breakdown row as one reported by the browser itself.
 */
final class UserAgentNames {

    private UserAgentNames() {
    }

    private static final Map<String, String> BROWSERS = Map.of(
            "Edge", "Microsoft Edge",
            "SamsungBrowser", "Samsung Internet",
            "Opera Mobile", "Opera",
            "Yandex Browser", "Yandex",
            "OculusBrowser", "Oculus Browser",
            "Chrome Webview", "Chrome");

    // posthog-js names the iOS builds apart from their desktop siblings.
    private static final Map<String, String> IOS_BROWSERS = Map.of(
            "Chrome", "Chrome iOS",
            "Firefox", "Firefox iOS",
            "Safari", "Mobile Safari");

    private static final Map<String, String> SYSTEMS = Map.of(
            "Windows NT", "Windows",
            "Mac OS", "Mac OS X",
            "Ubuntu", "Linux",
            "Fedora", "Linux",
            "Debian", "Linux",
            "Linux Mint", "Linux",
            "Arch Linux", "Linux");

    private static final Map<String, String> DEVICES = Map.ofEntries(
            Map.entry("Desktop", "Desktop"),
            Map.entry("Phone", "Mobile"),
            Map.entry("Mobile", "Mobile"),
            Map.entry("Tablet", "Tablet"),
            Map.entry("eReader", "Tablet"),
            Map.entry("Watch", "Wearable"),
            Map.entry("TV", "TV"),
            Map.entry("Set-top box", "TV"),
            Map.entry("Game Console", "Console"),
            Map.entry("Handheld Game Console", "Console"));

    private static final Set<String> BOT_CLASSES = Set.of(
            "Robot", "Robot Mobile", "Robot Imitator", "Hacker", "Cloud Application");

    // Chrome and Firefox freeze "Windows NT 10.0" for both 10 and 11, and yauaa then answers
    // "??"; the NT number is what posthog-js reports, so we read it the same way.
    private static final Pattern WINDOWS_NT = Pattern.compile("Windows NT (\\d+\\.\\d+)");
    private static final Map<String, String> WINDOWS_VERSIONS = Map.of(
            "5.0", "2000", "5.1", "XP", "5.2", "XP", "6.0", "Vista", "6.1", "7",
            "6.2", "8", "6.3", "8.1", "10.0", "10");

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)(?:\\.(\\d+))?");

    static DeviceFacts facts(UserAgent ua) {
        boolean bot = BOT_CLASSES.contains(ua.getValue(UserAgent.AGENT_CLASS))
                || BOT_CLASSES.contains(ua.getValue(UserAgent.DEVICE_CLASS));
        String osName = known(ua.getValue(UserAgent.OPERATING_SYSTEM_NAME));
        boolean realOs = osName != null && !Set.of("Cloud", "Unknown")
                .contains(ua.getValue(UserAgent.OPERATING_SYSTEM_CLASS));
        boolean ios = "iOS".equals(osName);

        String agent = known(ua.getValue(UserAgent.AGENT_NAME));
        String browser = agent == null ? null
                : ios && IOS_BROWSERS.containsKey(agent) ? IOS_BROWSERS.get(agent)
                : BROWSERS.getOrDefault(agent, agent);
        String os = realOs ? SYSTEMS.getOrDefault(osName, osName) : null;
        String osVersion = realOs ? osVersion(os, ua) : null;
        return new DeviceFacts(
                Optional.ofNullable(browser),
                browser == null ? Optional.empty() : majorMinor(ua.getValue(UserAgent.AGENT_VERSION)),
                Optional.ofNullable(os),
                Optional.ofNullable(osVersion),
                Optional.ofNullable(DEVICES.get(ua.getValue(UserAgent.DEVICE_CLASS))),
                bot);
    }

    private static String osVersion(String os, UserAgent ua) {
        if ("Windows".equals(os)) {
            Matcher nt = WINDOWS_NT.matcher(ua.getUserAgentString());
            if (nt.find() && WINDOWS_VERSIONS.containsKey(nt.group(1))) {
                return WINDOWS_VERSIONS.get(nt.group(1));
            }
        }
        String version = known(ua.getValue(UserAgent.OPERATING_SYSTEM_VERSION));
        // yauaa writes ">=10.15.7" for the frozen macOS version; the number is what the UA says.
        return version == null ? null : version.startsWith(">=") ? version.substring(2) : version;
    }

    /** posthog-js reports the browser version as a number: major.minor. */
    static Optional<Double> majorMinor(String version) {
        Matcher m = MAJOR_MINOR.matcher(version == null ? "" : version);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(Double.parseDouble(m.group(1) + "." + (m.group(2) == null ? "0" : m.group(2))));
    }

    private static String known(String value) {
        return value == null || value.isEmpty() || value.equals("??") || value.equals("Unknown")
                || value.startsWith("Unknown") ? null : value;
    }
}
