package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} used to answer anyone who reached the port. With a token it asks for it; without
 * one it answers only this machine (loopback, not forwarded by a proxy).
 */
class MetricsAccessTest {

    private static HttpResponse<String> metrics(TestServer server, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).GET();
        if (headers.length > 0) request.headers(headers);
        return server.send(request.build());
    }

    @Test
    void withATokenOnlyItsBearerReadsTheMetrics() {
        try (TestServer server = TestServer.start(c -> c.withHttp(c.http().withMetricsToken("m3trics-s3cret")))) {
            HttpResponse<String> none = metrics(server);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(none.body()).doesNotContain("sightline_events_received_total");
            assertThat(metrics(server, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            // a personal API key is not the metrics token
            assertThat(metrics(server, "Authorization", "Bearer " + server.personalKey()).statusCode()).isEqualTo(401);
            HttpResponse<String> ok = metrics(server, "Authorization", "Bearer m3trics-s3cret");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("sightline_events_received_total");
        }
    }

    @Test
    void withoutATokenOnlyThisMachineReadsThem() {
        try (TestServer server = TestServer.start()) {
            assertThat(metrics(server).statusCode()).isEqualTo(200);
            // what a proxy on this machine forwards from elsewhere is not local
            assertThat(metrics(server, "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(403);
        }
        MetricsAccess open = new MetricsAccess(Optional.empty());
        assertThat(open.decide(null, "127.0.0.1", false)).isEqualTo(MetricsAccess.Decision.ALLOWED);
        assertThat(open.decide(null, "::1", false)).isEqualTo(MetricsAccess.Decision.ALLOWED);
        assertThat(open.decide(null, "203.0.113.9", false)).isEqualTo(MetricsAccess.Decision.LOCAL_ONLY);
        assertThat(open.decide(null, "10.1.2.3", false)).isEqualTo(MetricsAccess.Decision.LOCAL_ONLY);
        assertThat(open.decide(null, "localhost", false)).as("never a name lookup").isEqualTo(MetricsAccess.Decision.LOCAL_ONLY);
    }
}
