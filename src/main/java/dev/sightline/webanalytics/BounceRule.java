package dev.sightline.webanalytics;

/**
 * PostHog's bounce rule (docs/web-analytics.md, spec §7): with {@code c} the session's page views,
 * screens and autocaptures, a session with none has no bounce value (it is left out of the rate);
 * otherwise it bounced unless {@code c > 1} or it lasted {@link #DURATION_SECONDS} or more. The
 * SQL in {@link WebSql#BOUNCE} prints the same rule; the tests hold both to this one.
 */
public final class BounceRule {
    private BounceRule() {}

    /** PostHog's default {@code bounceRateDurationSeconds}. */
    public static final int DURATION_SECONDS = 10;

    /** Whether a session bounced; empty when it is left out of the rate. */
    public static java.util.Optional<Boolean> bounced(int pageviews, int screens, int autocaptures, long durationSeconds) {
        int c = pageviews + screens + autocaptures;
        if (c == 0) return java.util.Optional.empty();
        return java.util.Optional.of(!(c > 1 || durationSeconds >= DURATION_SECONDS));
    }
}
