package dev.sightline.enrich;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link Enricher}. {@link #defaults()} is what a fresh install runs with; the
 * {@code with...} methods change one setting each.
 *
 * @param geoIpPath           a .mmdb file, or a folder searched (recursively) for .mmdb files;
 *                            missing means no GeoIP, never an error
 * @param ipStorage           what is kept of the client address in {@code $ip}
 * @param trustedProxies      addresses or CIDR ranges whose X-Forwarded-For header is believed;
 *                            anything else is rejected with IllegalArgumentException
 * @param userAgentWait       how long after start-up events may wait for the user-agent parser
 *                            before they pass without browser/OS fields
 * @param userAgentCacheSize  parsed user agents kept in memory
 * @param serverSessions      assign {@code $session_id} to events that come without one
 * @param sessionTimeout      inactivity that ends a server-side session
 * @param maxSessionLength    a server-side session never spans more than this
 * @param maxTrackedVisitors  (project, distinct id) pairs whose recent sessions are remembered
 */
public record EnrichConfig(
        Path geoIpPath,
        IpStorage ipStorage,
        List<String> trustedProxies,
        Duration userAgentWait,
        int userAgentCacheSize,
        boolean serverSessions,
        Duration sessionTimeout,
        Duration maxSessionLength,
        int maxTrackedVisitors) {

    /** Where {@code scripts/geoip-db} installs the DB-IP City Lite files, relative to the working directory. */
    public static final Path DEFAULT_GEOIP_PATH = Path.of("geoip", "node_modules");

    /** What {@code $ip} keeps. GeoIP always looks up the full address before this applies. */
    public enum IpStorage {
        /** keep the address as received */
        FULL,
        /** keep IPv4 /24 and IPv6 /48 networks: enough for abuse triage, not for singling out a person */
        TRUNCATED,
        /** drop {@code $ip} */
        NONE
    }

    public EnrichConfig {
        Objects.requireNonNull(geoIpPath, "geoIpPath");
        Objects.requireNonNull(ipStorage, "ipStorage");
        trustedProxies = List.copyOf(trustedProxies);
        trustedProxies.forEach(Cidr::parse); // a typo in a proxy range should stop start-up, not be ignored
        Objects.requireNonNull(userAgentWait, "userAgentWait");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(maxSessionLength, "maxSessionLength");
        if (userAgentCacheSize < 0 || maxTrackedVisitors < 1) {
            throw new IllegalArgumentException("userAgentCacheSize must be >= 0 and maxTrackedVisitors >= 1");
        }
        if (sessionTimeout.isNegative() || sessionTimeout.isZero() || maxSessionLength.compareTo(sessionTimeout) < 0) {
            throw new IllegalArgumentException("sessionTimeout must be positive and no longer than maxSessionLength");
        }
    }

    /**
     * Full IPs, no trusted proxies, a 10 s start-up wait for the user-agent parser, sessions
     * of 30 minutes' inactivity and at most 24 hours (as posthog-js rotates them).
     */
    public static EnrichConfig defaults() {
        return new EnrichConfig(DEFAULT_GEOIP_PATH, IpStorage.FULL, List.of(), Duration.ofSeconds(10),
                20_000, true, Duration.ofMinutes(30), Duration.ofHours(24), 200_000);
    }

    public EnrichConfig withGeoIpPath(Path path) {
        return new EnrichConfig(path, ipStorage, trustedProxies, userAgentWait, userAgentCacheSize,
                serverSessions, sessionTimeout, maxSessionLength, maxTrackedVisitors);
    }

    public EnrichConfig withIpStorage(IpStorage storage) {
        return new EnrichConfig(geoIpPath, storage, trustedProxies, userAgentWait, userAgentCacheSize,
                serverSessions, sessionTimeout, maxSessionLength, maxTrackedVisitors);
    }

    public EnrichConfig withTrustedProxies(List<String> proxies) {
        return new EnrichConfig(geoIpPath, ipStorage, proxies, userAgentWait, userAgentCacheSize,
                serverSessions, sessionTimeout, maxSessionLength, maxTrackedVisitors);
    }

    public EnrichConfig withUserAgentWait(Duration wait) {
        return new EnrichConfig(geoIpPath, ipStorage, trustedProxies, wait, userAgentCacheSize,
                serverSessions, sessionTimeout, maxSessionLength, maxTrackedVisitors);
    }

    public EnrichConfig withServerSessions(boolean enabled) {
        return new EnrichConfig(geoIpPath, ipStorage, trustedProxies, userAgentWait, userAgentCacheSize,
                enabled, sessionTimeout, maxSessionLength, maxTrackedVisitors);
    }

    public EnrichConfig withSessionTimeout(Duration timeout) {
        return new EnrichConfig(geoIpPath, ipStorage, trustedProxies, userAgentWait, userAgentCacheSize,
                serverSessions, timeout, maxSessionLength, maxTrackedVisitors);
    }

    public EnrichConfig withMaxTrackedVisitors(int max) {
        return new EnrichConfig(geoIpPath, ipStorage, trustedProxies, userAgentWait, userAgentCacheSize,
                serverSessions, sessionTimeout, maxSessionLength, max);
    }
}
