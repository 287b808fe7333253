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
        assertThat(PropertyOrigin.of("$geoip_city_name")).as("not copied onto persons by Sightline").isEmpty();
    }
}
