package dev.sightline.testing;

/**
 * lz64 (lz-string's {@code compressToBase64}) of one character repeated, written straight as the
 * codes the decoder expands: each code means the last entry plus its first character, one character
 * longer than the one before. So a payload of a few kilobytes stands for megabytes of text, and the
 * test never holds that text: a decompression bomb.
 */
public final class Lz64Bomb {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

    private final StringBuilder out = new StringBuilder();
    private int val;
    private int position;

    private Lz64Bomb() {}

    /** lz64 text that decompresses to {@code c} repeated at least {@code chars} times. */
    public static String of(char c, long chars) {
        return new Lz64Bomb().write(c, chars);
    }

    private String write(char c, long chars) {
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
        while (position != 0) writeBits(1, 0);
        String text = out.toString();
        return text + "=".repeat((4 - text.length() % 4) % 4);
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
}
