package dev.sightline.enrich;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * UUIDv7 session ids whose time part is the session start and whose random part is a hash of
 * (project, distinct id, start). The same session found again (after a restart, or by a second
 * worker replaying the same events) therefore gets the same id, and ids sort by start time
 * like the ones posthog-js makes.
 */
final class SessionIds {

    private SessionIds() {
    }

    static UUID of(long projectId, String distinctId, long startMillis) {
        byte[] hash = sha256(projectId + "\u0000" + distinctId + "\u0000" + startMillis);
        ByteBuffer random = ByteBuffer.wrap(hash);
        long high = (startMillis & 0xFFFF_FFFF_FFFFL) << 16   // 48 bits unix milliseconds
                | 0x7000L                                     // version 7
                | (random.getShort() & 0x0FFFL);              // 12 bits rand_a
        long low = (random.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) // 62 bits rand_b
                | 0x8000_0000_0000_0000L;                      // variant 0b10
        return new UUID(high, low);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
