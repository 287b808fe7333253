package dev.sightline.capture;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Turns a capture request into JSON text the way PostHog's capture does: the payload comes from
 * the {@code data} query parameter or the body; a form body's {@code data} field is unwrapped;
 * gzip is used when hinted or when the bytes carry the gzip magic; lz64 and base64 when hinted;
 * a payload that still looks like base64 is decoded once more.
 */
final class PayloadDecoder {

    private final int maxDecodedBytes;

    PayloadDecoder(int maxDecodedBytes) {
        this.maxDecodedBytes = maxDecodedBytes;
    }

    enum Compression { GZIP, LZ64, BASE64, NONE }

    String decode(CaptureRequest request) {
        return new String(decodeBytes(request), StandardCharsets.UTF_8);
    }

    /** The payload as bytes checked to be UTF-8. */
    byte[] decodeBytes(CaptureRequest request) {
        byte[] payload;
        Optional<String> queryData = request.param("data");
        Optional<String> formHint = Optional.empty();
        if (queryData.isPresent()) {
            payload = restorePlus(queryData.get()).getBytes(StandardCharsets.UTF_8);
        } else {
            payload = request.body();
            if (isForm(request.contentType(), payload)) {
                Map<String, String> form = parseForm(payload);
                String data = form.get("data");
                if (data == null || data.isEmpty()) {
                    throw CaptureError.invalid("invalid_form", "form body has no 'data' field");
                }
                payload = restorePlus(data).getBytes(StandardCharsets.UTF_8);
                formHint = Optional.ofNullable(form.get("compression"));
            }
        }
        if (payload.length == 0) {
            throw CaptureError.invalid("empty_payload", "the request has no payload");
        }

        Optional<String> formCompression = formHint;
        Compression hint = hint(request.param("compression")
                .or(() -> formCompression)
                .or(() -> Optional.of(request.contentEncoding()).filter(s -> !s.isEmpty()))
                .orElse(""));

        if (hint != Compression.LZ64 && looksLikeBase64(payload)) {
            // form and query data is usually base64, whatever the hint says about what is inside
            payload = tryBase64(payload).orElse(payload);
        }
        byte[] decoded;
        if (hint == Compression.GZIP || isGzip(payload)) {
            decoded = gunzip(payload);
        } else if (hint == Compression.LZ64) {
            String text = LzString.decompressFromBase64(ascii(payload, "lz64"), maxDecodedBytes);
            decoded = LoneSurrogates.repairChars(text).getBytes(StandardCharsets.UTF_8);
        } else if (hint == Compression.BASE64 && !payloadIsJson(payload)) {
            throw CaptureError.invalid("invalid_base64", "payload is not valid base64");
        } else {
            decoded = payload;
        }
        if (looksLikeBase64(decoded)) {
            decoded = tryBase64(decoded).orElse(decoded);
            if (isGzip(decoded)) {
                decoded = gunzip(decoded);
            }
        }
        if (decoded.length > maxDecodedBytes) {
            throw CaptureError.tooBig("decoded payload is larger than " + maxDecodedBytes + " bytes");
        }
        return checkUtf8(decoded);
    }

    /** Most payloads are ASCII: one pass proves it; anything else goes through a strict decoder. */
    static byte[] checkUtf8(byte[] b) {
        if (Bytes.ascii(b, 0, b.length)) return b;
        utf8(b);
        return b;
    }

    static Compression hint(String value) {
        return switch (value.toLowerCase(Locale.ROOT).trim()) {
            case "gzip", "gzip-js" -> Compression.GZIP;
            case "lz64", "lz-string" -> Compression.LZ64;
            case "base64", "b64" -> Compression.BASE64;
            default -> Compression.NONE;
        };
    }

    private static boolean isForm(String contentType, byte[] payload) {
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            // curl -d labels JSON as a form; a body that opens like JSON is read as JSON
            return payload.length == 0 || (payload[0] != '{' && payload[0] != '[');
        }
        // sendBeacon bodies sometimes arrive without a usable content type
        return startsWith(payload, "data=") || startsWith(payload, "compression=");
    }

    private static boolean startsWith(byte[] payload, String prefix) {
        if (payload.length < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) {
            if (payload[i] != prefix.charAt(i)) return false;
        }
        return true;
    }

    private static Map<String, String> parseForm(byte[] body) {
        Map<String, String> form = new HashMap<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i < body.length && body[i] != '&') continue;
            if (i > start) {
                int eq = start;
                while (eq < i && body[eq] != '=') eq++;
                form.putIfAbsent(urlDecode(body, start, eq), eq < i ? urlDecode(body, eq + 1, i) : "");
            }
            start = i + 1;
        }
        return form;
    }

    /**
     * One form key or value: its %-escapes and '+' decoded to bytes, which must then be UTF-8 as
     * strictly as a JSON body's (URLDecoder would put U+FFFD where a JSON body is refused).
     */
    private static String urlDecode(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '%') {
                int hi = i + 2 < to ? Character.digit(b[i + 1], 16) : -1;
                int lo = hi >= 0 ? Character.digit(b[i + 2], 16) : -1;
                if (lo < 0) throw CaptureError.invalid("invalid_form", "form body is not URL-encoded: a bad %-escape");
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = c == '+' ? (byte) ' ' : c;
            }
        }
        return utf8(n == out.length ? out : java.util.Arrays.copyOf(out, n));
    }

    /** URL decoding turns '+' into ' '; inside base64 a space can only have been a '+'. */
    private static String restorePlus(String data) {
        return data.indexOf(' ') >= 0 && looksLikeBase64(data.replace(' ', '+').getBytes(StandardCharsets.US_ASCII))
                ? data.replace(' ', '+') : data;
    }

    private static boolean payloadIsJson(byte[] b) {
        int i = 0;
        while (i < b.length && Character.isWhitespace(b[i])) i++;
        return i < b.length && (b[i] == '{' || b[i] == '[');
    }

    static boolean isGzip(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b && b[2] == 0x08;
    }

    /** Strict base64: the alphabet only, padded to a multiple of four, and long enough to mean it. */
    static boolean looksLikeBase64(byte[] b) {
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) n--;
        if (n < 4 || n % 4 != 0) return false;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || (c == '=' && i >= n - 2);
            if (!ok) return false;
        }
        return true;
    }

    private static Optional<byte[]> tryBase64(byte[] b) {
        try {
            return Optional.of(Base64.getMimeDecoder().decode(b));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] gunzip(byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            // gzip ends with the uncompressed size: inflate straight into an array of that size (no
            // growing, no copy); when it is not the whole payload (several members), go on growing
            int expected = sizeHint(compressed);
            byte[] exact = new byte[expected];
            int n = in.readNBytes(exact, 0, expected);
            int next = in.read();
            if (n == expected && next < 0) {
                return exact;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxDecodedBytes, compressed.length * 8 + 64));
            out.write(exact, 0, n);
            if (next >= 0) out.write(next);
            byte[] buf = new byte[16384];
            int read;
            while (true) {
                if (out.size() > maxDecodedBytes) {
                    throw CaptureError.tooBig("decompressed payload is larger than " + maxDecodedBytes + " bytes");
                }
                if ((read = in.read(buf)) <= 0) break;
                out.write(buf, 0, read);
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException e) {
            throw CaptureError.invalid("invalid_gzip", "gzip payload could not be decompressed: " + e.getMessage());
        } catch (IOException e) {
            throw CaptureError.invalid("invalid_gzip", "gzip payload could not be decompressed: " + e.getMessage());
        }
    }

    /** ISIZE from the gzip trailer when this payload could have that size (deflate shrinks 1032:1 at most); 0 otherwise. */
    private int sizeHint(byte[] gz) {
        int n = gz.length;
        if (n < 18) return 0;
        long size = (gz[n - 4] & 0xffL) | (gz[n - 3] & 0xffL) << 8 | (gz[n - 2] & 0xffL) << 16 | (gz[n - 1] & 0xffL) << 24;
        return size <= maxDecodedBytes && size <= n * 1100L ? (int) size : 0;
    }

    private static String ascii(byte[] b, String what) {
        for (byte c : b) {
            if (c < 0) throw CaptureError.invalid("invalid_" + what, what + " payload is not ASCII");
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw CaptureError.invalid("invalid_utf8", "payload is not valid UTF-8");
        }
    }
}
