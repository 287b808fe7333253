package dev.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PropertyOriginTest {
    @Test
    void automaticCopiesAreToldApartFromCustomKeys() {
        assertThat(PropertyOrigin.of("$initial_browser")).contains(PropertyOrigin.INITIAL);
        assertThat(PropertyOrigin.of("$initial_utm_source")).contains(PropertyOrigin.INITIAL);
        assertThat(PropertyOrigin.of("$browser")).contains(PropertyOrigin.LATEST);
        assertThat(PropertyOrigin.of("utm_campaign")).contains(PropertyOrigin.LATEST);
        assertThat(PropertyOrigin.of("email")).isEmpty();
        assertThat(PropertyOrigin.of("plan")).isEmpty();
        // the location: GeoIP enrichment copies it onto the person with every event, and the first once
        assertThat(PropertyOrigin.of("$geoip_city_name")).contains(PropertyOrigin.LATEST);
        assertThat(PropertyOrigin.of("$initial_geoip_country_code")).contains(PropertyOrigin.INITIAL);
        assertThat(PropertyOrigin.of("geoip_city_name")).isEmpty();
    }
}
