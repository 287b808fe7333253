package dev.sightline.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One browser tab running posthog-js for one session: it captures events the way the SDK does
 * (device, page, session and identity properties on every event, $identify with
 * $anon_distinct_id, $groupidentify, $pageleave), advancing its own clock as the visitor reads
 * and clicks. Anonymous until identified: then $process_person_profile turns true for good.
 */
final class Tab {
    static final String SITE = "www.tallyboard.example";
    static final String APP = "app.tallyboard.example";
    private static final String LIB_VERSION = "1.449.2";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<Timed> out;
    private final Rng rng;
    private final Optional<String> token;
    final Device device;
    private final String sessionId;
    private final String windowId;
    private String distinctId;
    private Optional<User> user = Optional.empty();
    long now;

    private String host = SITE;
    private String path = "/";
    private String title = "";
    private String pageviewId = "";
    private long pageStart;
    private String referrer = "$direct";
    private String referringDomain = "$direct";
    private Map<String, String> campaign = Map.of();
    private String prevPath = "";
    private long prevDurationMillis = -1;

    Tab(List<Timed> out, Device device, long start, Rng rng, Optional<String> token) {
        this.out = out;
        this.device = device;
        this.rng = rng;
        this.token = token;
        this.now = start;
        this.distinctId = device.deviceId();
        this.sessionId = Ids.v7(start, rng);
        this.windowId = Ids.v7(start, rng);
    }

    /** A tab of a device that is already logged in: posthog-js kept the identity in its cookie. */
    Tab loggedIn(User u) {
        this.user = Optional.of(u);
        this.distinctId = u.distinctId;
        return this;
    }

    boolean identified() {
        return user.isPresent();
    }

    void arrive(Sources.Arrival arrival) {
        this.referrer = arrival.referrer();
        this.referringDomain = arrival.referringDomain();
        this.campaign = arrival.campaign();
    }

    /** Reading time: exponential, capped well under the 30-minute inactivity that ends a session. */
    void read(double meanSeconds) {
        now += (long) (1000 * Math.min(20 * 60, 1 + rng.exponential(meanSeconds)));
    }

    void pageview(String host, String path, String title) {
        if (!pageviewId.isEmpty()) {
            now += 150 + rng.below(1200); // the next page loads
            // the next page's referrer is the page before it; UTM tags stay on the landing URL only
            prevDurationMillis = now - pageStart;
            prevPath = this.path;
            referrer = url();
            referringDomain = this.host;
            campaign = Map.of();
        }
        this.host = host;
        this.path = path;
        this.title = title;
        this.pageviewId = Ids.v7(now, rng);
        this.pageStart = now;
        ObjectNode p = capture("$pageview");
        if (prevDurationMillis >= 0) {
            p.put("$prev_pageview_pathname", prevPath);
            p.put("$prev_pageview_duration", BigDecimal.valueOf(prevDurationMillis, 3));
        }
    }

    void click(String text, String element) {
        now += (long) (1000 * (1 + rng.exponential(10)));
        ObjectNode p = capture("$autocapture");
        p.put("$event_type", "click");
        p.put("$el_text", text);
        p.put("$elements_chain", element + ":nth-child=\"" + rng.between(1, 4) + "\"nth-of-type=\"1\"text=\"" + text
                + "\";div.container:nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"");
    }

    /** A custom event, e.g. posthog.capture('dashboard viewed', {...}); the caller adds its properties. */
    ObjectNode custom(String event) {
        now += (long) (1000 * (1 + rng.exponential(8)));
        return capture(event);
    }

    /** posthog.identify(user.id, $set, $set_once) on a device that was anonymous until now. */
    void identify(User u, boolean firstTime) {
        now += 300 + rng.below(700);
        String anonId = distinctId;
        this.user = Optional.of(u);
        this.distinctId = u.distinctId;
        ObjectNode p = capture("$identify");
        p.put("$anon_distinct_id", anonId);
        ObjectNode root = (ObjectNode) out.getLast().event();
        ObjectNode set = root.putObject("$set");
        set.put("email", u.person.email());
        set.put("name", u.person.name());
        if (firstTime) {
            set.put("company", u.company.name());
            set.put("plan", u.plan);
            set.put("role", u.role);
            ObjectNode once = root.putObject("$set_once");
            once.put("$initial_referrer", referrer);
            once.put("$initial_referring_domain", referringDomain);
            once.put("$initial_current_url", url());
            once.put("$initial_pathname", path);
            campaign.forEach((k, v) -> once.put("$initial_" + k, v));
            once.put("signup_date", Ids.iso(now).substring(0, 10));
        }
    }

    /** posthog.group('company', key, props): the first time a company is seen, with its properties. */
    void groupIdentify(Names.Company company, String plan) {
        now += 50 + rng.below(200);
        ObjectNode p = capture("$groupidentify");
        p.put("$group_type", "company");
        p.put("$group_key", company.key());
        ObjectNode set = p.putObject("$group_set");
        set.put("name", company.name());
        set.put("industry", company.industry());
        set.put("employees", company.employees());
        set.put("plan", plan);
    }

    void leave() {
        now += (long) (1000 * (2 + rng.exponential(30)));
        ObjectNode p = capture("$pageleave");
        p.put("$prev_pageview_pathname", path);
        p.put("$prev_pageview_duration", BigDecimal.valueOf(now - pageStart, 3));
    }

    long end() {
        return now;
    }

    private String url() {
        StringBuilder u = new StringBuilder("https://").append(host).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : campaign.entrySet()) {
            u.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = '&';
        }
        return u.toString();
    }

    private ObjectNode capture(String event) {
        ObjectNode root = JSON.objectNode();
        root.put("uuid", Ids.v7(now, rng));
        root.put("event", event);
        root.put("distinct_id", distinctId);
        root.put("timestamp", Ids.iso(now));
        ObjectNode p = root.putObject("properties");
        Browsers.Browser b = device.browser();
        p.put("$os", b.os());
        if (!b.osVersion().isEmpty()) p.put("$os_version", b.osVersion());
        p.put("$browser", b.browser());
        p.put("$device_type", b.deviceType());
        p.put("$current_url", url());
        p.put("$host", host);
        p.put("$pathname", path);
        p.put("$raw_user_agent", b.userAgent());
        if (b.version() == Math.rint(b.version())) p.put("$browser_version", (int) b.version());
        else p.put("$browser_version", b.version());
        p.put("$browser_language", device.zone().language());
        Browsers.Screen s = device.screen();
        p.put("$screen_height", s.height());
        p.put("$screen_width", s.width());
        p.put("$viewport_height", s.height() - (b.mobile() ? 120 : 133));
        p.put("$viewport_width", s.width());
        p.put("$lib", "web");
        p.put("$lib_version", LIB_VERSION);
        p.put("$insert_id", rng.token(16));
        p.put("$time", BigDecimal.valueOf(now, 3));
        p.put("distinct_id", distinctId);
        p.put("$device_id", device.deviceId());
        user.ifPresent(u -> p.put("$user_id", u.distinctId));
        p.put("$referrer", referrer);
        p.put("$referring_domain", referringDomain);
        token.ifPresent(t -> p.put("token", t));
        p.put("$session_id", sessionId);
        p.put("$window_id", windowId);
        p.put("$pageview_id", pageviewId);
        p.put("$timezone", device.zone().timezone());
        p.put("$is_identified", user.isPresent());
        p.put("$process_person_profile", user.isPresent() || event.equals("$identify"));
        p.put("$ip", device.ip());
        campaign.forEach(p::put);
        user.ifPresent(u -> p.putObject("$groups").put("company", u.company.key()));
        p.put("title", title);
        out.add(new Timed(now, root));
        return p;
    }
}
