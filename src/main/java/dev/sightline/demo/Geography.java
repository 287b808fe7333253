package dev.sightline.demo;

import java.util.List;

/**
 * Where visitors are: a time zone (which shifts their daily curve), a browser language and
 * public address blocks of large consumer ISPs of that country, so GeoIP enrichment finds the
 * country (checked against the DB-IP lite database).
 */
final class Geography {
    private Geography() {}

    record Zone(String country, String timezone, int utcOffsetHours, String language, double share, List<String> blocks) {}

    private static final List<String> US = List.of("73.0.0.0/8", "71.0.0.0/9");
    private static final List<String> CA = List.of("70.48.0.0/13", "99.224.0.0/11", "174.112.0.0/13");

    static final List<Zone> ZONES = List.of(
            new Zone("US", "America/New_York", -5, "en-US", 17, US),
            new Zone("US", "America/Chicago", -6, "en-US", 8, US),
            new Zone("US", "America/Denver", -7, "en-US", 3, US),
            new Zone("US", "America/Los_Angeles", -8, "en-US", 10, US),
            new Zone("CA", "America/Toronto", -5, "en-CA", 3, CA),
            new Zone("CA", "America/Vancouver", -8, "en-CA", 1, CA),
            new Zone("BR", "America/Sao_Paulo", -3, "pt-BR", 4, List.of("177.32.0.0/11", "179.208.0.0/12")),
            new Zone("GB", "Europe/London", 0, "en-GB", 9, List.of("86.128.0.0/10", "81.128.0.0/12")),
            new Zone("DE", "Europe/Berlin", 1, "de-DE", 8, List.of("79.192.0.0/10", "91.0.0.0/10")),
            new Zone("FR", "Europe/Paris", 1, "fr-FR", 5, List.of("86.192.0.0/10", "90.0.0.0/10")),
            new Zone("NL", "Europe/Amsterdam", 1, "nl-NL", 3, List.of("86.80.0.0/12")),
            new Zone("ES", "Europe/Madrid", 1, "es-ES", 2.5, List.of("83.32.0.0/11", "88.0.0.0/11")),
            new Zone("PL", "Europe/Warsaw", 1, "pl-PL", 2, List.of("83.0.0.0/11")),
            new Zone("SE", "Europe/Stockholm", 1, "sv-SE", 1.5, List.of("83.248.0.0/13")),
            new Zone("ZA", "Africa/Johannesburg", 2, "en-ZA", 1, List.of("41.0.0.0/11")),
            new Zone("IN", "Asia/Kolkata", 5, "en-IN", 7, List.of("49.36.0.0/14", "122.160.0.0/12")),
            new Zone("SG", "Asia/Singapore", 8, "en-SG", 1.5, List.of("116.86.0.0/15")),
            new Zone("JP", "Asia/Tokyo", 9, "ja-JP", 2, List.of("126.0.0.0/9", "60.64.0.0/11")),
            new Zone("AU", "Australia/Sydney", 10, "en-AU", 3, List.of("1.120.0.0/13", "101.160.0.0/11")));

    /** A host address inside one of the zone's blocks (never the network or broadcast address). */
    static String address(Zone zone, Rng rng) {
        String block = rng.pick(zone.blocks());
        int slash = block.indexOf('/');
        String[] octets = block.substring(0, slash).split("\\.");
        long base = 0;
        for (String o : octets) base = (base << 8) | Integer.parseInt(o);
        long size = 1L << (32 - Integer.parseInt(block.substring(slash + 1)));
        long ip = base + 1 + (long) (rng.unit() * (size - 2));
        return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
    }
}
