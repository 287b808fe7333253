package dev.sightline.identity;

import java.util.Optional;

/**
 * Where a person property came from, where the rules can say so: the automatic copies of an
 * event's device, page and campaign facts ({@link AutoPersonProperties}) and of its location
 * (GeoIP enrichment writes {@code $geoip_*} into {@code $set}, {@code $initial_geoip_*} into
 * {@code $set_once}) are told apart from what the team's own code set. Custom keys have no origin here: Sightline keeps no per-key history of
 * whether a {@code $set} or a {@code $set_once} wrote them.
 */
public enum PropertyOrigin {
    /** First touch, kept once: {@code $initial_*} from the person's first event that had the fact. */
    INITIAL,
    /** The latest value of an event fact, copied on every event that has it. */
    LATEST;

    public static Optional<PropertyOrigin> of(String key) {
        if (key.startsWith("$initial_")) return Optional.of(INITIAL);
        return AutoPersonProperties.lifts(key) || key.startsWith("$geoip_") ? Optional.of(LATEST) : Optional.empty();
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
