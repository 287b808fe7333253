package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * PostHog's write saving: device and page facts change on almost every event, so on an ordinary
 * event a change to only these keys does not write the person (the person keeps its stored
 * values; the event itself still carries the new ones). A new key, any other changed key, an
 * {@code $unset}, or a person event ({@code $identify}, {@code $create_alias},
 * {@code $merge_dangerously}, {@code $set}) always writes.
 */
final class FilteredPersonProperties {
    private static final Set<String> FILTERED = Set.of(
            "$current_url", "$pathname", "$referring_domain", "$referrer", "$screen_height", "$screen_width",
            "$viewport_height", "$viewport_width", "$browser", "$browser_version", "$device_type", "$raw_user_agent",
            "$os", "$os_name", "$os_version", "$geoip_postal_code", "$geoip_time_zone", "$geoip_latitude",
            "$geoip_longitude", "$geoip_accuracy_radius", "$geoip_subdivision_1_code", "$geoip_subdivision_1_name",
            "$geoip_subdivision_2_code", "$geoip_subdivision_2_name", "$geoip_subdivision_3_code",
            "$geoip_subdivision_3_name", "$geoip_city_confidence", "$geoip_country_confidence",
            "$geoip_postal_code_confidence", "$geoip_subdivision_1_confidence", "$geoip_subdivision_2_confidence");

    private static final Set<String> PERSON_EVENTS = Set.of("$identify", "$create_alias", "$merge_dangerously", "$set");

    private FilteredPersonProperties() {}

    /** True when this update may be skipped: an ordinary event that only moved filtered keys the person already had. */
    static boolean skipWrite(String eventName, PropertyMap before, PropertyMap after) {
        if (PERSON_EVENTS.contains(eventName)) {
            return false;
        }
        ObjectNode old = before.view();
        ObjectNode updated = after.view();
        Set<String> keys = new HashSet<>();
        old.fieldNames().forEachRemaining(keys::add);
        updated.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode was = old.get(key);
            JsonNode now = updated.get(key);
            if (was != null && was.equals(now)) {
                continue;
            }
            if (was == null || now == null || !FILTERED.contains(key)) {
                return false;
            }
        }
        return true;
    }
}
