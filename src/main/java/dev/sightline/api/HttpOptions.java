package dev.sightline.api;

import java.net.URI;
import java.util.Optional;

/**
 * What the HTTP side is told by the operator.
 *
 * @param siteUrl where users reach this server ({@code SIGHTLINE_SITE_URL}); links the API
 *                returns are built on it. Without it they are built on the request's own
 *                scheme and {@code Host}, which a client chooses.
 * @param metricsToken the Bearer token {@code /metrics} asks for ({@code SIGHTLINE_METRICS_TOKEN});
 *                without one, only the machine itself (loopback) may read it
 * @param captureBytesInFlight heap that capture requests may hold together before more are
 *                refused with 503 (half the heap by default)
 */
public record HttpOptions(Optional<URI> siteUrl, Optional<String> metricsToken, long captureBytesInFlight) {
    /** Capture requests may hold half the heap (see {@link dev.sightline.capture.InFlightBytes}). */
    public static HttpOptions defaults() {
        return new HttpOptions(Optional.empty(), Optional.empty(), Runtime.getRuntime().maxMemory() / 2);
    }

    public HttpOptions withSiteUrl(String url) {
        return new HttpOptions(Optional.ofNullable(url).filter(s -> !s.isBlank()).map(HttpOptions::siteUrl), metricsToken, captureBytesInFlight);
    }

    public HttpOptions withMetricsToken(String token) {
        return new HttpOptions(siteUrl, Optional.ofNullable(token).filter(s -> !s.isBlank()), captureBytesInFlight);
    }

    public HttpOptions withCaptureBytesInFlight(long bytes) {
        return new HttpOptions(siteUrl, metricsToken, bytes);
    }

    /** An absolute http(s) URL, perhaps with a path where a proxy mounts the server; no query, no fragment. */
    static URI siteUrl(String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("the site URL '" + raw + "' is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the site URL must look like https://analytics.example.com (got '" + raw + "')");
        }
        return uri;
    }
}
