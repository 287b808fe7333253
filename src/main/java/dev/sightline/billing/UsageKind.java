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

    /** The name stored in {@code usage_counters.kind} and used by the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<UsageKind> fromWire(String name) {
        for (UsageKind k : values()) {
            if (k.wireName().equals(name)) return Optional.of(k);
        }
        return Optional.empty();
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
