package dev.sightline.bench;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * Events shaped like posthog-node's: {@code $lib}, {@code $lib_version}, {@code $geoip_disable},
 * {@code $is_server}, page and browser facts forwarded from a web app, UTM parameters on part of
 * the traffic, groups, and custom properties; a skewed population of distinct ids and a handful
 * of event names. Deterministic for a seed, so the appender ceiling can regenerate the same rows.
 */
final class EventGenerator {

    record Event(UUID uuid, String name, String distinctId, Instant timestamp, String propertiesJson) {
        void appendJson(StringBuilder sb) {
            sb.append("{\"event\":");
            quote(sb, name);
            sb.append(",\"distinct_id\":");
            quote(sb, distinctId);
            sb.append(",\"properties\":").append(propertiesJson);
            sb.append(",\"timestamp\":\"").append(timestamp).append("\",\"uuid\":\"").append(uuid).append("\"}");
        }
    }

    private static final String[] NAMES = {
            "$pageview", "$pageview", "$pageview", "insight viewed", "dashboard viewed", "button clicked",
            "signed up", "project created", "checkout completed", "feature used", "$feature_flag_called",
            "invite sent", "$identify"};
    private static final String[] PATHS = {"/", "/pricing", "/docs/getting-started", "/blog/product-analytics",
            "/signup", "/app/insights", "/app/dashboards/12", "/settings/billing", "/features/session-replay"};
    private static final String[] BROWSERS = {"Chrome", "Chrome", "Safari", "Firefox", "Microsoft Edge", "Mobile Safari"};
    private static final String[] OSES = {"Windows", "Mac OS X", "Linux", "iOS", "Android"};
    private static final String[] DEVICES = {"Desktop", "Desktop", "Mobile", "Tablet"};
    private static final String[] REFERRERS = {"$direct", "https://www.google.com/", "https://news.ycombinator.com/",
            "https://twitter.com/", "https://www.linkedin.com/feed/"};
    private static final String[] UTM_SOURCES = {"google", "newsletter", "twitter", "linkedin", "hn"};
    private static final String[] UTM_MEDIUMS = {"cpc", "email", "social", "referral"};
    private static final String[] UTM_CAMPAIGNS = {"spring_launch", "retargeting_q2", "webinar-07", "brand"};
    private static final String[] PLANS = {"free", "free", "free", "startup", "team", "enterprise"};
    private static final String[] FEATURES = {"funnels", "retention", "paths", "replay", "flags", "experiments"};

    private final Random random;
    private final int users;
    private final boolean identityMix;
    private final boolean webVisitors;
    private Instant clock;

    EventGenerator(long seed, int users, Instant start) {
        this(seed, users, start, false);
    }

    /**
     * With {@code identityMix}, traffic looks like a web product's: about 70% of events come from
     * anonymous visitors sent personless ({@code $process_person_profile: false}), 30% from
     * identified users, and one person in twenty identifies from an earlier anonymous id (a merge).
     */
    EventGenerator(long seed, int users, Instant start, boolean identityMix) {
        this(seed, users, start, identityMix, false);
    }

    /**
     * With {@code webVisitors} as well, the anonymous events are what a browser SDK's visitor sends
     * before identifying, minus the browser's own facts: a client {@code $ip} and a real
     * {@code $raw_user_agent}, so the server's user-agent parsing and GeoIP both run.
     */
    EventGenerator(long seed, int users, Instant start, boolean identityMix, boolean webVisitors) {
        this.random = new Random(seed);
        this.users = users;
        this.clock = start;
        this.identityMix = identityMix || webVisitors;
        this.webVisitors = webVisitors;
    }

    private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"};
    private static final String[] IP_PREFIXES = {"81.2.69.", "89.160.20.", "216.160.83.", "175.16.199.", "2.125.160.", "67.43.156."};

    Event next() {
        Random r = random;
        clock = clock.plusMillis(r.nextInt(20));
        // skewed: a few users are very active, most appear rarely
        int user = r.nextInt(r.nextInt(users) + 1);
        String distinctId = user % 7 == 0 ? "user_" + user + "@example.com" : "0192e3a1-" + Integer.toHexString(0x10000 + user) + "-7000-8000-00000000" + String.format("%04x", user & 0xffff);
        String name = NAMES[r.nextInt(NAMES.length)];
        boolean anonymous = identityMix && r.nextInt(10) < 7;
        if (anonymous) {
            distinctId = "anon-" + user;
            if (name.equals("$identify")) name = "$pageview";
        }
        String path = PATHS[r.nextInt(PATHS.length)];
        boolean utm = r.nextInt(4) == 0;

        StringBuilder p = new StringBuilder(900);
        boolean browserVisitor = anonymous && webVisitors;
        if (browserVisitor) {
            p.append("{\"$lib\":\"web\",\"$lib_version\":\"1.449.2\",\"$process_person_profile\":false,\"$ip\":\"")
                    .append(IP_PREFIXES[user % IP_PREFIXES.length]).append(1 + user % 250).append("\",\"$raw_user_agent\":\"")
                    .append(USER_AGENTS[user % USER_AGENTS.length]).append('"');
        } else {
            p.append("{\"$lib\":\"posthog-node\",\"$lib_version\":\"5.70.0\",\"$geoip_disable\":true,\"$is_server\":true");
            if (anonymous) p.append(",\"$process_person_profile\":false");
        }
        if (identityMix && !anonymous && name.equals("$identify") && user % 20 == 0) {
            p.append(",\"$anon_distinct_id\":\"anon-").append(user).append('"');
        }
        p.append(",\"$current_url\":\"https://app.example.com").append(path);
        if (utm) p.append("?utm_source=").append(UTM_SOURCES[r.nextInt(UTM_SOURCES.length)]);
        p.append("\",\"$host\":\"app.example.com\",\"$pathname\":\"").append(path).append('"');
        String browser = BROWSERS[r.nextInt(BROWSERS.length)];
        int browserVersion = 100 + r.nextInt(40);
        String os = OSES[r.nextInt(OSES.length)];
        String device = DEVICES[r.nextInt(DEVICES.length)];
        if (!browserVisitor) {
            p.append(",\"$browser\":\"").append(browser).append('"');
            p.append(",\"$browser_version\":").append(browserVersion);
            p.append(",\"$os\":\"").append(os).append('"');
            p.append(",\"$device_type\":\"").append(device).append('"');
        }
        String referrer = REFERRERS[r.nextInt(REFERRERS.length)];
        p.append(",\"$referrer\":\"").append(referrer).append("\",\"$referring_domain\":\"")
                .append(referrer.equals("$direct") ? "$direct" : referrer.replaceAll("https://|/.*", "")).append('"');
        // as a browser SDK rotates it: one session per user and half hour, so a session has several events
        p.append(",\"$session_id\":\"0192e3a1-").append(Integer.toHexString(0x10000 + (user & 0xfffff)))
                .append("-7abc-8def-").append(String.format("%012x", clock.getEpochSecond() / 1800)).append('"');
        if (utm) {
            p.append(",\"utm_source\":\"").append(UTM_SOURCES[r.nextInt(UTM_SOURCES.length)]).append('"');
            p.append(",\"utm_medium\":\"").append(UTM_MEDIUMS[r.nextInt(UTM_MEDIUMS.length)]).append('"');
            p.append(",\"utm_campaign\":\"").append(UTM_CAMPAIGNS[r.nextInt(UTM_CAMPAIGNS.length)]).append('"');
        }
        p.append(",\"plan\":\"").append(PLANS[user % PLANS.length]).append('"');
        p.append(",\"seats\":").append(1 + user % 50);
        p.append(",\"$groups\":{\"company\":\"company_").append(user % 997).append("\"}");
        switch (name) {
            case "checkout completed" -> p.append(",\"amount\":").append(r.nextInt(100_000) / 100.0)
                    .append(",\"currency\":\"USD\",\"items\":").append(1 + r.nextInt(5));
            case "feature used", "insight viewed" -> p.append(",\"feature\":\"").append(FEATURES[r.nextInt(FEATURES.length)])
                    .append("\",\"duration_ms\":").append(r.nextInt(5000));
            case "$feature_flag_called" -> p.append(",\"$feature_flag\":\"new-onboarding\",\"$feature_flag_response\":")
                    .append(r.nextBoolean());
            case "$identify" -> p.append(",\"$set\":{\"email\":\"user_").append(user)
                    .append("@example.com\",\"plan\":\"").append(PLANS[user % PLANS.length])
                    .append("\"},\"$set_once\":{\"first_seen_path\":\"").append(path).append("\"}");
            default -> p.append(",\"button\":\"cta-").append(r.nextInt(12)).append('"');
        }
        p.append('}');
        UUID uuid = new UUID((clock.toEpochMilli() << 16) | 0x7000 | r.nextInt(0x1000),
                0x8000000000000000L | (r.nextLong() & 0x3fffffffffffffffL));
        return new Event(uuid, name, distinctId, clock, p.toString());
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        sb.append('"');
    }
}
