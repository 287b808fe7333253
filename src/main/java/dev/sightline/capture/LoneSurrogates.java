package dev.sightline.capture;

/**
 * UTF-16 halves without their other half, which browsers' {@code JSON.stringify} writes as
 * {@code \ud800} and an lz64 text may hold as such. They cannot be written as UTF-8: Java writes
 * them as "?", and Jackson refuses one in a key. PostHog's capture replaces each with U+FFFD before
 * it reads the JSON; so does this, on every way a body comes, so keys and values read alike.
 */
final class LoneSurrogates {
    private LoneSurrogates() {}

    /** The JSON text with each {@code \\uXXXX} escape of a lone surrogate replaced by {@code \\uFFFD}. */
    static String repairEscapes(String json) {
        int first = firstSurrogateEscape(json);
        if (first < 0) return json;
        StringBuilder out = new StringBuilder(json.length());
        int copied = 0;
        int i = json.indexOf('\\');
        while (i >= 0 && i < json.length() - 1) {
            if (json.charAt(i + 1) != 'u') {
                i = json.indexOf('\\', i + 2); // an escaped character, maybe a backslash: skip it whole
                continue;
            }
            int unit = hex4(json, i + 2);
            int next = i + 6;
            if (unit >= 0 && Character.isHighSurrogate((char) unit)) {
                int low = json.startsWith("\\u", next) ? hex4(json, next + 2) : -1;
                if (low >= 0 && Character.isLowSurrogate((char) low)) {
                    i = json.indexOf('\\', next + 6); // a whole pair
                    continue;
                }
                out.append(json, copied, i).append("\\uFFFD");
                copied = next;
            } else if (unit >= 0 && Character.isLowSurrogate((char) unit)) {
                out.append(json, copied, i).append("\\uFFFD");
                copied = next;
            }
            i = json.indexOf('\\', Math.min(next, json.length()));
        }
        return copied == 0 ? json : out.append(json, copied, json.length()).toString();
    }

    /** The text with each lone surrogate character replaced by U+FFFD. */
    static String repairChars(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
            if (lone && out == null) out = new StringBuilder(text.length()).append(text, 0, i);
            if (out != null) out.append(lone ? '\uFFFD' : c);
        }
        return out == null ? text : out.toString();
    }

    /** Where a {@code \\uD8..}–{@code \\uDF..} escape may start, or -1: most payloads have none. */
    private static int firstSurrogateEscape(String json) {
        for (int i = json.indexOf("\\u"); i >= 0; i = json.indexOf("\\u", i + 2)) {
            if (i + 3 < json.length() && (json.charAt(i + 2) | 0x20) == 'd') {
                char c = json.charAt(i + 3);
                if ((c >= '8' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) return i;
            }
        }
        return -1;
    }

    private static int hex4(String s, int from) {
        if (from + 4 > s.length()) return -1;
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return -1;
            value = value * 16 + d;
        }
        return value;
    }
}
