package dev.sightline.billing;

import dev.sightline.identity.UsageClass;
import java.util.Locale;
import java.util.Optional;

/**
 * What a metered count is of. The first three are how a stored event bills (its
 * {@link UsageClass}); the dropped kinds count events refused by a billing limit; and
 * {@link #COULD_BE_ANONYMOUS} counts the identified events whose person was not identified when
 * they came: with posthog-js' {@code person_profiles: 'identified_only'} they would have been sent
 * as anonymous events. It is a part of {@link #IDENTIFIED}, not beside it.
 */
public enum UsageKind {
    IDENTIFIED,
    ANONYMOUS,
    NOT_BILLED,
    DROPPED_IDENTIFIED,
    DROPPED_ANONYMOUS,
    COULD_BE_ANONYMOUS;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name stored in {@code usage_counters.kind} and used by the API. */
    public String wireName() {
        return wireName;
    }

    /** Looked up once an event on the writer: a switch, not a loop over lower-cased names. */
    public static Optional<UsageKind> fromWire(String name) {
        return switch (name) {
            case "identified" -> Optional.of(IDENTIFIED);
            case "anonymous" -> Optional.of(ANONYMOUS);
            case "not_billed" -> Optional.of(NOT_BILLED);
            case "dropped_identified" -> Optional.of(DROPPED_IDENTIFIED);
            case "dropped_anonymous" -> Optional.of(DROPPED_ANONYMOUS);
            case "could_be_anonymous" -> Optional.of(COULD_BE_ANONYMOUS);
            default -> Optional.empty();
        };
    }

    public static UsageKind of(UsageClass usageClass) {
        return switch (usageClass) {
            case IDENTIFIED -> IDENTIFIED;
            case ANONYMOUS -> ANONYMOUS;
            case NOT_BILLED -> NOT_BILLED;
        };
    }

    /** Identified and anonymous events are billed, have prices and may have limits. */
    public boolean billed() {
        return this == IDENTIFIED || this == ANONYMOUS;
    }

    /** The kind that counts this billed kind's events refused by its limit. */
    public UsageKind dropped() {
        return switch (this) {
            case IDENTIFIED -> DROPPED_IDENTIFIED;
            case ANONYMOUS -> DROPPED_ANONYMOUS;
            default -> throw new IllegalArgumentException(this + " has no limit");
        };
    }
}
