package dev.sightline.webanalytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated web traffic for the web analytics tests, with the cases the rules turn on: sessions
 * crossing midnight in the project's timezone, one-page-view sessions, a page view and an
 * autocapture within seconds, page-leave-only sessions, UTM on a session's first page or only on a
 * later one, visitors who browse anonymously (personless) and identify later.
 */
final class WebTraffic {
    /** One sent event. {@code visitor}: who the test says it is (the identified user for an anonymous id that identified). */
    record Sent(String event, String distinctId, String visitor, Instant at, String session, Map<String, Object> props) {}

    final List<Sent> events = new ArrayList<>();
    final ZoneId zone;
    final LocalDate firstDay;
    final int days;

    static final String[] PAGES = {"/", "/pricing", "/docs", "/blog/launch", "/signup"};
    static final String[] BROWSERS = {"Chrome", "Firefox", "Safari"};
    static final String[] COUNTRIES = {"DE", "US", "FR", "BR"};
    static final String[] CHANNELS = {"Direct", "Organic Search", "Paid Search"};

    WebTraffic(long seed, ZoneId zone, LocalDate firstDay, int days, int visitors, boolean identifySome) {
        this.zone = zone;
        this.firstDay = firstDay;
        this.days = days;
        Random r = new Random(seed);
        int sessionNo = 0;
        for (int v = 0; v < visitors; v++) {
            String anon = "anon-" + seed + "-" + v;
            boolean identifies = identifySome && v % 4 == 0;
            String user = "user-" + seed + "-" + v;
            String browser = BROWSERS[r.nextInt(BROWSERS.length)];
            String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
            int sessions = 1 + r.nextInt(3);
            boolean identified = false;
            for (int s = 0; s < sessions; s++) {
                String session = "s-" + seed + "-" + (sessionNo++);
                LocalDate day = firstDay.plusDays(r.nextInt(days));
                // every fifth session starts just before local midnight and runs past it
                int startSecond = sessionNo % 5 == 0 ? 86_400 - 120 : r.nextInt(86_000);
                Instant t = day.atStartOfDay(zone).toInstant().plusSeconds(startSecond);
                int kind = r.nextInt(10);
                List<String[]> steps = new ArrayList<>();
                switch (kind) {
                    case 0 -> steps.add(new String[]{"$pageview"});                       // one page view: a bounce
                    case 1 -> { steps.add(new String[]{"$pageview"}); steps.add(new String[]{"$autocapture"}); } // two events: no bounce
                    case 2 -> steps.add(new String[]{"$pageleave"});                      // a page leave only: no bounce value, no session
                    default -> {
                        int n = 2 + r.nextInt(4);
                        for (int i = 0; i < n; i++) steps.add(new String[]{r.nextInt(4) == 0 ? "$autocapture" : "$pageview"});
                        if (r.nextInt(3) == 0) steps.add(new String[]{"signup"});
                        steps.add(new String[]{"$pageleave"});
                    }
                }
                // UTM on the first page, on a later page only, or none
                int utm = r.nextInt(3);
                String channel = CHANNELS[r.nextInt(CHANNELS.length)];
                String page = PAGES[r.nextInt(PAGES.length)];
                int pageNo = 0;
                boolean identifyHere = identifies && !identified && s == sessions - 1 && steps.size() > 2;
                for (int i = 0; i < steps.size(); i++) {
                    String event = steps.get(i)[0];
                    if (event.equals("$pageview")) {
                        if (pageNo > 0) page = PAGES[r.nextInt(PAGES.length)];
                        pageNo++;
                    }
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("$session_id", session);
                    p.put("$current_url", "https://shop.example" + page);
                    p.put("$pathname", page);
                    p.put("$host", "shop.example");
                    p.put("$browser", browser);
                    p.put("$os", browser.equals("Safari") ? "Mac OS X" : "Windows");
                    p.put("$device_type", "Desktop");
                    p.put("$geoip_country_code", country);
                    p.put("$browser_language", country.equals("DE") ? "de-DE" : "en-US");
                    p.put("$timezone", "Europe/Berlin");
                    p.put("$viewport_width", 1280 + 100 * (v % 2));
                    p.put("$viewport_height", 720);
                    p.put("$referring_domain", channel.equals("Direct") ? "$direct" : "www.google.com");
                    p.put("$channel_type", channel);
                    if ((utm == 1 && pageNo == 1 && i == 0) || (utm == 2 && pageNo == 2 && event.equals("$pageview"))) {
                        p.put("utm_source", utm == 1 ? "newsletter" : "later-only");
                    }
                    String distinctId = identified ? user : anon;
                    if (!identified) p.put("$process_person_profile", false);
                    events.add(new Sent(event, distinctId, identifies ? user : anon, t, session, p));
                    t = t.plusSeconds(1 + r.nextInt(i == 0 && kind == 1 ? 3 : 90));
                    if (identifyHere && i == 1) {
                        Map<String, Object> ip = new LinkedHashMap<>();
                        ip.put("$session_id", session);
                        ip.put("$anon_distinct_id", anon);
                        ip.put("$current_url", "https://shop.example" + page);
                        ip.put("$pathname", page);
                        events.add(new Sent("$identify", user, user, t, session, ip));
                        t = t.plusSeconds(1);
                        identified = true;
                    }
                }
            }
        }
    }
}
