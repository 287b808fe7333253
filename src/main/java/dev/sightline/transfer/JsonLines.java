package dev.sightline.transfer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** PostHog's export format: one event object per line; blank lines are skipped. Capture checks the JSON. */
final class JsonLines implements Iterator<Row> {
    private final BufferedReader reader;
    private String next;

    JsonLines(BufferedReader reader) {
        this.reader = reader;
        advance();
    }

    private void advance() {
        try {
            do {
                next = reader.readLine();
            } while (next != null && next.isBlank());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public Row next() {
        if (next == null) throw new NoSuchElementException();
        String line = next;
        advance();
        return new Row.Event(line);
    }
}
