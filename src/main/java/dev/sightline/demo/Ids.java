package dev.sightline.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** UUIDv7 and ISO timestamps built from simulated time and seeded randomness, never the wall clock. */
final class Ids {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Ids() {}

    static String v7(long epochMillis, Rng rng) {
        long msb = (epochMillis << 16) | 0x7000L | (rng.nextLong() & 0x0fffL);
        long lsb = (rng.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    static String iso(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }
}
