package dev.sightline.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How visitors reach the marketing site: search engines (organic and paid with gclid/msclkid),
 * social networks (fbclid on Facebook links), newsletters with UTM tags, and direct visits.
 */
final class Sources {
    private Sources() {}

    /** Where one visit came from: the referrer, and the query parameters on the landing URL. */
    record Arrival(String source, String referrer, Map<String, String> campaign, String landingPath) {
        String referringDomain() {
            if (referrer.equals("$direct")) return "$direct";
            String rest = referrer.substring(referrer.indexOf("//") + 2);
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
    }

    private record Source(String name, double weight) {}

    private static final Weighted<Source> SOURCES = new Weighted<>(List.of(
            new Source("google", 28), new Source("google-ads", 8), new Source("bing", 5), new Source("bing-ads", 1),
            new Source("duckduckgo", 3), new Source("facebook", 4), new Source("facebook-ads", 2), new Source("linkedin", 5),
            new Source("linkedin-ads", 1.5), new Source("twitter", 4), new Source("reddit", 3.5), new Source("hacker-news", 1.5),
            new Source("newsletter", 6), new Source("partner-blog", 1.5), new Source("direct", 26)),
            Source::weight);

    private static final List<String> ORGANIC_LANDINGS = List.of(
            "/", "/", "/", "/pricing", "/features/dashboards", "/features/alerts", "/blog/kpi-dashboard-examples",
            "/blog/weekly-metrics-review", "/blog/okr-tracking-template", "/blog/saas-metrics-guide", "/docs/getting-started",
            "/compare/spreadsheet-dashboards", "/integrations/slack", "/integrations/stripe");
    private static final List<String> PAID_CAMPAIGNS = List.of("brand-search", "competitor-search", "dashboards-generic", "q4-launch", "black-friday-2026");
    private static final List<String> SEARCH_TERMS = List.of("kpi dashboard", "team dashboard software", "tallyboard", "okr tracking tool",
            "metrics dashboard for startups", "stripe revenue dashboard", "slack kpi alerts");
    private static final List<String> SOCIAL_CAMPAIGNS = List.of("retargeting-nov", "webinar-dashboards", "founder-story", "q4-launch");
    private static final List<String> NEWSLETTERS = List.of("weekly-digest", "product-update-november", "metrics-monthly", "black-friday-2026");

    static Arrival arrival(Rng rng) {
        String name = SOURCES.pick(rng).name();
        Map<String, String> campaign = new LinkedHashMap<>();
        String landing = rng.pick(ORGANIC_LANDINGS);
        String referrer = switch (name) {
            case "google" -> "https://www.google.com/";
            case "google-ads" -> {
                landing = rng.chance(0.5) ? "/" : "/lp/kpi-dashboards";
                campaign.put("utm_source", "google");
                campaign.put("utm_medium", "cpc");
                campaign.put("utm_campaign", rng.pick(PAID_CAMPAIGNS));
                campaign.put("utm_term", rng.pick(SEARCH_TERMS));
                campaign.put("gclid", "Cj0KCQiA" + rng.token(72));
                yield "https://www.google.com/";
            }
            case "bing" -> "https://www.bing.com/";
            case "bing-ads" -> {
                landing = "/lp/kpi-dashboards";
                campaign.put("utm_source", "bing");
                campaign.put("utm_medium", "cpc");
                campaign.put("utm_campaign", rng.pick(PAID_CAMPAIGNS));
                campaign.put("msclkid", Long.toHexString(rng.nextLong()) + Long.toHexString(rng.nextLong()));
                yield "https://www.bing.com/";
            }
            case "duckduckgo" -> "https://duckduckgo.com/";
            case "facebook" -> {
                campaign.put("fbclid", "IwAR" + rng.token(56));
                yield rng.chance(0.6) ? "https://l.facebook.com/" : "https://m.facebook.com/";
            }
            case "facebook-ads" -> {
                landing = "/lp/kpi-dashboards";
                campaign.put("utm_source", "facebook");
                campaign.put("utm_medium", "paid_social");
                campaign.put("utm_campaign", rng.pick(SOCIAL_CAMPAIGNS));
                campaign.put("utm_content", rng.pick(List.of("video-30s", "carousel", "static-quote")));
                campaign.put("fbclid", "IwAR" + rng.token(56));
                yield "https://l.facebook.com/";
            }
            case "linkedin" -> "https://www.linkedin.com/";
            case "linkedin-ads" -> {
                landing = "/lp/kpi-dashboards";
                campaign.put("utm_source", "linkedin");
                campaign.put("utm_medium", "paid_social");
                campaign.put("utm_campaign", rng.pick(SOCIAL_CAMPAIGNS));
                yield "https://www.linkedin.com/";
            }
            case "twitter" -> rng.chance(0.7) ? "https://t.co/" : "https://x.com/";
            case "reddit" -> "https://www.reddit.com/";
            case "hacker-news" -> "https://news.ycombinator.com/";
            case "partner-blog" -> "https://www.saasmetricsweekly.example/best-kpi-tools";
            case "newsletter" -> {
                landing = rng.chance(0.5) ? "/blog/weekly-metrics-review" : "/changelog";
                campaign.put("utm_source", "newsletter");
                campaign.put("utm_medium", "email");
                campaign.put("utm_campaign", rng.pick(NEWSLETTERS));
                yield "$direct";
            }
            default -> "$direct";
        };
        return new Arrival(name, referrer, campaign, landing);
    }
}
