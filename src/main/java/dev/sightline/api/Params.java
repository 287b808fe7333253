package dev.sightline.api;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reading query parameters and JSON bodies the same way in every handler, with 400s that name the field. */
final class Params {
    private Params() {}

    /** The request body as JSON (null when empty); a body that is not JSON is a 400 naming {@code attr}. */
    static com.fasterxml.jackson.databind.JsonNode json(Context ctx, com.fasterxml.jackson.databind.ObjectMapper json, String attr) {
        try {
            return json.readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
            throw ApiError.invalid(attr, "the body is not valid JSON");
        }
    }

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

    /** This request's URL with {@code cursor} replaced: the "next" link of a page. */
    static String nextUrl(Context ctx, String cursor) {
        StringBuilder url = new StringBuilder(ctx.scheme()).append("://").append(ctx.host()).append(ctx.path()).append('?');
        ctx.queryParamMap().forEach((k, vs) -> {
            if (k.equals("cursor")) return;
            for (String v : vs) url.append(enc(k)).append('=').append(enc(v)).append('&');
        });
        return url.append("cursor=").append(enc(cursor)).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
