package dev.sightline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before a route runs (a URI or header too long, a malformed
 * request line): the same JSON error body as every other refusal, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpField CONTENT_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(CONTENT_TYPE);
        if (code == 414 || code == 431) {
            // Jetty drops the connection after these: say so, or a pooling client reuses it
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body(code, detail(code, message))), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(CONTENT_TYPE);
        // Jetty drops the connection after a malformed request: say so, or a pooling client reuses it
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap(body(status, detail(status, reason)));
    }

    private static String detail(int status, String reason) {
        return switch (status) {
            case 414 -> "the request URI is too long: send large payloads in the body, not in ?data=";
            case 431 -> "the request headers are too large";
            default -> reason;
        };
    }

    /** The JSON error body for a status of {@code code}; {@link HttpServer} answers Errors with it too. */
    static byte[] body(int code, String message) {
        String detail = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        try {
            return JSON.writeValueAsBytes(new ApiError.ErrorBody(code >= 500 ? "server_error" : "invalid_request",
                    "http_" + code, detail, null));
        } catch (JsonProcessingException e) {
            return ("{\"type\":\"invalid_request\",\"code\":\"http_" + code + "\"}").getBytes(StandardCharsets.US_ASCII);
        }
    }
}
