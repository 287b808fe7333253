package dev.sightline.capture;

/**
 * A capture request that cannot be accepted. Carries the HTTP status and the
 * {@code {type, code, detail}} triple that the API renders as the JSON error body.
 */
public final class CaptureError extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String attr;
    private final int retryAfterSeconds;

    private CaptureError(int status, String type, String code, String detail, String attr) {
        this(status, type, code, detail, attr, 0);
    }

    private CaptureError(int status, String type, String code, String detail, String attr, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.attr = attr;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static CaptureError invalid(String code, String detail) {
        return new CaptureError(400, "validation_error", code, detail, null);
    }

    /** A refusal that names the offending field of the event. */
    public static CaptureError invalid(String code, String detail, String attr) {
        return new CaptureError(400, "validation_error", code, detail, attr);
    }

    public static CaptureError auth(String code, String detail) {
        return new CaptureError(401, "authentication_error", code, detail, null);
    }

    public static CaptureError tooBig(String detail) {
        return tooBig("payload_too_large", detail);
    }

    public static CaptureError tooBig(String code, String detail) {
        return new CaptureError(413, "validation_error", code, detail, null);
    }

    /** More events wait to be stored than the queue holds: the client retries in a moment. */
    public static CaptureError queueFull(String detail) {
        return new CaptureError(503, "server_error", "ingestion_queue_full", detail, null, 1);
    }

    /** Capture requests in flight hold as much of the heap as they may (see {@link InFlightBytes}). */
    public static CaptureError busy(String detail) {
        return new CaptureError(503, "server_error", "capture_busy", detail, null, 1);
    }

    /** The store refused the commit (its disk, a lock, a closed database): nothing was stored, a retry may succeed. */
    public static CaptureError storageUnavailable(String detail) {
        return new CaptureError(503, "server_error", "storage_unavailable", detail, null, 5);
    }

    /** The server is stopping and takes no more events; it, or its replacement, will be back. */
    public static CaptureError shuttingDown(String detail) {
        return new CaptureError(503, "server_error", "shutting_down", detail, null, 5);
    }

    /** The server itself failed (an {@link Error} while storing): nothing the client sent is at fault. */
    public static CaptureError failed(String detail) {
        return new CaptureError(500, "server_error", "internal_error", detail, null);
    }

    public int status() { return status; }
    /** For a 503: the seconds a client should wait before it retries (the Retry-After header); else 0. */
    public int retryAfterSeconds() { return retryAfterSeconds; }
    public String type() { return type; }
    public String code() { return code; }
    public String detail() { return getMessage(); }
    /** The field at fault, or null. */
    public String attr() { return attr; }
}
