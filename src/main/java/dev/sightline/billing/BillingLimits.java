package dev.sightline.billing;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A project's monthly limits: at most this many identified, and this many anonymous, events are
 * kept in a calendar month (UTC); further events of that kind are dropped until the next month.
 * Empty: no limit. Events that are not billed are never limited.
 */
public record BillingLimits(OptionalLong identified, OptionalLong anonymous) {
    public static final BillingLimits NONE = new BillingLimits(OptionalLong.empty(), OptionalLong.empty());

    public BillingLimits {
        Objects.requireNonNull(identified, "identified");
        Objects.requireNonNull(anonymous, "anonymous");
        if (identified.orElse(0) < 0 || anonymous.orElse(0) < 0) throw new IllegalArgumentException("a limit is 0 or more events");
    }

    public OptionalLong of(UsageKind kind) {
        return switch (kind) {
            case IDENTIFIED -> identified;
            case ANONYMOUS -> anonymous;
            default -> OptionalLong.empty();
        };
    }

    public BillingLimits with(UsageKind kind, OptionalLong limit) {
        return switch (kind) {
            case IDENTIFIED -> new BillingLimits(limit, anonymous);
            case ANONYMOUS -> new BillingLimits(identified, limit);
            default -> throw new IllegalArgumentException(kind + " cannot be limited");
        };
    }

    public boolean isEmpty() {
        return identified.isEmpty() && anonymous.isEmpty();
    }
}
