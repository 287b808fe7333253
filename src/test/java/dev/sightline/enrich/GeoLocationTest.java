package dev.sightline.enrich;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The nested GeoIP2/GeoLite2 City layout, as maxmind-db decodes it into maps. */
class GeoLocationTest {

    @Test
    void readsTheMaxMindCityLayout() {
        Map<String, Object> record = Map.of(
                "city", Map.of("geoname_id", 2643743L, "names", Map.of("en", "London", "de", "London")),
                "continent", Map.of("code", "EU", "names", Map.of("en", "Europe")),
                "country", Map.of("iso_code", "GB", "names", Map.of("en", "United Kingdom")),
                "location", Map.of("latitude", 51.5142, "longitude", -0.0931, "time_zone", "Europe/London",
                        "accuracy_radius", 10),
                "postal", Map.of("code", "EC2V"),
                "subdivisions", List.of(Map.of("iso_code", "ENG", "names", Map.of("en", "England"))));

        assertThat(GeoLocation.fromRecord(record).orElseThrow().properties()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("$geoip_country_code", "GB"),
                Map.entry("$geoip_country_name", "United Kingdom"),
                Map.entry("$geoip_continent_code", "EU"),
                Map.entry("$geoip_continent_name", "Europe"),
                Map.entry("$geoip_subdivision_1_code", "ENG"),
                Map.entry("$geoip_subdivision_1_name", "England"),
                Map.entry("$geoip_city_name", "London"),
                Map.entry("$geoip_postal_code", "EC2V"),
                Map.entry("$geoip_latitude", 51.5142),
                Map.entry("$geoip_longitude", -0.0931),
                Map.entry("$geoip_time_zone", "Europe/London")));
    }

    @Test
    void fallsBackToTheRegisteredCountryOfAnonymousNetworks() {
        Map<String, Object> record = Map.of(
                "registered_country", Map.of("iso_code", "US", "names", Map.of("en", "United States")));
        assertThat(GeoLocation.fromRecord(record).orElseThrow().properties())
                .containsEntry("$geoip_country_code", "US");
    }

    @Test
    void readsTheFlatDbIpLayoutAndNamesTheCountry() {
        Map<String, Object> record = Map.of("country_code", "BR", "state1", "São Paulo", "state2", "",
                "city", "Campinas", "postcode", "", "latitude", -22.9, "longitude", -47.06, "timezone", "");
        assertThat(GeoLocation.fromRecord(record).orElseThrow().properties())
                .containsEntry("$geoip_country_name", "Brazil")
                .containsEntry("$geoip_continent_code", "SA")
                .containsEntry("$geoip_continent_name", "South America")
                .containsEntry("$geoip_subdivision_1_name", "São Paulo")
                .doesNotContainKeys("$geoip_postal_code", "$geoip_subdivision_2_name", "$geoip_time_zone");
    }

    @Test
    void floatCoordinatesKeepTheDigitsTheDatabaseHolds() {
        Map<String, Object> record = Map.of("country_code", "GB", "latitude", 51.5143f, "longitude", -0.0912244f);
        assertThat(GeoLocation.fromRecord(record).orElseThrow().properties())
                .containsEntry("$geoip_latitude", 51.5143)
                .containsEntry("$geoip_longitude", -0.0912244);
    }

    @Test
    void anEmptyRecordIsNoLocation() {
        assertThat(GeoLocation.fromRecord(Map.of())).isEmpty();
    }
}
