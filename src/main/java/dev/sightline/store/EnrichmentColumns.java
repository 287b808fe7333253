package dev.sightline.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text properties that enrichment fills on nearly every event (browser, OS, device type and
 * the GeoIP names and codes) are stored in columns of their own, not in the event's JSON.
 *
 * <p>Why: in the JSON they are about 300 characters an event that every write serializes and
 * DuckDB stores again for each event; in columns of their own they compress to a few bits each
 * (a handful of distinct values), and insights read {@code $browser} or a country from its
 * column without parsing any JSON. Measured, storing them in the JSON was about 10 of the 16 points
 * that enrichment cost ingestion (docs/benchmarks.md).
 *
 * <p>The rule, which every reader relies on: for every stored event, a key's column holds what
 * {@code json_extract_string} gives for that key of the event's properties as captured and
 * enriched (NULL where it has none). A text value leaves the JSON for its column; any other value
 * (a number, an object someone sent under one of these keys) stays in the JSON as sent and its
 * column holds its text, so the event's whole properties are the JSON plus the columns of the keys
 * the JSON lacks.
 */
public final class EnrichmentColumns {
    private EnrichmentColumns() {}

    /** The keys, in column order. Appending is a schema change: a migration adds the column and fills it. */
    public static final List<String> KEYS = List.of(
            "$browser", "$os", "$os_version", "$device_type",
            "$geoip_country_code", "$geoip_country_name", "$geoip_continent_code", "$geoip_continent_name",
            "$geoip_subdivision_1_code", "$geoip_subdivision_1_name", "$geoip_city_name", "$geoip_postal_code",
            "$geoip_time_zone");

    /** Key → column name: {@code ep_} and the key without its {@code $}, so names are ours and fixed. */
    public static final Map<String, String> COLUMNS;

    static {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String key : KEYS) columns.put(key, "ep_" + key.substring(1));
        COLUMNS = Collections.unmodifiableMap(columns);
    }

    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        for (int i = 0; i < KEYS.size(); i++) INDEX.put(KEYS.get(i), i);
    }

    /** A key's place in {@link #KEYS}, or -1 for any other key. */
    public static int index(String key) {
        Integer i = INDEX.get(key);
        return i == null ? -1 : i;
    }

    /** An event's properties JSON without the keys' text values, and every key's column value in {@link #KEYS} order (null where none). */
    public record Split(String json, List<String> values) {}

    /** Writes {@code properties} as JSON without the keys' text values, which go to their columns; the tree is left as it is. */
    public static Split split(ObjectNode properties) {
        String[] values = new String[KEYS.size()];
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> field : properties.properties()) {
                Integer i = INDEX.get(field.getKey());
                JsonNode v = field.getValue();
                if (i != null && v.isTextual()) {
                    values[i] = v.textValue();
                    continue;
                }
                if (i != null && !v.isNull()) values[i] = text(v);
                g.writeFieldName(field.getKey());
                MAPPER.writeTree(g, v);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("properties cannot be written as JSON", e);
        }
        return new Split(out.toString(), Arrays.asList(values));
    }

    /**
     * The keys' column values read from properties JSON text that keeps them (an event stored as
     * sent): one streaming pass over the top level, skipping everything else.
     */
    public static List<String> read(String propertiesJson) {
        String[] values = new String[KEYS.size()];
        try (JsonParser p = JSON.createParser(propertiesJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Arrays.asList(values);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                Integer i = INDEX.get(p.currentName());
                JsonToken t = p.nextToken();
                if (i == null) {
                    p.skipChildren();
                } else if (t == JsonToken.VALUE_STRING) {
                    values[i] = p.getText();
                } else if (t != JsonToken.VALUE_NULL) {
                    values[i] = text(MAPPER.readTree(p));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("event properties are not a JSON object: " + e.getMessage(), e);
        }
        return Arrays.asList(values);
    }

    /**
     * An event's whole properties from its stored JSON and its columns' values ({@link #KEYS} order):
     * a key the JSON lacks is added with its column's text; a key the JSON has keeps its value.
     */
    public static String whole(String json, List<String> values) {
        boolean any = false;
        for (String v : values) any |= v != null;
        if (!any) return json;
        // which keys the JSON has: one pass over its top level, skipping the values
        boolean[] present = new boolean[KEYS.size()];
        boolean empty = true;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException("stored event properties are not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                empty = false;
                Integer i = INDEX.get(p.currentName());
                if (i != null) present[i] = true;
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored event properties are not JSON", e);
        }
        // the missing ones are appended to the object's text, which is otherwise kept as stored
        StringBuilder out = new StringBuilder(json.length() + 32 * KEYS.size());
        out.append(json, 0, json.lastIndexOf('}'));
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || present[i]) continue;
            out.append(empty ? "" : ",").append('"').append(KEYS.get(i)).append("\":\"");
            QUOTE.quoteAsString(values.get(i), out);
            out.append('"');
            empty = false;
        }
        return out.append('}').toString();
    }

    /** A key's value as {@code json_extract_string} gives it: a number or boolean as written, an object or array as JSON. */
    private static String text(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();
    private static final com.fasterxml.jackson.core.io.JsonStringEncoder QUOTE = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
}
