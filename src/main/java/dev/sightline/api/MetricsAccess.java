package dev.sightline.api;

import dev.sightline.account.Secrets;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: its counters tell traffic, projects' volumes and failures, so not
 * anyone who reaches the port. With {@code SIGHTLINE_METRICS_TOKEN} set, a scraper sends it as
 * {@code Authorization: Bearer ...} from anywhere. Without it, only the machine itself may read
 * them: a connection from a loopback address that no proxy forwarded (a proxy on the same machine
 * would make every client look local, so a forwarded request is not).
 */
final class MetricsAccess {
    private final Optional<String> token;

    MetricsAccess(Optional<String> token) {
        this.token = token;
    }

    void check(Context ctx) {
        boolean forwarded = ctx.header("X-Forwarded-For") != null || ctx.header("Forwarded") != null;
        switch (decide(ctx.header("Authorization"), ctx.req().getRemoteAddr(), forwarded)) {
            case ALLOWED -> {}
            case NEEDS_TOKEN -> {
                ctx.header("WWW-Authenticate", "Bearer");
                throw ApiError.unauthenticated("send the metrics token as 'Authorization: Bearer ...' (SIGHTLINE_METRICS_TOKEN)");
            }
            case LOCAL_ONLY -> throw ApiError.forbidden(
                    "metrics are served to this machine only; set SIGHTLINE_METRICS_TOKEN to scrape them from elsewhere");
        }
    }

    enum Decision { ALLOWED, NEEDS_TOKEN, LOCAL_ONLY }

    Decision decide(String authorization, String remoteAddress, boolean forwarded) {
        if (token.isPresent()) {
            String sent = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).trim() : null;
            return Secrets.same(sent, token.get()) ? Decision.ALLOWED : Decision.NEEDS_TOKEN;
        }
        return !forwarded && loopback(remoteAddress) ? Decision.ALLOWED : Decision.LOCAL_ONLY;
    }

    private static boolean loopback(String address) {
        try {
            // a literal address: no name is looked up
            return address != null && InetAddress.ofLiteral(address).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
