package dev.sightline.demo;

/**
 * One browser on one machine: its posthog-js device id (the first anonymous distinct id, a
 * UUIDv7 of when it first loaded the site), what it is, and where it connects from.
 */
record Device(String deviceId, Browsers.Browser browser, Browsers.Screen screen, Geography.Zone zone, String ip) {

    static Device first(long atMillis, Geography.Zone zone, Rng rng) {
        Browsers.Browser browser = Browsers.ALL.pick(rng);
        return new Device(Ids.v7(atMillis, rng), browser, Browsers.screen(browser, rng), zone, Geography.address(zone, rng));
    }
}
