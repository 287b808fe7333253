package dev.sightline.transfer;

import dev.sightline.capture.CaptureBatch;
import dev.sightline.capture.CaptureDecoder;
import dev.sightline.capture.CaptureError;
import dev.sightline.capture.CaptureRequest;
import dev.sightline.capture.CapturedEvent;
import dev.sightline.enrich.RequestFacts;
import dev.sightline.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Puts imported rows through capture's own decoder, as a batch with {@code historical_migration},
 * and hands the accepted events to the pipeline. Rows go in chunks; a chunk that capture refuses
 * is decoded again row by row, so one bad row costs only itself. A full pipeline queue is waited
 * out (the same back-pressure an SDK gets as 503), keeping a few chunks in flight.
 */
final class Feeder {
    /**
     * Historical timestamps are kept as given: with "now" this far ahead, capture's clock-skew and
     * future-clamp rules have nothing to correct (no sent_at is sent), and an event without a
     * readable timestamp comes out at this instant, which is how it is recognised and refused.
     */
    static final Instant HISTORICAL_NOW = Instant.parse("9000-01-01T00:00:00Z");
    private static final Instant LATEST_REAL = Instant.parse("8999-01-01T00:00:00Z");
    private static final int CHUNK_EVENTS = 1_000;
    private static final int CHUNK_BYTES = 4 * 1024 * 1024;
    private static final int MAX_IN_FLIGHT = 32; // the pipeline commits what waits together: larger commits amortise person writes
    // no connection: enrichment finds addresses and browsers in the events themselves ($ip, $raw_user_agent)
    private static final RequestFacts IMPORT = new RequestFacts("", Optional.empty(), Optional.empty());

    private record InFlight(CompletableFuture<Void> done, int events) {}

    private final Pipeline pipeline;
    private final long projectId;
    private final CaptureDecoder decoder = new CaptureDecoder();
    private final List<String> chunk = new ArrayList<>();
    private int chunkBytes;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final Map<String, Long> rejected = new HashMap<>();
    private long rows;
    private long accepted;

    Feeder(Pipeline pipeline, long projectId) {
        this.pipeline = pipeline;
        this.projectId = projectId;
    }

    long rows() {
        return rows;
    }

    /** @return true when a chunk went to the pipeline (a good moment to report progress) */
    boolean add(Row row) {
        rows++;
        switch (row) {
            case Row.Bad bad -> reject(bad.reason(), 1);
            case Row.Event event -> {
                chunk.add(event.json());
                chunkBytes += event.json().length();
                if (chunk.size() >= CHUNK_EVENTS || chunkBytes >= CHUNK_BYTES) {
                    flush();
                    return true;
                }
            }
        }
        return false;
    }

    ImportSummary finish() {
        flush();
        while (!inFlight.isEmpty()) awaitOldest();
        return ImportSummary.of(rows, accepted, rejected);
    }

    private void flush() {
        if (chunk.isEmpty()) return;
        List<CapturedEvent> events = decodeChunk();
        chunk.clear();
        chunkBytes = 0;
        if (!events.isEmpty()) submit(events);
    }

    private List<CapturedEvent> decodeChunk() {
        try {
            CaptureBatch batch = decode(chunk);
            // a line holding two objects, or half of one, shows up as a different count
            if (batch.events().size() == chunk.size()) return withRealTimestamps(batch.events());
        } catch (CaptureError e) {
            // one of the rows is bad: find it below
        }
        List<CapturedEvent> good = new ArrayList<>(chunk.size());
        for (String json : chunk) {
            try {
                if (!json.stripLeading().startsWith("{")) {
                    reject("invalid_event", 1);
                    continue;
                }
                CaptureBatch one = decode(List.of(json));
                if (one.events().size() != 1) {
                    reject("invalid_json", 1);
                    continue;
                }
                good.addAll(withRealTimestamps(one.events()));
            } catch (CaptureError e) {
                reject(e.code(), 1);
            }
        }
        return good;
    }

    private CaptureBatch decode(List<String> jsons) {
        StringBuilder body = new StringBuilder(chunkBytes + 64 + jsons.size());
        body.append("{\"api_key\":\"import\",\"historical_migration\":true,\"batch\":[");
        for (int i = 0; i < jsons.size(); i++) {
            if (i > 0) body.append(',');
            body.append(jsons.get(i));
        }
        body.append("]}");
        CaptureRequest request = new CaptureRequest(body.toString().getBytes(StandardCharsets.UTF_8), "application/json", "", Map.of());
        return decoder.decode(request, true, HISTORICAL_NOW);
    }

    private List<CapturedEvent> withRealTimestamps(List<CapturedEvent> events) {
        List<CapturedEvent> kept = new ArrayList<>(events.size());
        for (CapturedEvent e : events) {
            if (e.timestamp().isAfter(LATEST_REAL)) reject("invalid_timestamp", 1);
            else kept.add(e);
        }
        return kept;
    }

    private void submit(List<CapturedEvent> events) {
        while (true) {
            while (inFlight.size() >= MAX_IN_FLIGHT) awaitOldest();
            try {
                inFlight.add(new InFlight(pipeline.submit(projectId, events, IMPORT), events.size()));
                return;
            } catch (CaptureError e) {
                if (e.status() != 503) throw e;
                if (inFlight.isEmpty()) pause(); else awaitOldest();
            }
        }
    }

    private void awaitOldest() {
        InFlight oldest = inFlight.poll();
        try {
            oldest.done().get();
            accepted += oldest.events();
        } catch (ExecutionException e) {
            reject("not_stored", oldest.events());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        }
    }

    private void reject(String reason, long n) {
        rejected.merge(reason, n, Long::sum);
    }
}
