package dev.sightline.capture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The public entry of capture: one HTTP request in, the validated events of one project token out,
 * or a {@link CaptureError} naming what is wrong.
 */
public final class CaptureDecoder {
    /** PostHog's limits: 2 MiB for single-event paths, 20 MiB for /batch, before and after decompression. */
    public static final int EVENT_BODY_LIMIT = 2 * 1024 * 1024;
    public static final int BATCH_BODY_LIMIT = 20 * 1024 * 1024;
    /** The most one event's JSON may take; see {@link EventLimits}. */
    public static final int EVENT_SIZE_LIMIT = EventLimits.MAX_EVENT_BYTES;

    /** What the properties of decoded events are for: stages that read and change them, or storing as sent. */
    public enum PropertyForm { TREE, TEXT }

    private final EventParser parser = new EventParser();
    private final TextEventParser textParser = new TextEventParser(parser);
    private final PropertyForm form;
    private final PayloadDecoder eventDecoder = new PayloadDecoder(EVENT_BODY_LIMIT);
    private final PayloadDecoder batchDecoder = new PayloadDecoder(BATCH_BODY_LIMIT);

    /** A decoder whose events carry their properties as trees. */
    public CaptureDecoder() {
        this(PropertyForm.TREE);
    }

    public CaptureDecoder(PropertyForm form) {
        this.form = form;
    }

    public CaptureBatch decode(CaptureRequest request, boolean batchPath, Instant now) {
        return parse(payload(request, batchPath), now);
    }

    /** A request's payload out of its encodings: JSON bytes, checked to be UTF-8 and within the limit. */
    public record Payload(byte[] json, Optional<Instant> sentAt) {}

    /** The first half of {@link #decode}: the caller may weigh the JSON before its events are read. */
    public Payload payload(CaptureRequest request, boolean batchPath) {
        int limit = batchPath ? BATCH_BODY_LIMIT : EVENT_BODY_LIMIT;
        if (request.body().length > limit) {
            throw CaptureError.tooBig("request body is larger than " + limit + " bytes");
        }
        return new Payload((batchPath ? batchDecoder : eventDecoder).decodeBytes(request), querySentAt(request));
    }

    /** The second half of {@link #decode}: the events of the payload. */
    public CaptureBatch parse(Payload payload, Instant now) {
        byte[] json = payload.json();
        if (form == PropertyForm.TEXT) {
            Optional<CaptureBatch> batch = textParser.parse(json, payload.sentAt(), now);
            if (batch.isPresent()) return batch.get();
        }
        return parser.parse(new String(json, StandardCharsets.UTF_8), json.length, payload.sentAt(), now);
    }

    /** {@code sent_at} (alias {@code _}) in the query is epoch milliseconds; a value in seconds is ignored. */
    static Optional<Instant> querySentAt(CaptureRequest request) {
        return request.param("sent_at").or(() -> request.param("_")).flatMap(v -> {
            try {
                Instant at = Instant.ofEpochMilli(Long.parseLong(v.trim()));
                return at.atOffset(ZoneOffset.UTC).getYear() > 2020 ? Optional.of(at) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
