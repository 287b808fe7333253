package dev.sightline.enrich;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Lenient reading of the URLs browsers report. {@link java.net.URI} rejects much of what real
 * pages carry (spaces, "|", unencoded unicode), and losing a campaign for that would be wrong.
 */
final class UrlParts {

    private UrlParts() {
    }

    /** Query parameters of the URL, first occurrence of each name wins; values decoded. */
    static Map<String, String> queryParameters(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        int question = url.indexOf('?');
        if (question < 0) {
            return out;
        }
        int hash = url.indexOf('#', question);
        String query = url.substring(question + 1, hash < 0 ? url.length() : hash);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!name.isEmpty()) {
                out.putIfAbsent(name, value);
            }
        }
        return out;
    }

    /** The lower-cased host name of an absolute URL ("https://www.google.com/x" gives "www.google.com"). */
    static Optional<String> host(String url) {
        String s = url.strip();
        int scheme = s.indexOf("://");
        if (scheme < 0) {
            return Optional.empty();
        }
        int start = scheme + 3;
        int end = start;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        String authority = s.substring(start, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority : authority.substring(0, close + 1);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
        }
        return host.isEmpty() ? Optional.empty() : Optional.of(host.toLowerCase(Locale.ROOT));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a stray "%" in a campaign name: keep what the link said
        }
    }
}
