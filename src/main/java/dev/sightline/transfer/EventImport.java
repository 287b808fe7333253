package dev.sightline.transfer;

import dev.sightline.pipeline.Pipeline;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.zip.GZIPInputStream;

/**
 * The transfer package's entry: events from a PostHog-format export (JSON lines or CSV, either
 * optionally gzipped, told apart by their first bytes) into one project, through capture's
 * validation and the pipeline, with historical-migration timestamps (kept as given).
 */
public final class EventImport {
    private final Pipeline pipeline;
    private final long projectId;

    public EventImport(Pipeline pipeline, long projectId) {
        this.pipeline = pipeline;
        this.projectId = projectId;
    }

    /** Reads the whole stream; the caller closes it. Progress reports bytes of {@code in} as given (compressed). */
    public ImportSummary from(InputStream in, ImportProgress progress) throws IOException {
        CountingStream counted = new CountingStream(in);
        BufferedInputStream raw = new BufferedInputStream(counted, 1 << 16);
        InputStream data = isGzip(raw) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        skipByteOrderMark(data);
        data.mark(1 << 15);
        int first = firstNonSpace(data);
        data.reset();
        Reader reader = new InputStreamReader(data, StandardCharsets.UTF_8);
        Iterator<Row> rows = first == '{' || first == -1
                ? new JsonLines(new BufferedReader(reader, 1 << 16))
                : new CsvRows(new BufferedReader(reader, 1 << 16));
        return feed(rows, () -> counted.count, progress);
    }

    /** Events that are already JSON text, one per element (the demo generator's output). */
    public ImportSummary fromJsonLines(Iterator<String> lines, ImportProgress progress) {
        Iterator<Row> rows = new Iterator<>() {
            @Override public boolean hasNext() { return lines.hasNext(); }
            @Override public Row next() { return new Row.Event(lines.next()); }
        };
        return feed(rows, () -> 0, progress);
    }

    private ImportSummary feed(Iterator<Row> rows, java.util.function.LongSupplier bytes, ImportProgress progress) {
        Feeder feeder = new Feeder(pipeline, projectId);
        while (rows.hasNext()) {
            if (feeder.add(rows.next())) progress.update(feeder.rows(), bytes.getAsLong());
        }
        ImportSummary summary = feeder.finish();
        progress.update(summary.rows(), bytes.getAsLong());
        return summary;
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    private static void skipByteOrderMark(InputStream in) throws IOException {
        in.mark(3);
        if (in.read() != 0xEF || in.read() != 0xBB || in.read() != 0xBF) in.reset();
    }

    /** The first byte that is not white space; -1 for an empty input. */
    private static int firstNonSpace(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b == ' ' || b == '\n' || b == '\r' || b == '\t');
        return b;
    }

    private static final class CountingStream extends FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
