package dev.sightline.capture;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** UUID parsing as capture accepts it, and time-ordered UUIDv7 for events that came without one. */
public final class Uuids {
    private static final Pattern COMPACT = Pattern.compile("[0-9a-fA-F]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Uuids() {}

    public static Optional<UUID> parse(String text) {
        if (text.length() == 36) {
            UUID canonical = canonicalUuid(text);
            if (canonical != null) return Optional.of(canonical);
        }
        String s = text.trim();
        if (s.length() == 38 && s.startsWith("{") && s.endsWith("}")) s = s.substring(1, 37);
        if (COMPACT.matcher(s).matches()) {
            s = s.substring(0, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16) + "-"
                    + s.substring(16, 20) + "-" + s.substring(20);
        }
        if (s.length() != 36 || !canonical(s)) return Optional.empty();
        return Optional.of(UUID.fromString(s));
    }

    /** The common form, 8-4-4-4-12 hex digits, read straight into the two longs; null for anything else. */
    private static UUID canonicalUuid(String s) {
        if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') return null;
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) continue;
            char c = s.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) return null;
            if (i < 19) msb = (msb << 4) | digit; else lsb = (lsb << 4) | digit;
        }
        return new UUID(msb, lsb);
    }

    /** 8-4-4-4-12 hex digits; checked by hand because it runs for every captured event. */
    private static boolean canonical(String s) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') return false;
            } else if (Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    public static UUID v7() {
        long millis = System.currentTimeMillis();
        long rand = RANDOM.nextLong();
        long msb = (millis << 16) | 0x7000L | ((rand >>> 52) & 0x0fffL);
        long lsb = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
