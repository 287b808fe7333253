package dev.sightline.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Finds the visitor's address: {@code $ip} when the event brings one (server SDKs forward their
 * visitor's), else the connection's peer. X-Forwarded-For is believed only when the peer is a
 * configured proxy, and then read from the right, skipping further trusted proxies, because
 * entries on the left are whatever the client chose to write.
 */
final class ClientAddress {

    private final List<Cidr> trustedProxies;

    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(Cidr::parse).toList();
    }

    Optional<InetAddress> resolve(ObjectNode properties, RequestFacts request) {
        var fromEvent = properties.get("$ip");
        if (fromEvent != null && fromEvent.isTextual()) {
            Optional<InetAddress> parsed = IpAddresses.parse(fromEvent.asText());
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        Optional<InetAddress> peer = IpAddresses.parse(request.remoteAddress());
        if (peer.isEmpty() || !trusted(peer.get()) || request.forwardedFor().isEmpty()) {
            return peer;
        }
        String[] hops = request.forwardedFor().get().split(",");
        InetAddress client = peer.get();
        for (int i = hops.length - 1; i >= 0; i--) {
            Optional<InetAddress> hop = IpAddresses.parse(hops[i]);
            if (hop.isEmpty()) {
                break; // a garbled entry: trust nothing to its left
            }
            client = hop.get();
            if (!trusted(client)) {
                break;
            }
        }
        return Optional.of(client);
    }

    private boolean trusted(InetAddress address) {
        for (Cidr range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
