package dev.sightline.enrich;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Country names and continents by ISO code, for GeoIP databases that store only the code.
 * Names come from the JDK's English locale data, continents from {@code continents.txt}.
 */
final class Countries {

    record Country(String name, String continentCode, String continentName) {
    }

    private static final Map<String, Country> BY_CODE = load();

    private Countries() {
    }

    static Optional<Country> byCode(String isoCode) {
        return Optional.ofNullable(BY_CODE.get(isoCode.toUpperCase(Locale.ROOT)));
    }

    private static Map<String, Country> load() {
        Map<String, Country> countries = new HashMap<>();
        for (String line : DataFile.lines("continents.txt")) {
            int colon = line.indexOf(':');
            String continentCode = line.substring(0, 2);
            String continentName = line.substring(3, colon);
            for (String code : line.substring(colon + 1).trim().split("\\s+")) {
                String name = Locale.of("", code).getDisplayCountry(Locale.ENGLISH);
                countries.put(code, new Country(name.equals(code) ? null : name, continentCode, continentName));
            }
        }
        return Map.copyOf(countries);
    }
}
