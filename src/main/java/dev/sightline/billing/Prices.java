package dev.sightline.billing;

import java.util.Objects;

/** An organization's price tables: its own where it set them, else the defaults. */
public record Prices(PriceTable anonymous, PriceTable identified) {
    public static final Prices DEFAULT = new Prices(PriceTable.ANONYMOUS, PriceTable.IDENTIFIED);

    public Prices {
        Objects.requireNonNull(anonymous, "anonymous");
        Objects.requireNonNull(identified, "identified");
    }

    public PriceTable of(UsageKind kind) {
        return switch (kind) {
            case IDENTIFIED -> identified;
            case ANONYMOUS -> anonymous;
            default -> throw new IllegalArgumentException(kind + " is not billed");
        };
    }
}
