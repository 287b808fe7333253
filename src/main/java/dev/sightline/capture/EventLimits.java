package dev.sightline.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * What one event may weigh. The project token is public, so without these one request could store
 * a 19 MB property or a 1.9-million-character event name. The request-wide limits (2 MiB on the
 * event paths, 20 MiB on {@code /batch}, before and after decompression) are in {@link CaptureDecoder}.
 *
 * <ul>
 *   <li>An event's serialized JSON may take {@value #MAX_EVENT_BYTES} bytes. A request whose every
 *       event is larger is refused (413 {@code event_too_large}, as PostHog answers an oversized
 *       event); in a request with other events the oversized ones are dropped and counted, and the
 *       rest are stored.</li>
 *   <li>An event name may have {@value #MAX_NAME_CHARACTERS} characters (code points); a longer one
 *       is a client bug like a missing name, and refuses the request (400 {@code invalid_event_name},
 *       {@code attr: "event"}).</li>
 * </ul>
 */
final class EventLimits {
    static final int MAX_EVENT_BYTES = 1024 * 1024;
    static final int MAX_NAME_CHARACTERS = 200;

    private EventLimits() {}

    /** Events of a payload this small cannot be too large: most requests skip measuring. */
    static boolean mayHoldOversized(int payloadBytes) {
        return payloadBytes > MAX_EVENT_BYTES;
    }

    /** The event object's size written as compact JSON in UTF-8, counted without keeping the bytes. */
    static boolean tooLarge(ObjectMapper json, JsonNode event) {
        ByteCounter counter = new ByteCounter();
        try {
            json.writeValue(counter, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count > MAX_EVENT_BYTES;
    }

    static CaptureError allTooLarge(int events) {
        return CaptureError.tooBig("event_too_large", (events == 1 ? "the event is" : "every event is")
                + " larger than " + MAX_EVENT_BYTES + " bytes, the limit of one event");
    }

    static void checkName(String name, int i) {
        if (name.length() > MAX_NAME_CHARACTERS && name.codePointCount(0, name.length()) > MAX_NAME_CHARACTERS) {
            throw CaptureError.invalid("invalid_event_name", "event " + i + ": 'event' is longer than "
                    + MAX_NAME_CHARACTERS + " characters", "event");
        }
    }

    /** Quick test for the streaming parser: a name this long goes to {@link #checkName} by the tree way. */
    static boolean mayBeTooLong(String name) {
        return name.length() > MAX_NAME_CHARACTERS;
    }

    private static final class ByteCounter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
