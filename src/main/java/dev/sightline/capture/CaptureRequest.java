package dev.sightline.capture;

import java.util.Map;
import java.util.Optional;

/**
 * What capture needs to know about one HTTP request, independent of the web framework.
 *
 * @param body        the raw request body (may be empty for GET requests)
 * @param contentType the Content-Type header, lower-cased, without parameters ("" when absent)
 * @param contentEncoding the Content-Encoding header ("" when absent)
 * @param query       query parameters, first value of each
 */
public record CaptureRequest(byte[] body, String contentType, String contentEncoding, Map<String, String> query) {
    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }
}
