package dev.sightline.robust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a raw socket, followed by a second request on the same connection,
 * to see what a pooling client would see: whether the server keeps the connection usable or at
 * least announces that it closes it. (java.net.http hides connection handling.)
 */
record RawExchange(int status, String headers, String body, boolean announcedClose, boolean nextRequestAnswered) {

    static RawExchange run(String baseUrl, String request) throws IOException {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String headers = readHeaders(in);
            int status = headers.length() >= 12 ? Integer.parseInt(headers.substring(9, 12)) : -1;
            String body = new String(in.readNBytes(contentLength(headers)), StandardCharsets.UTF_8);
            boolean announcedClose = headers.toLowerCase(Locale.ROOT).contains("\nconnection: close");
            boolean answered;
            try {
                out.write("GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                answered = readHeaders(in).startsWith("HTTP/1.1 200");
            } catch (IOException e) {
                answered = false;
            }
            return new RawExchange(status, headers, body, announcedClose, answered);
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int run = 0;
        for (int c = in.read(); c != -1; c = in.read()) {
            headers.write(c);
            run = (c == '\r' || c == '\n') ? run + 1 : 0;
            if (run == 4) break;
        }
        return headers.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }
}
