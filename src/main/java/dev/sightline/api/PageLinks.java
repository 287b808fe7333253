package dev.sightline.api;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code next} link of a page: this request's path and filters with the cursor replaced, on
 * the configured site URL. Never a key: one passed as {@code ?personal_api_key=} would otherwise
 * be copied into every link the client logs, caches or shares. Without a site URL the link is built
 * on the request's own scheme and {@code Host}, which the client chooses.
 */
final class PageLinks {
    private static final Set<String> NOT_CARRIED = Set.of("cursor", "personal_api_key");

    private final Optional<String> site;

    PageLinks(Optional<URI> site) {
        this.site = site.map(u -> u.toString().replaceAll("/+$", ""));
    }

    String next(Context ctx, String cursor) {
        StringBuilder url = new StringBuilder(site.orElseGet(() -> ctx.scheme() + "://" + ctx.host())).append(ctx.path()).append('?');
        ctx.queryParamMap().forEach((k, vs) -> {
            if (NOT_CARRIED.contains(k)) return;
            for (String v : vs) url.append(enc(k)).append('=').append(enc(v)).append('&');
        });
        return url.append("cursor=").append(enc(cursor)).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
