package dev.sightline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.MetaStore;
import dev.sightline.store.PersonalApiKey;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /api/personal_api_keys/}: the organization's keys; a new key's value is shown once; revocation is immediate. */
final class KeysEndpoint {
    private final Auth auth;
    private final MetaStore meta;
    private final Supplier<String> newKey;
    private final ObjectMapper json;

    KeysEndpoint(Auth auth, MetaStore meta, Supplier<String> newKey, ObjectMapper json) {
        this.auth = auth;
        this.meta = meta;
        this.newKey = newKey;
        this.json = json;
    }

    void list(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        ctx.json(Map.of("results", meta.personalApiKeys(caller.organizationId()).stream().map(k -> view(k, null)).toList()));
    }

    void create(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        JsonNode body = Params.json(ctx, json, "body");
        String label = body == null ? "" : body.path("label").asText("").strip();
        if (label.isEmpty()) throw ApiError.invalid("label", "give the key a label, so you know later what uses it");
        if (label.length() > 200) throw ApiError.invalid("label", "the label is longer than 200 characters");
        String value = newKey.get();
        PersonalApiKey key = meta.createPersonalApiKey(caller.organizationId(), label, value, caller.user().map(u -> u.id()));
        ctx.status(201).json(view(key, value));
    }

    void revoke(Context ctx) {
        Auth.Caller caller = auth.caller(ctx);
        long id = Params.pathLong(ctx, "keyId");
        if (!meta.revokePersonalApiKey(caller.organizationId(), id)) throw ApiError.notFound("no personal API key " + id);
        ctx.status(204);
    }

    private static Map<String, Object> view(PersonalApiKey k, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("label", k.label());
        m.put("mask_value", k.mask());
        m.put("created_at", k.createdAt().toString());
        m.put("last_used_at", k.lastUsedAt().map(Instant::toString).orElse(null));
        m.put("user_id", k.userId().orElse(null));
        if (value != null) m.put("value", value);
        return m;
    }
}
