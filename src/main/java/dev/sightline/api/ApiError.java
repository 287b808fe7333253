package dev.sightline.api;

/**
 * An API failure rendered as PostHog's error body {@code {type, code, detail, attr}}.
 * {@code attr} names the offending field when there is one, else it is null in the JSON.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String attr;

    public ApiError(int status, String type, String code, String detail, String attr) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.attr = attr;
    }

    static ApiError notFound(String detail) {
        return new ApiError(404, "invalid_request", "not_found", detail, null);
    }

    static ApiError unauthenticated(String detail) {
        return new ApiError(401, "authentication_error", "not_authenticated", detail, null);
    }

    static ApiError forbidden(String detail) {
        return new ApiError(403, "authentication_error", "permission_denied", detail, null);
    }

    /** A route that exists for other methods: 405 with the Allow header that names them. */
    static void methodNotAllowed(io.javalin.http.Context ctx, String allowed) {
        ctx.header("Allow", allowed);
        throw new ApiError(405, "invalid_request", "method_not_allowed", ctx.method() + " " + ctx.path() + " is not served; use " + allowed, null);
    }

    static ApiError invalid(String attr, String detail) {
        return new ApiError(400, "validation_error", "invalid_input", detail, attr);
    }

    int status() { return status; }

    ErrorBody body() {
        return new ErrorBody(type, code, getMessage(), attr);
    }

    record ErrorBody(String type, String code, String detail, String attr) {}
}
