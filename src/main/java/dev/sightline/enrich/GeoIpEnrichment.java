package dev.sightline.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.enrich.EnrichConfig.IpStorage;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Looks the visitor's address up in the GeoIP database, then writes {@code $ip} as the
 * configured {@link IpStorage} allows. Like PostHog, the location also goes to the person:
 * {@code $geoip_*} into {@code $set} and {@code $initial_geoip_*} into {@code $set_once}, where
 * the event does not set them itself.
 */
final class GeoIpEnrichment {

    private final GeoIpDatabase database;
    private final ClientAddress clientAddress;
    private final IpStorage ipStorage;

    GeoIpEnrichment(GeoIpDatabase database, ClientAddress clientAddress, IpStorage ipStorage) {
        this.database = database;
        this.clientAddress = clientAddress;
        this.ipStorage = ipStorage;
    }

    void apply(ObjectNode properties, RequestFacts request) {
        Optional<InetAddress> address = clientAddress.resolve(properties, request);
        // posthog-node sends $geoip_disable: true on every event: its requests come from a server.
        if (address.isPresent() && !properties.path("$geoip_disable").asBoolean(false)) {
            database.lookup(address.get()).ifPresent(location -> write(properties, location));
        }
        storeIp(properties, address);
    }

    private static void write(ObjectNode properties, GeoLocation location) {
        location.writeTo(properties);
        if (properties.path("$process_person_profile").isBoolean() && !properties.get("$process_person_profile").booleanValue()) {
            return; // a personless event changes no person: person processing would only strip these again
        }
        ObjectNode set = object(properties, "$set");
        ObjectNode setOnce = object(properties, "$set_once");
        var nodes = location.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            // the event's own value where it had one, else the location's
            JsonNode value = properties.get(nodes.get(i).getKey());
            if (set != null) set.putIfAbsent(nodes.get(i).getKey(), value);
            if (setOnce != null) setOnce.putIfAbsent(location.initialNames().get(i), value);
        }
    }

    /** The object under {@code key}, created when absent; null when something else is there. */
    private static ObjectNode object(ObjectNode properties, String key) {
        var node = properties.get(key);
        if (node == null || node.isNull()) {
            return properties.putObject(key);
        }
        return node instanceof ObjectNode object ? object : null;
    }

    private void storeIp(ObjectNode properties, Optional<InetAddress> address) {
        switch (ipStorage) {
            case NONE -> properties.remove("$ip");
            case FULL -> {
                if (!properties.has("$ip")) {
                    address.ifPresent(a -> properties.put("$ip", IpAddresses.format(a)));
                }
            }
            case TRUNCATED -> address.ifPresentOrElse(
                    a -> properties.put("$ip", IpAddresses.format(IpAddresses.truncate(a))),
                    () -> properties.remove("$ip"));
        }
    }
}
