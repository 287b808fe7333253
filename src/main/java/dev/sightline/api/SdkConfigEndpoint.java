package dev.sightline.api;

import dev.sightline.capture.CaptureError;
import dev.sightline.capture.FlagsRequest;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What posthog-js asks for at start: the remote config and the flags. Until feature flags exist
 * the flag set is empty; the config advertises gzip so that browsers compress what they send.
 */
final class SdkConfigEndpoint {
    private static final List<String> COMPRESSION = List.of("gzip", "gzip-js");

    private final MetaStore meta;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    SdkConfigEndpoint(MetaStore meta, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.meta = meta;
        this.json = json;
    }

    /**
     * A POST is read like a capture request and must name a known project and a distinct id
     * (400, 401 or 413 otherwise, as capture answers); a GET gets the empty set, as PostHog's does.
     */
    void flags(Context ctx) {
        if (ctx.method() == io.javalin.http.HandlerType.POST) {
            try {
                FlagsRequest request = FlagsRequest.decode(CaptureEndpoint.read(ctx, FlagsRequest.BODY_LIMIT));
                if (meta.projectByToken(request.token()).isEmpty()) {
                    throw CaptureError.auth("invalid_token", "the project token is not known to this server");
                }
            } catch (CaptureError e) {
                CaptureEndpoint.render(ctx, e);
                return;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("flags", Map.of());
        body.put("featureFlags", Map.of());
        body.put("featureFlagPayloads", Map.of());
        body.put("errorsWhileComputingFlags", false);
        body.put("quotaLimited", List.of());
        body.put("requestId", UUID.randomUUID().toString());
        body.put("supportedCompression", COMPRESSION);
        body.put("sessionRecording", false);
        body.put("config", Map.of("enable_collect_everything", true));
        ctx.json(body);
    }

    void config(Context ctx) {
        ctx.json(remoteConfig(project(ctx)));
    }

    void configJs(Context ctx) throws com.fasterxml.jackson.core.JsonProcessingException {
        Project p = project(ctx);
        // the token is embedded through the JSON encoder, so nothing from the path reaches the script raw
        String cfg = json.writeValueAsString(remoteConfig(p));
        String token = json.writeValueAsString(p.token());
        ctx.contentType("application/javascript").result(
                "(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};"
                        + "window._POSTHOG_REMOTE_CONFIG[" + token + "]={config:" + cfg + ",siteApps:[]};})();");
    }

    private Project project(Context ctx) {
        String token = ctx.pathParam("token");
        return meta.projectByToken(token).orElseThrow(() -> ApiError.notFound("no project with this token"));
    }

    private static Map<String, Object> remoteConfig(Project p) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("token", p.token());
        c.put("supportedCompression", COMPRESSION);
        c.put("hasFeatureFlags", false);
        c.put("captureDeadClicks", false);
        c.put("capturePerformance", false);
        c.put("autocapture_opt_out", false);
        c.put("autocaptureExceptions", false);
        c.put("analytics", Map.of("endpoint", "/i/v0/e/"));
        c.put("elementsChainAsString", true);
        c.put("sessionRecording", false);
        c.put("heatmaps", false);
        c.put("surveys", false);
        c.put("defaultIdentifiedOnly", true);
        c.put("siteApps", List.of());
        return c;
    }
}
