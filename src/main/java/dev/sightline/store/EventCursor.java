package dev.sightline.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Keyset position in a newest-first event listing: the (timestamp, uuid) of the last row shown. */
public record EventCursor(Instant timestamp, UUID uuid) {

    public String encode() {
        String raw = timestamp.getEpochSecond() + "." + timestamp.getNano() + ":" + uuid;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<EventCursor> decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            int dot = raw.indexOf('.');
            if (colon < 0 || dot < 0 || dot > colon) return Optional.empty();
            Instant ts = Instant.ofEpochSecond(Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1, colon)));
            return Optional.of(new EventCursor(ts, UUID.fromString(raw.substring(colon + 1))));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
