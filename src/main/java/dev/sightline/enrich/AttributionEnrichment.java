package dev.sightline.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Campaign parameters from {@code $current_url}, {@code $referring_domain} from
 * {@code $referrer}, and {@code $channel_type} from both. Only web events are touched (those with
 * a {@code $current_url} or a {@code $referrer}): a server-side event has no arrival to attribute,
 * and a made-up "$direct" on it would end up in the person's initial referrer.
 */
final class AttributionEnrichment {

    /**
     * Channels decided recently: a site's traffic arrives through a few sources and campaigns, so
     * the same inputs come back on most events and the rules need not run again.
     */
    private static final Cache<ChannelRules.Inputs, String> CHANNELS = Caffeine.newBuilder().maximumSize(10_000).build();

    /** The campaign parameters posthog-js reads from the page URL, and PostHog lifts onto persons. */
    static final List<String> CAMPAIGN_PARAMS = List.of(
            "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_name",
            "gclid", "gad_source", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "twclid",
            "li_fat_id", "mc_cid", "igshid", "ttclid", "rdt_cid", "irclid", "_kx", "epik", "qclid", "sccid");

    void apply(ObjectNode p) {
        String url = text(p, "$current_url");
        String referrer = text(p, "$referrer");
        if (url == null && referrer == null && !p.has("$referrer")) {
            return;
        }
        if (url != null) {
            Map<String, String> query = UrlParts.queryParameters(url);
            for (String param : CAMPAIGN_PARAMS) {
                String value = query.get(param);
                if (value != null && !value.isEmpty() && !p.has(param)) {
                    p.put(param, value);
                }
            }
        }
        if (!p.hasNonNull("$referring_domain")) {
            p.put("$referring_domain", referringDomain(referrer));
        }
        if (!p.has("$channel_type")) {
            p.put("$channel_type", CHANNELS.get(new ChannelRules.Inputs(
                    text(p, "utm_source"), text(p, "utm_medium"), text(p, "utm_campaign"),
                    text(p, "$referring_domain"), text(p, "gclid") != null, text(p, "fbclid") != null,
                    text(p, "gad_source")), ChannelRules::channel));
        }
    }

    /** The host of the referrer; "$direct" when there is none, as posthog-js writes it. */
    static String referringDomain(String referrer) {
        if (referrer == null || referrer.equals(ChannelRules.DIRECT_REFERRER)) {
            return ChannelRules.DIRECT_REFERRER;
        }
        return UrlParts.host(referrer).orElse(ChannelRules.DIRECT_REFERRER);
    }

    private static String text(ObjectNode p, String key) {
        JsonNode node = p.get(key);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String s = node.asText();
        return s.isBlank() ? null : s;
    }
}
