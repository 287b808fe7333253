package dev.sightline.demo;

import java.util.List;

/**
 * Real user-agent strings with what posthog-js computes from them in the browser ($browser,
 * $browser_version, $os, $os_version, $device_type), weighted like a B2B SaaS audience.
 */
final class Browsers {
    private Browsers() {}

    record Browser(String userAgent, String browser, double version, String os, String osVersion, String deviceType, double weight) {
        boolean mobile() {
            return !deviceType.equals("Desktop");
        }
    }

    record Screen(int width, int height, String deviceType, double weight) {}

    private static final String WIN_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s.0.0.0 Safari/537.36";
    private static final String MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s.0.0.0 Safari/537.36";

    static final Weighted<Browser> ALL = new Weighted<>(List.of(
            new Browser(WIN_CHROME.formatted(142), "Chrome", 142, "Windows", "10.0", "Desktop", 22),
            new Browser(WIN_CHROME.formatted(141), "Chrome", 141, "Windows", "10.0", "Desktop", 7),
            new Browser(MAC_CHROME.formatted(142), "Chrome", 142, "Mac OS X", "10.15.7", "Desktop", 14),
            new Browser("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15",
                    "Safari", 26.1, "Mac OS X", "10.15.7", "Desktop", 7),
            new Browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
                    "Microsoft Edge", 142, "Windows", "10.0", "Desktop", 7),
            new Browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
                    "Firefox", 145, "Windows", "10.0", "Desktop", 4),
            new Browser("Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
                    "Firefox", 145, "Linux", "", "Desktop", 2),
            new Browser("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
                    "Chrome", 142, "Linux", "", "Desktop", 2),
            new Browser("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
                    "Chrome", 142, "Chrome OS", "14541.0.0", "Desktop", 1),
            new Browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 OPR/124.0.0.0",
                    "Opera", 124, "Windows", "10.0", "Desktop", 1),
            new Browser("Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
                    "Mobile Safari", 26.1, "iOS", "18.7", "Mobile", 12),
            new Browser("Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/142.0.7444.46 Mobile/15E148 Safari/604.1",
                    "Chrome iOS", 142, "iOS", "18.7", "Mobile", 2),
            new Browser("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
                    "Chrome", 142, "Android", "10", "Mobile", 9),
            new Browser("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
                    "Samsung Internet", 28, "Android", "10", "Mobile", 2),
            new Browser("Mozilla/5.0 (iPad; CPU OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
                    "Mobile Safari", 26.1, "iOS", "18.7", "Tablet", 2)),
            Browser::weight);

    private static final List<Screen> SCREENS = List.of(
            new Screen(1920, 1080, "Desktop", 30), new Screen(1536, 864, "Desktop", 12), new Screen(2560, 1440, "Desktop", 10),
            new Screen(1440, 900, "Desktop", 12), new Screen(1366, 768, "Desktop", 6), new Screen(1728, 1117, "Desktop", 10),
            new Screen(390, 844, "Mobile", 10), new Screen(393, 852, "Mobile", 8), new Screen(412, 915, "Mobile", 6),
            new Screen(360, 800, "Mobile", 5), new Screen(820, 1180, "Tablet", 3), new Screen(768, 1024, "Tablet", 2));

    private static final java.util.Map<String, Weighted<Screen>> SCREENS_BY_TYPE = java.util.Map.of(
            "Desktop", byType("Desktop"), "Mobile", byType("Mobile"), "Tablet", byType("Tablet"));

    private static Weighted<Screen> byType(String deviceType) {
        return new Weighted<>(SCREENS.stream().filter(s -> s.deviceType().equals(deviceType)).toList(), Screen::weight);
    }

    static Screen screen(Browser b, Rng rng) {
        return SCREENS_BY_TYPE.get(b.deviceType()).pick(rng);
    }
}
