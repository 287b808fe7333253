package dev.sightline.enrich;

import java.util.Objects;
import java.util.Optional;

/**
 * What the capture request tells about its sender; one value is shared by every event of a batch.
 *
 * @param remoteAddress the address of the TCP peer, as text (IPv4 or IPv6)
 * @param userAgent     the request's User-Agent header
 * @param forwardedFor  the request's X-Forwarded-For header; trusted only from configured proxies
 */
public record RequestFacts(String remoteAddress, Optional<String> userAgent, Optional<String> forwardedFor) {

    public RequestFacts {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(forwardedFor, "forwardedFor");
    }

    /** A request seen directly from {@code remoteAddress} with this User-Agent header (may be null). */
    public static RequestFacts of(String remoteAddress, String userAgent) {
        return new RequestFacts(remoteAddress, Optional.ofNullable(userAgent), Optional.empty());
    }

    public RequestFacts withForwardedFor(String header) {
        return new RequestFacts(remoteAddress, userAgent, Optional.ofNullable(header));
    }
}
