package dev.sightline.webanalytics;

import java.util.Optional;

/**
 * The dimensions of the web analytics tables (PostHog's {@code WebStatsBreakdown} names) and the
 * filter keys that select each. Every dimension but {@link #PAGE} is a fact of the session's entry
 * (or exit) event kept in the session rollup; {@code PAGE} is the pathname of each page view.
 * Column names are constants here, never input.
 */
enum Breakdown {
    PAGE("Page", "pathname", "$pathname"),
    INITIAL_PAGE("InitialPage", "entry_pathname", "$entry_pathname"),
    EXIT_PAGE("ExitPage", "exit_pathname", "$end_pathname", "$exit_pathname"),
    INITIAL_REFERRING_DOMAIN("InitialReferringDomain", "referring_domain", "$entry_referring_domain", "$referring_domain"),
    INITIAL_CHANNEL_TYPE("InitialChannelType", "channel_type", "$channel_type"),
    INITIAL_UTM_SOURCE("InitialUTMSource", "utm_source", "$entry_utm_source", "utm_source"),
    INITIAL_UTM_MEDIUM("InitialUTMMedium", "utm_medium", "$entry_utm_medium", "utm_medium"),
    INITIAL_UTM_CAMPAIGN("InitialUTMCampaign", "utm_campaign", "$entry_utm_campaign", "utm_campaign"),
    INITIAL_UTM_CONTENT("InitialUTMContent", "utm_content", "$entry_utm_content", "utm_content"),
    INITIAL_UTM_TERM("InitialUTMTerm", "utm_term", "$entry_utm_term", "utm_term"),
    BROWSER("Browser", "browser", "$browser"),
    OS("OS", "os", "$os"),
    DEVICE_TYPE("DeviceType", "device_type", "$device_type"),
    COUNTRY("Country", "country_code", "$geoip_country_code"),
    REGION("Region", "region", "$geoip_subdivision_1_name"),
    CITY("City", "city", "$geoip_city_name"),
    LANGUAGE("Language", "language", "$browser_language"),
    TIMEZONE("Timezone", "timezone", "$timezone"),
    VIEWPORT("Viewport", "viewport", "$viewport");

    final String wire;
    /** The session rollup's column (the page view's for {@link #PAGE}). */
    final String column;
    /** The property keys whose filters select by this dimension; the first is the one the web app sends. */
    final String[] keys;

    Breakdown(String wire, String column, String... keys) {
        this.wire = wire;
        this.column = column;
        this.keys = keys;
    }

    /** Bounce rate applies to the dimensions of a session's entry; a page or an exit page has none. */
    boolean hasBounce() {
        return this != PAGE && this != EXIT_PAGE;
    }

    static Optional<Breakdown> byWire(String s) {
        for (Breakdown b : values()) if (b.wire.equals(s)) return Optional.of(b);
        return Optional.empty();
    }

    static Optional<Breakdown> byKey(String key) {
        for (Breakdown b : values()) for (String k : b.keys) if (k.equals(key)) return Optional.of(b);
        return Optional.empty();
    }
}
