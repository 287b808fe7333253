package dev.sightline.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One GeoIP answer as the {@code $geoip_*} properties PostHog uses. Read from either layout of
 * MaxMind-format files: the nested GeoIP2/GeoLite2 City one ({@code country.iso_code},
 * {@code city.names.en}, ...) or the flat one of the ip-location-db DB-IP packages
 * ({@code country_code}, {@code state1}, {@code city}, ...). Only what the file holds is filled.
 *
 */
final class GeoLocation {
    private final Map<String, Object> properties;
    /**
     * The properties as JSON nodes, made once per answer: one answer (cached per address) is
     * written into every event from that address, and nodes are immutable, so events share them.
     */
    private final List<Map.Entry<String, JsonNode>> nodes;
    /** The person's {@code $initial_geoip_*} names, in the same order. */
    private final List<String> initialNames;

    GeoLocation(Map<String, Object> properties) {
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        List<Map.Entry<String, JsonNode>> nodes = new ArrayList<>();
        List<String> initialNames = new ArrayList<>();
        this.properties.forEach((key, value) -> {
            nodes.add(Map.entry(key, value instanceof Double d ? JsonNodeFactory.instance.numberNode(d)
                    : JsonNodeFactory.instance.textNode(value.toString())));
            initialNames.add("$initial_" + key.substring(1));
        });
        this.nodes = List.copyOf(nodes);
        this.initialNames = List.copyOf(initialNames);
    }

    /** Property name to value (String or Double), in a stable order. */
    Map<String, Object> properties() {
        return properties;
    }

    List<Map.Entry<String, JsonNode>> nodes() {
        return nodes;
    }

    List<String> initialNames() {
        return initialNames;
    }

    static Optional<GeoLocation> fromRecord(Map<?, ?> record) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (record.containsKey("country_code")) {
            readFlat(record, out);
        } else {
            readNested(record, out);
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(new GeoLocation(out));
    }

    /** Puts each property the event does not have yet. */
    void writeTo(ObjectNode target) {
        for (Map.Entry<String, JsonNode> e : nodes) target.putIfAbsent(e.getKey(), e.getValue());
    }

    private static void readFlat(Map<?, ?> r, Map<String, Object> out) {
        String code = text(r.get("country_code"));
        if (code != null && !code.equals("ZZ")) {
            put(out, "$geoip_country_code", code);
            Countries.byCode(code).ifPresent(c -> {
                put(out, "$geoip_country_name", c.name());
                put(out, "$geoip_continent_code", c.continentCode());
                put(out, "$geoip_continent_name", c.continentName());
            });
        }
        put(out, "$geoip_subdivision_1_name", text(r.get("state1")));
        put(out, "$geoip_subdivision_2_name", text(r.get("state2")));
        put(out, "$geoip_city_name", text(r.get("city")));
        put(out, "$geoip_postal_code", text(r.get("postcode")));
        putCoordinates(out, r.get("latitude"), r.get("longitude"));
        put(out, "$geoip_time_zone", text(r.get("timezone")));
    }

    private static void readNested(Map<?, ?> r, Map<String, Object> out) {
        Map<?, ?> country = map(r.get("country"));
        if (country.isEmpty()) {
            country = map(r.get("registered_country"));
        }
        put(out, "$geoip_country_code", text(country.get("iso_code")));
        put(out, "$geoip_country_name", englishName(country));
        Map<?, ?> continent = map(r.get("continent"));
        put(out, "$geoip_continent_code", text(continent.get("code")));
        put(out, "$geoip_continent_name", englishName(continent));
        if (r.get("subdivisions") instanceof List<?> subdivisions) {
            for (int i = 0; i < Math.min(2, subdivisions.size()); i++) {
                Map<?, ?> subdivision = map(subdivisions.get(i));
                put(out, "$geoip_subdivision_" + (i + 1) + "_code", text(subdivision.get("iso_code")));
                put(out, "$geoip_subdivision_" + (i + 1) + "_name", englishName(subdivision));
            }
        }
        put(out, "$geoip_city_name", englishName(map(r.get("city"))));
        put(out, "$geoip_postal_code", text(map(r.get("postal")).get("code")));
        Map<?, ?> location = map(r.get("location"));
        putCoordinates(out, location.get("latitude"), location.get("longitude"));
        put(out, "$geoip_time_zone", text(location.get("time_zone")));
    }

    private static void putCoordinates(Map<String, Object> out, Object latitude, Object longitude) {
        if (latitude instanceof Number lat && longitude instanceof Number lon) {
            out.put("$geoip_latitude", coordinate(lat));
            out.put("$geoip_longitude", coordinate(lon));
        }
    }

    /**
     * DB-IP stores coordinates as 32-bit floats: widened as they are, 51.5143 would print as
     * 51.51430130004883, digits the database never held. The float's own shortest decimal is its value.
     */
    private static double coordinate(Number n) {
        return n instanceof Float f ? Double.parseDouble(f.toString()) : n.doubleValue();
    }

    private static String englishName(Map<?, ?> node) {
        return text(map(node.get("names")).get("en"));
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static void put(Map<String, Object> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
