package dev.sightline.enrich;

import dev.sightline.enrich.SourceCategories.Category;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The channel an arrival came through, in the spirit of PostHog's default channel types (which
 * follow Google Analytics 4). The whole rule table is this file; the list of known sites is
 * {@code channel-sources.txt}; docs/enrichment.md describes both. Rules, first match wins:
 *
 * <ol>
 *   <li>campaign contains "cross-network" → Cross Network</li>
 *   <li>paid: medium is cpc/cpm/cpv/cpa/ppc/retargeting or starts with "paid", or a gclid or
 *       gad_source is present → the first answer of: utm_source's kind (Paid Search / Social /
 *       Video / Shopping), a shopping campaign → Paid Shopping, the medium's kind, the referring
 *       domain's kind, gad_source=1 → Paid Search, a video campaign → Paid Video,
 *       fbclid → Paid Social, else Paid Unknown</li>
 *   <li>no referrer, no medium, no source (or a "direct" one), no fbclid → Direct</li>
 *   <li>organic: the first answer of: utm_source's kind (Organic Search / Social / Video /
 *       Shopping, Email), a shopping campaign → Organic Shopping, the medium's kind (Email,
 *       Affiliate, Referral, Push, SMS, Audio, Display, Organic Social, Organic Video), the
 *       referring domain's kind, a video campaign → Organic Video, medium ending in "push" → Push,
 *       fbclid → Organic Social, no referrer → Direct, a referrer → Referral, else Unknown</li>
 * </ol>
 */
final class ChannelRules {

    /** The inputs, as found on the event; blanks and the text "null" count as absent. */
    record Inputs(String source, String medium, String campaign, String referringDomain,
                  boolean gclid, boolean fbclid, String gadSource) {
    }

    static final String DIRECT_REFERRER = "$direct";

    private static final Set<String> PAID_MEDIUMS = Set.of("cpc", "cpm", "cpv", "cpa", "ppc", "retargeting");
    private static final Set<String> DIRECT_SOURCES = Set.of("(direct)", "direct", "$direct");
    // "shop" as a word or after an "e" (eshop, e-shop), or "shopping" anywhere.
    private static final Pattern SHOPPING_CAMPAIGN = Pattern.compile("(^|[^a-df-z])shop|shopping");

    /** A medium's channel when the visit is paid and when it is not (null: that medium never means it). */
    private record MediumChannel(String paid, String organic) {
    }

    private static final Map<String, MediumChannel> MEDIUMS = Map.ofEntries(
            Map.entry("display", new MediumChannel("Display", "Display")),
            Map.entry("banner", new MediumChannel("Display", "Display")),
            Map.entry("expandable", new MediumChannel("Display", "Display")),
            Map.entry("interstitial", new MediumChannel("Display", "Display")),
            Map.entry("cpm", new MediumChannel("Display", "Display")),
            Map.entry("social", new MediumChannel("Paid Social", "Organic Social")),
            Map.entry("social-network", new MediumChannel("Paid Social", "Organic Social")),
            Map.entry("social network", new MediumChannel("Paid Social", "Organic Social")),
            Map.entry("social-media", new MediumChannel("Paid Social", "Organic Social")),
            Map.entry("social media", new MediumChannel("Paid Social", "Organic Social")),
            Map.entry("sm", new MediumChannel("Paid Social", "Organic Social")),
            Map.entry("video", new MediumChannel("Paid Video", "Organic Video")),
            Map.entry("email", new MediumChannel(null, "Email")),
            Map.entry("e-mail", new MediumChannel(null, "Email")),
            Map.entry("e_mail", new MediumChannel(null, "Email")),
            Map.entry("e mail", new MediumChannel(null, "Email")),
            Map.entry("newsletter", new MediumChannel(null, "Email")),
            Map.entry("affiliate", new MediumChannel(null, "Affiliate")),
            Map.entry("affiliates", new MediumChannel(null, "Affiliate")),
            Map.entry("partner", new MediumChannel(null, "Affiliate")),
            Map.entry("partnership", new MediumChannel(null, "Affiliate")),
            Map.entry("partnerships", new MediumChannel(null, "Affiliate")),
            Map.entry("referral", new MediumChannel(null, "Referral")),
            Map.entry("link", new MediumChannel(null, "Referral")),
            Map.entry("app", new MediumChannel(null, "Referral")),
            Map.entry("push", new MediumChannel(null, "Push")),
            Map.entry("mobile", new MediumChannel(null, "Push")),
            Map.entry("notification", new MediumChannel(null, "Push")),
            Map.entry("sms", new MediumChannel(null, "SMS")),
            Map.entry("text", new MediumChannel(null, "SMS")),
            Map.entry("audio", new MediumChannel(null, "Audio")),
            Map.entry("podcast", new MediumChannel(null, "Audio")));

    private ChannelRules() {
    }

    static String channel(Inputs in) {
        String source = clean(in.source());
        String medium = clean(in.medium());
        String campaign = clean(in.campaign());
        String gadSource = clean(in.gadSource());
        String referrer = in.referringDomain() == null || in.referringDomain().isBlank()
                ? null : in.referringDomain().strip().toLowerCase(Locale.ROOT);

        if (campaign != null && campaign.contains("cross-network")) {
            return "Cross Network";
        }
        boolean paid = (medium != null && (PAID_MEDIUMS.contains(medium) || medium.startsWith("paid")))
                || in.gclid() || gadSource != null;
        if (paid) {
            return first(
                    paidKind(source),
                    campaign != null && SHOPPING_CAMPAIGN.matcher(campaign).find() ? "Paid Shopping" : null,
                    medium == null || !MEDIUMS.containsKey(medium) ? null : MEDIUMS.get(medium).paid(),
                    paidKind(referrer),
                    "1".equals(gadSource) ? "Paid Search" : null,
                    campaign != null && campaign.contains("video") ? "Paid Video" : null,
                    in.fbclid() ? "Paid Social" : null,
                    "Paid Unknown");
        }
        boolean noReferrer = DIRECT_REFERRER.equals(referrer);
        if (noReferrer && medium == null && (source == null || DIRECT_SOURCES.contains(source)) && !in.fbclid()) {
            return "Direct";
        }
        return first(
                organicKind(source),
                campaign != null && SHOPPING_CAMPAIGN.matcher(campaign).find() ? "Organic Shopping" : null,
                medium == null || !MEDIUMS.containsKey(medium) ? null : MEDIUMS.get(medium).organic(),
                organicKind(referrer),
                campaign != null && campaign.contains("video") ? "Organic Video" : null,
                medium != null && medium.endsWith("push") ? "Push" : null,
                in.fbclid() ? "Organic Social" : null,
                noReferrer ? "Direct" : null,
                referrer != null ? "Referral" : null,
                "Unknown");
    }

    private static String paidKind(String source) {
        return SourceCategories.of(source).map(c -> switch (c) {
            case SEARCH -> "Paid Search";
            case SOCIAL -> "Paid Social";
            case VIDEO -> "Paid Video";
            case SHOPPING -> "Paid Shopping";
            case EMAIL -> null; // a paid link in a mail is judged by the other rules
        }).orElse(null);
    }

    private static String organicKind(String source) {
        return SourceCategories.of(source).map(ChannelRules::organicName).orElse(null);
    }

    private static String organicName(Category category) {
        return switch (category) {
            case SEARCH -> "Organic Search";
            case SOCIAL -> "Organic Social";
            case VIDEO -> "Organic Video";
            case SHOPPING -> "Organic Shopping";
            case EMAIL -> "Email";
        };
    }

    private static String first(String... answers) {
        for (String answer : answers) {
            if (answer != null) {
                return answer;
            }
        }
        throw new IllegalStateException("the last rule always answers");
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String s = value.strip().toLowerCase(Locale.ROOT);
        return s.isEmpty() || s.equals("null") ? null : s;
    }
}
