package dev.sightline.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoder for lz-string's base64 form ({@code compression=lz64}), which old posthog-js releases
 * sent. No maintained Java port exists, and only decompression is needed, so it is written here.
 * Garbage input ends in a {@link CaptureError}, never in unbounded work; a few kilobytes can stand
 * for gigabytes of text (each code may mean one character more than the last), so the output is
 * counted as it grows and refused (413) the moment it passes the request's limit, not once it is whole.
 */
final class LzString {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

    private LzString() {}

    /** @param maxUtf8Bytes the most the text may take as UTF-8 */
    static String decompressFromBase64(String input, int maxUtf8Bytes) {
        if (input.isEmpty()) {
            throw CaptureError.invalid("invalid_lz64", "lz64 payload is empty");
        }
        int[] values = new int[input.length()];
        for (int i = 0; i < values.length; i++) {
            int v = ALPHABET.indexOf(input.charAt(i));
            if (v < 0) throw CaptureError.invalid("invalid_lz64", "lz64 payload has a character outside base64");
            values[i] = v;
        }
        String out = new Reader(values, maxUtf8Bytes).decompress();
        if (out == null) {
            throw CaptureError.invalid("invalid_lz64", "lz64 payload could not be decompressed");
        }
        return out;
    }

    private static final class Reader {
        private final int[] values;
        private final int maxUtf8Bytes;
        private long utf8Bytes;
        private int val;
        private int position = 32;
        private int index = 1;

        Reader(int[] values, int maxUtf8Bytes) {
            this.values = values;
            this.maxUtf8Bytes = maxUtf8Bytes;
            this.val = values[0];
        }

        /** Appends, counting UTF-8 bytes (a surrogate as two: a pair is four); refuses past the limit. */
        private void append(StringBuilder result, String entry) {
            for (int i = 0; i < entry.length(); i++) {
                char c = entry.charAt(i);
                utf8Bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
            if (utf8Bytes > maxUtf8Bytes) {
                throw CaptureError.tooBig("lz64 payload expands to more than " + maxUtf8Bytes + " bytes");
            }
            result.append(entry);
        }

        private int bits(int count) {
            int bits = 0;
            int power = 1;
            int maxpower = 1 << count;
            while (power != maxpower) {
                int resb = val & position;
                position >>= 1;
                if (position == 0) {
                    position = 32;
                    val = index < values.length ? values[index] : 0;
                    index++;
                }
                bits |= (resb > 0 ? 1 : 0) * power;
                power <<= 1;
            }
            return bits;
        }

        String decompress() {
            List<String> dictionary = new ArrayList<>();
            for (int i = 0; i < 3; i++) dictionary.add(String.valueOf((char) i));
            int enlargeIn = 4;
            int numBits = 3;
            String c;
            switch (bits(2)) {
                case 0 -> c = String.valueOf((char) bits(8));
                case 1 -> c = String.valueOf((char) bits(16));
                default -> { return ""; }
            }
            dictionary.add(c);
            String w = c;
            StringBuilder result = new StringBuilder();
            append(result, c);
            while (true) {
                if (index > values.length) return null;
                int code = bits(numBits);
                switch (code) {
                    case 0, 1 -> {
                        dictionary.add(String.valueOf((char) bits(code == 0 ? 8 : 16)));
                        code = dictionary.size() - 1;
                        enlargeIn--;
                    }
                    case 2 -> { return result.toString(); }
                    default -> { }
                }
                if (enlargeIn == 0) {
                    enlargeIn = 1 << numBits;
                    numBits++;
                }
                String entry;
                if (code < dictionary.size()) {
                    entry = dictionary.get(code);
                } else if (code == dictionary.size()) {
                    entry = w + w.charAt(0);
                } else {
                    return null;
                }
                append(result, entry);
                if (numBits > 31) return null;
                dictionary.add(w + entry.charAt(0));
                enlargeIn--;
                w = entry;
                if (enlargeIn == 0) {
                    enlargeIn = 1 << numBits;
                    numBits++;
                }
            }
        }
    }
}
