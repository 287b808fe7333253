package dev.sightline.robust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.capture.CaptureRequest;
import dev.sightline.capture.DecoderPropertiesTest;
import dev.sightline.testing.RandomInput;
import dev.sightline.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder's property over HTTP, through the endpoints SDKs call: whatever the body, every
 * capture, flags and decide path answers 2xx or a 4xx naming the problem in a JSON body; never 5xx.
 */
class SdkPathsPropertiesTest {
    private static final List<String> PATHS = List.of("/e/", "/i/v0/e/", "/batch/", "/capture/", "/track/", "/engage/",
            "/flags/?v=2", "/decide/?v=3", "/flags");

    @Test
    void everyBodyOnEverySdkPathIsAnswered2xxOr4xx() {
        try (TestServer server = TestServer.start()) {
            RandomInput.forEachSeed(18, 600, seed -> {
                RandomInput in = new RandomInput(seed);
                CaptureRequest request = DecoderPropertiesTest.request(in);
                // the test server's own token, where the generator wrote its placeholder
                byte[] body = new String(request.body(), StandardCharsets.ISO_8859_1).replace("phc_test", server.token())
                        .getBytes(StandardCharsets.ISO_8859_1);
                String path = in.pick(PATHS);
                StringBuilder query = new StringBuilder();
                request.query().forEach((k, v) -> query.append(path.contains("?") || query.length() > 0 ? '&' : '?')
                        .append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
                HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(server.baseUrl() + path + query))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                if (!request.contentType().isEmpty()) http.header("Content-Type", request.contentType());
                if (!request.contentEncoding().isEmpty()) http.header("Content-Encoding", request.contentEncoding());
                HttpResponse<String> r = server.send(http.build());
                assertThat(r.statusCode()).as(path + " -> " + r.body()).isBetween(200, 499);
                if (r.statusCode() >= 400) {
                    try {
                        assertThat(Wire.JSON.readTree(r.body()).path("code").asText()).as(r.body()).isNotBlank();
                    } catch (java.io.IOException e) {
                        throw new AssertionError("not a JSON error body: " + r.body(), e);
                    }
                }
            });
        }
    }
}
