package dev.sightline.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Adds what the server knows or can work out to an event's properties, before identity
 * processing: browser, OS and device from the user agent (and a bot mark), location from
 * GeoIP, campaign parameters, referring domain and channel, and a session for events that
 * come without one. Every step only fills properties the event does not already have, so
 * values computed by an SDK always win.
 *
 * <p>Thread-safe; one instance serves the whole server. Construction returns at once: the
 * user-agent parser builds itself in the background (see {@link #userAgentParserReady()}).
 * Details and the rule tables: docs/enrichment.md.
 */
public final class Enricher implements AutoCloseable {

    // Events about persons or groups rather than a visitor's activity: a session would be noise.
    private static final Set<String> SESSIONLESS_EVENTS = Set.of(
            "$groupidentify", "$create_alias", "$merge_dangerously", "$set");

    private final UserAgentParser userAgentParser;
    private final UserAgentEnrichment userAgent;
    private final GeoIpDatabase geoIpDatabase;
    private final GeoIpEnrichment geoIp;
    private final AttributionEnrichment attribution = new AttributionEnrichment();
    private final SessionAssigner sessions;
    private final boolean serverSessions;

    /**
     * Opens the GeoIP files and starts the user-agent parser in the background.
     *
     * @throws java.io.UncheckedIOException when a GeoIP file exists but cannot be read
     */
    public Enricher(EnrichConfig config) {
        this(config, UserAgentParser.startInBackground(config.userAgentCacheSize(), config.userAgentWait()));
    }

    Enricher(EnrichConfig config, UserAgentParser userAgentParser) {
        ClientAddress clientAddress = new ClientAddress(config.trustedProxies());
        this.userAgentParser = userAgentParser;
        this.userAgent = new UserAgentEnrichment(userAgentParser);
        this.geoIpDatabase = GeoIpDatabase.open(config.geoIpPath());
        this.geoIp = new GeoIpEnrichment(geoIpDatabase, clientAddress, config.ipStorage());
        this.sessions = new SessionAssigner(config.sessionTimeout(), config.maxSessionLength(),
                config.maxTrackedVisitors());
        this.serverSessions = config.serverSessions();
    }

    /**
     * Enriches one event in place. Call it in event order per (project, distinct id) where
     * possible; out-of-order and late events are handled (rule in docs/enrichment.md).
     */
    public void enrich(ObjectNode properties, EventFacts event, RequestFacts request) {
        userAgent.apply(properties, request);
        geoIp.apply(properties, request);
        attribution.apply(properties);
        if (serverSessions && !SESSIONLESS_EVENTS.contains(event.event())
                && properties.path("$session_id").asText("").isBlank()) {
            properties.put("$session_id",
                    sessions.assign(event.projectId(), event.distinctId(), event.timestamp()).toString());
        }
    }

    /**
     * Completes when user agents are parsed; until then (and at most for the configured wait
     * after start-up) events pass without browser fields. For health output, not for readiness.
     */
    public CompletableFuture<Void> userAgentParserReady() {
        return userAgentParser.ready();
    }

    /** The GeoIP files in use, as found at start-up; empty when none were found. */
    public List<Path> geoIpFiles() {
        return geoIpDatabase.files();
    }

    @Override
    public void close() {
        geoIpDatabase.close();
    }
}
