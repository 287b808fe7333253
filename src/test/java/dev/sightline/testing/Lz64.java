package dev.sightline.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * lz-string's {@code compressToBase64}, which old posthog-js releases sent as {@code compression=lz64}:
 * the LZW variant with 6 bits per output character (its base64 alphabet). Also {@link #bomb}.
 */
public final class Lz64 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

    private final StringBuilder out = new StringBuilder();
    private int val;
    private int position;

    private Lz64() {}

    public static String compress(String input) {
        return new Lz64().write(input);
    }

    /** The UTF-8 bytes read as text, then compressed. */
    public static String compress(byte[] utf8) {
        return compress(new String(utf8, StandardCharsets.UTF_8));
    }

    /**
     * lz64 of {@code c} repeated at least {@code chars} times, written straight as the codes the
     * decoder expands: each code means the last entry plus its first character, one character longer
     * than the one before. So a payload of a few kilobytes stands for megabytes of text, and the test
     * never holds that text: a decompression bomb.
     */
    public static String bomb(char c, long chars) {
        return new Lz64().writeRun(c, chars);
    }

    private String writeRun(char c, long chars) {
        writeBits(2, 0); // an 8-bit character follows
        writeBits(8, c);
        int dictSize = 4;
        int enlargeIn = 4;
        int numBits = 3;
        long written = 1;
        for (int length = 2; written < chars; length++) {
            writeBits(numBits, dictSize++);
            written += length;
            if (--enlargeIn == 0) {
                enlargeIn = 1 << numBits;
                numBits++;
            }
        }
        writeBits(numBits, 2); // end of stream
        return finish();
    }

    private String write(String input) {
        Map<String, Integer> dictionary = new HashMap<>();
        Map<String, Boolean> toCreate = new HashMap<>();
        String w = "";
        int enlargeIn = 2;
        int dictSize = 3;
        int numBits = 2;
        for (int i = 0; i < input.length(); i++) {
            String c = String.valueOf(input.charAt(i));
            if (!dictionary.containsKey(c)) {
                dictionary.put(c, dictSize++);
                toCreate.put(c, true);
            }
            String wc = w + c;
            if (dictionary.containsKey(wc)) {
                w = wc;
                continue;
            }
            int[] state = emit(w, dictionary, toCreate, enlargeIn, numBits);
            enlargeIn = state[0];
            numBits = state[1];
            dictionary.put(wc, dictSize++);
            w = c;
        }
        if (!w.isEmpty()) {
            int[] state = emit(w, dictionary, toCreate, enlargeIn, numBits);
            numBits = state[1];
        }
        writeBits(numBits, 2);
        return finish();
    }

    /** Writes the code for {@code w}; returns the new {enlargeIn, numBits}. */
    private int[] emit(String w, Map<String, Integer> dictionary, Map<String, Boolean> toCreate, int enlargeIn, int numBits) {
        if (toCreate.containsKey(w)) {
            int ch = w.charAt(0);
            if (ch < 256) {
                writeBits(numBits, 0);
                writeBits(8, ch);
            } else {
                writeBits(numBits, 1);
                writeBits(16, ch);
            }
            if (--enlargeIn == 0) {
                enlargeIn = 1 << numBits;
                numBits++;
            }
            toCreate.remove(w);
        } else {
            writeBits(numBits, dictionary.get(w));
        }
        if (--enlargeIn == 0) {
            enlargeIn = 1 << numBits;
            numBits++;
        }
        return new int[] {enlargeIn, numBits};
    }

    /** lz-string writes each value's bits lowest first, six to a base64 character. */
    private void writeBits(int count, int value) {
        for (int i = 0; i < count; i++) {
            val = (val << 1) | (value & 1);
            value >>= 1;
            if (++position == 6) {
                out.append(ALPHABET.charAt(val));
                val = 0;
                position = 0;
            }
        }
    }

    /** lz-string flushes with one more character holding the last bits, then pads to a multiple of four. */
    private String finish() {
        while (true) {
            val <<= 1;
            if (position == 5) {
                out.append(ALPHABET.charAt(val));
                break;
            }
            position++;
        }
        String text = out.toString();
        return text + "=".repeat((4 - text.length() % 4) % 4);
    }
}
