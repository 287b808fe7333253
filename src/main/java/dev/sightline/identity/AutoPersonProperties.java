package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * Copies device, page and campaign properties of an event onto its person: the latest value into
 * {@code $set}, the first-touch value as {@code $initial_*} into {@code $set_once}. What the client
 * sent explicitly in {@code $set} / {@code $set_once} always wins.
 */
final class AutoPersonProperties {

    private static final List<String> LIFTED = List.of(
            "$app_build", "$app_name", "$app_namespace", "$app_version",
            "$browser", "$browser_version", "$device_type", "$current_url", "$pathname",
            "$os", "$os_name", "$os_version", "$referring_domain", "$referrer",
            "$screen_height", "$screen_width", "$viewport_height", "$viewport_width", "$raw_user_agent",
            "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_name", "utm_term",
            "gclid", "gad_source", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "twclid",
            "li_fat_id", "mc_cid", "igshid", "ttclid", "rdt_cid", "irclid", "_kx", "epik", "qclid", "sccid");

    // Recordings and performance events describe the page, not the person.
    private static final Set<String> NOT_FOR_PERSONS = Set.of("$snapshot", "$performance_event");

    private AutoPersonProperties() {
    }

    private static final Set<String> LIFTED_KEYS = Set.copyOf(LIFTED);

    /** Whether an event's {@code key} is copied onto its person as the latest value. */
    static boolean lifts(String key) {
        return LIFTED_KEYS.contains(key);
    }

    static void lift(PersonEvent event) {
        if (NOT_FOR_PERSONS.contains(event.name())) {
            return;
        }
        ObjectNode properties = event.properties();
        // Server SDKs stamp the server's own OS; that is not the user's device.
        boolean server = properties.path("$is_server").isBoolean() && properties.get("$is_server").booleanValue();
        // copies: the objects may be the caller's, which the rules never change
        ObjectNode set = event.objectProperty(PersonEvent.SET).deepCopy();
        ObjectNode setOnce = event.objectProperty(PersonEvent.SET_ONCE).deepCopy();
        boolean lifted = false;
        for (String key : LIFTED) {
            JsonNode value = properties.get(key);
            if (value == null || (server && (key.equals("$os") || key.equals("$os_version")))) {
                continue;
            }
            lifted = true;
            if (!set.has(key)) {
                set.set(key, value.deepCopy());
            }
            String initialKey = "$initial_" + (key.startsWith("$") ? key.substring(1) : key);
            // a null first touch would block the real one forever, since $set_once never overwrites
            if (!value.isNull() && !setOnce.has(initialKey)) {
                setOnce.set(initialKey, value.deepCopy());
            }
        }
        // the visit's channel only as first touch: as a latest value it would change, and write, on every visit
        JsonNode channel = properties.get("$channel_type");
        if (channel != null && !channel.isNull() && !setOnce.has("$initial_channel_type")) {
            setOnce.set("$initial_channel_type", channel.deepCopy());
            lifted = true;
        }
        if (!lifted) {
            return;
        }
        JsonNode osName = properties.get("$os_name");
        if (osName != null && !server) {
            // some SDKs say $os_name for $os; it only ever feeds $initial_os, never a person property
            if (!osName.isNull() && !setOnce.has("$initial_os")) {
                setOnce.set("$initial_os", osName.deepCopy());
            }
            set.remove("$os_name");
            setOnce.remove("$initial_os_name");
        }
        event.put(PersonEvent.SET, set);
        event.put(PersonEvent.SET_ONCE, setOnce);
    }
}
