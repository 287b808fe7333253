package dev.sightline.api;

import dev.sightline.capture.CaptureBatch;
import dev.sightline.capture.CaptureDecoder;
import dev.sightline.capture.CaptureError;
import dev.sightline.capture.CaptureRequest;
import dev.sightline.capture.InFlightBytes;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.enrich.RequestFacts;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The capture paths: read the request, decode it, hand it to the pipeline, answer once durable. */
final class CaptureEndpoint {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CaptureEndpoint.class);
    /** The answer to every accepted request, written as bytes: no JSON writer per request. */
    private static final byte[] OK = "{\"status\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final CaptureDecoder decoder;
    private final MetaStore meta;
    private final Pipeline pipeline;
    private final InFlightBytes inFlight;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final io.micrometer.core.instrument.Counter received;

    CaptureEndpoint(MetaStore meta, Pipeline pipeline, InFlightBytes inFlight, MeterRegistry metrics, Clock clock) {
        this.meta = meta;
        this.inFlight = inFlight;
        metrics.gauge("sightline_capture_bytes_in_flight", inFlight, InFlightBytes::heldBytes);
        this.pipeline = pipeline;
        this.decoder = new CaptureDecoder(pipeline.readsProperties() ? CaptureDecoder.PropertyForm.TREE : CaptureDecoder.PropertyForm.TEXT);
        this.metrics = metrics;
        this.clock = clock;
        this.received = metrics.counter("sightline_events_received");
    }

    void handle(Context ctx, boolean batchPath) {
        int limit = batchPath ? CaptureDecoder.BATCH_BODY_LIMIT : CaptureDecoder.EVENT_BODY_LIMIT;
        try (InFlightBytes.Reservation held = reserveBody(ctx, limit)) {
            CaptureRequest request = read(ctx, limit);
            held.shrinkTo(request.body().length);
            CaptureDecoder.Payload payload = decoder.payload(request, batchPath);
            held.grow((long) payload.json().length * InFlightBytes.DECODED_WEIGHT);
            CaptureBatch batch = decoder.parse(payload, clock.instant());
            Project project = meta.projectByToken(batch.token())
                    .orElseThrow(() -> CaptureError.auth("invalid_token", "the project token is not known to this server"));
            RequestFacts facts = new RequestFacts(ctx.req().getRemoteAddr(), Optional.ofNullable(ctx.userAgent()),
                    Optional.ofNullable(ctx.header("X-Forwarded-For")));
            if (batch.eventsTooLarge() > 0) {
                // the others are stored and the client hears 200: an SDK would resend the whole batch on an error
                metrics.counter("sightline_capture_dropped", "reason", "event_too_large").increment(batch.eventsTooLarge());
                log.warn("project {}: left out {} of {} events of one request, each larger than {} bytes", project.id(),
                        batch.eventsTooLarge(), batch.eventsTooLarge() + batch.events().size(), CaptureDecoder.EVENT_SIZE_LIMIT);
            }
            batch.warnings().forEach((type, n) -> metrics.counter("sightline_ingestion_warnings", "type", type).increment(n));
            var done = pipeline.submit(project.id(), batch.events(), facts);
            received.increment(batch.events().size());
            await(done);
            if ("1".equals(ctx.queryParam("beacon"))) {
                ctx.status(204);
            } else {
                ctx.contentType("application/json").result(OK);
            }
        } catch (CaptureError e) {
            metrics.counter("sightline_capture_rejected", "reason", e.code()).increment();
            render(ctx, e);
        }
    }

    /**
     * Room for the body before it is read: its declared length, or the path's limit when it
     * declares none. Refused, the body is still read to its end, so the client gets the 503.
     */
    private InFlightBytes.Reservation reserveBody(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        try {
            return inFlight.reserve(declared < 0 ? limit : Math.min(declared, limit));
        } catch (CaptureError e) {
            drain(ctx);
            throw e;
        }
    }

    /** A refusal as capture answers it, for every SDK path. */
    static void render(Context ctx, CaptureError e) {
        if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        ctx.status(e.status()).json(new ApiError.ErrorBody(e.type(), e.code(), e.detail(), e.attr()));
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> done) {
        try {
            done.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CaptureError ce) throw ce;
            throw CaptureError.storageUnavailable("the events could not be stored; retry later");
        } catch (TimeoutException e) {
            throw CaptureError.storageUnavailable("storing the events took too long; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CaptureError.shuttingDown("interrupted; retry later");
        }
    }

    /** The largest body read only to be thrown away, so that its sender sees the 413 rather than a reset. */
    private static final long DRAINED_AT_MOST = CaptureDecoder.BATCH_BODY_LIMIT + 1024L * 1024;

    /**
     * Reads and discards the rest of a body that is refused for its size. Answering while the client
     * is still writing makes the server close the connection under it, and the client then sees a
     * broken pipe instead of the 413 that says what was wrong. Bodies beyond the HTTP server's own
     * cap are not read: the connection is closed on them.
     */
    private static void drain(Context ctx) {
        try {
            var in = ctx.req().getInputStream();
            long skipped = 0;
            byte[] sink = new byte[64 * 1024];
            for (int n; skipped < DRAINED_AT_MOST && (n = in.read(sink)) > 0; ) skipped += n;
        } catch (IOException ignored) {
            // the client went away: nobody is left to read the answer
        }
    }

    /** The request as capture sees it; a body over {@code limit} is read to the end (see {@link #drain}) and refused with 413. */
    static CaptureRequest read(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            drain(ctx);
            throw CaptureError.tooBig("request body of " + declared + " bytes is larger than " + limit + " bytes");
        }
        byte[] body;
        try {
            body = ctx.req().getInputStream().readNBytes(limit + 1);
        } catch (IOException e) {
            throw CaptureError.invalid("unreadable_body", "the request body could not be read: " + e.getMessage());
        }
        if (body.length > limit) {
            drain(ctx);
            throw CaptureError.tooBig("request body is larger than " + limit + " bytes");
        }
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) query.put(k, v.getFirst());
        });
        String contentType = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        int semi = contentType.indexOf(';');
        if (semi >= 0) contentType = contentType.substring(0, semi).trim();
        String encoding = Optional.ofNullable(ctx.header("Content-Encoding")).orElse("");
        return new CaptureRequest(body, contentType, encoding, query);
    }
}
