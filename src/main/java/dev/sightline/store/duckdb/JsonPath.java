package dev.sightline.store.duckdb;

/**
 * The one place a property key becomes a JSON path: an RFC 6901 JSON pointer, which needs no
 * quoting ("~" → "~0", "/" → "~1"), and which is always bound as a parameter, never spliced in.
 */
final class JsonPath {
    private JsonPath() {}

    static String pointer(String key) {
        return "/" + key.replace("~", "~0").replace("/", "~1");
    }
}
