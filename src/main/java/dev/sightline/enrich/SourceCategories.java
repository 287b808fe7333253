package dev.sightline.enrich;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The kind of site behind a utm_source or referring domain, from {@code channel-sources.txt}. */
final class SourceCategories {

    enum Category { SEARCH, SOCIAL, VIDEO, SHOPPING, EMAIL }

    private static final Map<String, Category> NAMES = load();

    // Second-level labels under which a country code TLD sells names (example.co.uk, example.com.br).
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "org", "net", "ac", "gov", "edu", "ne", "or");

    private SourceCategories() {
    }

    static Optional<Category> of(String source) {
        if (source == null || source.isBlank()) {
            return Optional.empty();
        }
        String name = source.strip().toLowerCase(Locale.ROOT);
        Category found = NAMES.get(name);
        if (found == null) {
            name = withoutMobilePrefix(name);
            found = NAMES.get(name);
        }
        if (found == null && name.contains(".")) {
            String registrable = registrableDomain(name);
            found = NAMES.get(registrable);
            if (found == null) {
                found = NAMES.get(registrable.substring(0, registrable.indexOf('.')));
            }
        }
        return Optional.ofNullable(found);
    }

    private static String withoutMobilePrefix(String name) {
        for (String prefix : new String[] {"www.", "m.", "l.", "lm.", "mobile."}) {
            if (name.startsWith(prefix)) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }

    static String registrableDomain(String host) {
        String[] labels = host.split("\\.");
        int n = labels.length;
        if (n <= 2) {
            return host;
        }
        boolean countrySecondLevel = labels[n - 1].length() == 2 && SECOND_LEVEL.contains(labels[n - 2]);
        int keep = countrySecondLevel ? 3 : 2;
        return String.join(".", Arrays.copyOfRange(labels, n - keep, n));
    }

    private static Map<String, Category> load() {
        Map<String, Category> names = new HashMap<>();
        for (String line : DataFile.lines("channel-sources.txt")) {
            int colon = line.indexOf(':');
            Category category = Category.valueOf(line.substring(0, colon).strip().toUpperCase(Locale.ROOT));
            for (String name : line.substring(colon + 1).strip().split("\\s+")) {
                if (names.put(name, category) != null) {
                    throw new IllegalStateException("channel-sources.txt lists " + name + " twice");
                }
            }
        }
        return Map.copyOf(names);
    }
}
