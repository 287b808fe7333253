package dev.sightline.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reading query parameters and JSON bodies the same way in every handler, with 400s that name the field. */
final class Params {
    private Params() {}

    /**
     * The request body as JSON (null when empty); a body that is not JSON is a 400 naming {@code attr}.
     * JSON comes in UTF-8 (RFC 8259): a body declared in another charset is a 415, and bytes that are
     * not UTF-8 a 400, where the JSON reader would otherwise guess UTF-16 or UTF-32 from zero bytes.
     */
    static com.fasterxml.jackson.databind.JsonNode json(Context ctx, com.fasterxml.jackson.databind.ObjectMapper json, String attr) {
        String contentType = Optional.ofNullable(ctx.contentType()).orElse("");
        java.util.regex.Matcher charset = CHARSET.matcher(contentType);
        if (charset.find() && !charset.group(1).equalsIgnoreCase("utf-8") && !charset.group(1).equalsIgnoreCase("utf8")) {
            throw new ApiError(415, "invalid_request", "unsupported_media_type",
                    "send JSON in UTF-8, not " + charset.group(1), attr);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(ctx.bodyAsBytes())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ApiError(400, "validation_error", "invalid_utf8", "the body is not UTF-8: send JSON in UTF-8", attr);
        }
        // a NUL is UTF-8 but never JSON outside a string: the mark of UTF-16 or UTF-32 text
        if (text.indexOf('\u0000') >= 0) {
            throw new ApiError(400, "validation_error", "invalid_utf8", "the body holds NUL bytes (UTF-16?): send JSON in UTF-8", attr);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw ApiError.invalid(attr, "the body is not valid JSON");
        }
    }

    private static final java.util.regex.Pattern CHARSET = java.util.regex.Pattern.compile("(?i)charset\\s*=\\s*\"?([^\";\\s]+)");

    static Optional<String> string(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isEmpty());
    }

    static int integer(Context ctx, String name, int fallback, int min, int max) {
        int value = string(ctx, name).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw ApiError.invalid(name, name + " must be an integer");
            }
        }).orElse(fallback);
        if (value < min || value > max) throw ApiError.invalid(name, name + " must be between " + min + " and " + max);
        return value;
    }

    /** A numeric id in the path; anything else is a 404, as for an id that does not exist. */
    static long pathLong(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no " + name.replace("Id", "") + " '" + raw + "'");
        }
    }

    static boolean bool(Context ctx, String name) {
        return string(ctx, name).map(v -> switch (v.toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiError.invalid(name, name + " must be true or false");
        }).orElse(false);
    }

}
