package dev.sightline.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-at-a-time checks must answer as a byte-by-byte loop does, at every offset and length. */
class BytesTest {

    @Test
    void answersAsTheSimpleLoop() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int kind = random.nextInt(10);
                b[i] = (byte) (kind == 0 ? 0x80 + random.nextInt(128) : kind == 1 ? '\\' : kind == 2 ? 0 : 0x20 + random.nextInt(90));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            boolean ascii = true;
            boolean backslash = false;
            for (int i = from; i < to; i++) {
                ascii &= b[i] >= 0;
                backslash |= b[i] == '\\';
            }
            assertThat(Bytes.ascii(b, from, to)).isEqualTo(ascii);
            assertThat(Bytes.contains(b, from, to, (byte) '\\')).isEqualTo(backslash);
        }
    }
}
