package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A page's {@code next} link never carries a key passed as {@code ?personal_api_key=} (it used to
 * be copied into the link), and is built on {@code SIGHTLINE_SITE_URL} rather than on the request's
 * {@code Host} header, which any client sets (it used to be reflected).
 */
class PageLinksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GET over a raw socket: the JDK's client will not send a Host header of our choosing. */
    private static JsonNode get(TestServer server, String pathAndQuery, String host) throws IOException {
        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
            return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    private static void capture(TestServer server) {
        String body = "{\"api_key\":\"" + server.token() + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"d\"},{\"event\":\"b\",\"distinct_id\":\"d\"}]}";
        assertThat(server.post("/batch/", "application/json", body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    @Test
    void linksAreBuiltOnTheSiteUrlAndNeverCarryAKey() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withHttp(c.http().withSiteUrl("https://analytics.example.com/")))) {
            capture(server);
            String path = "/api/projects/" + server.projectId() + "/events/?limit=1&after=2000-01-01T00:00:00Z&personal_api_key=" + server.personalKey();
            String next = get(server, path, "evil.example").get("next").asText();
            assertThat(next).startsWith("https://analytics.example.com/api/projects/" + server.projectId() + "/events/?")
                    .contains("after=2000-01-01T00%3A00%3A00Z", "limit=1", "cursor=").doesNotContain(server.personalKey(), "personal_api_key", "evil.example");

            String persons = get(server, "/api/projects/" + server.projectId() + "/persons/" + JSON.readTree(
                    server.get("/api/projects/" + server.projectId() + "/persons/?distinct_id=d").body()).get("results").get(0).get("id").asText()
                    + "/timeline/?limit=1&personal_api_key=" + server.personalKey(), "evil.example").get("next").asText();
            assertThat(persons).startsWith("https://analytics.example.com/").doesNotContain(server.personalKey());
        }
    }

    @Test
    void withoutASiteUrlTheRequestsOriginIsUsedButNeverTheKey() throws Exception {
        try (TestServer server = TestServer.start()) {
            capture(server);
            String next = get(server, "/api/projects/" + server.projectId() + "/events/?limit=1&personal_api_key=" + server.personalKey(),
                    "sightline.internal:8000").get("next").asText();
            assertThat(next).startsWith("http://sightline.internal:8000/api/projects/").doesNotContain(server.personalKey());
        }
    }
}
