package dev.sightline.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A month's price of one kind of event, by volume tier: the first tier's events cost its price
 * each, the next tier's events the next price, and so on (graduated, as PostHog prices events).
 * A free allowance is a first tier priced 0. Tiers are given by their upper bound, counted from
 * the month's first event; the last tier has none.
 */
public record PriceTable(List<Tier> tiers) {

    /** Events up to {@code upTo} (the month's running count, inclusive) cost {@code pricePerEvent} each; empty: every event beyond. */
    public record Tier(OptionalLong upTo, BigDecimal pricePerEvent) {
        public Tier {
            Objects.requireNonNull(upTo, "upTo");
            Objects.requireNonNull(pricePerEvent, "pricePerEvent");
            if (pricePerEvent.signum() < 0) throw new IllegalArgumentException("a price is 0 or more");
        }

        public static Tier upTo(long events, String price) {
            return new Tier(OptionalLong.of(events), new BigDecimal(price));
        }

        public static Tier beyond(String price) {
            return new Tier(OptionalLong.empty(), new BigDecimal(price));
        }
    }

    public PriceTable {
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) throw new IllegalArgumentException("a price table has at least one tier");
        long previous = 0;
        for (int i = 0; i < tiers.size(); i++) {
            OptionalLong upTo = tiers.get(i).upTo();
            boolean last = i == tiers.size() - 1;
            if (last && upTo.isPresent()) throw new IllegalArgumentException("the last tier has no upper bound");
            if (!last && upTo.isEmpty()) throw new IllegalArgumentException("only the last tier may be without an upper bound");
            if (upTo.isPresent()) {
                if (upTo.getAsLong() <= previous) throw new IllegalArgumentException("tier bounds must grow: " + upTo.getAsLong() + " after " + previous);
                previous = upTo.getAsLong();
            }
        }
    }

    private static final long MILLION = 1_000_000;

    /**
     * Anonymous events: the first million free each month, then $0.00005 each, cheaper with volume.
     * The tiers above the first follow PostHog's published event tiers (posthog-semantics §8).
     */
    public static final PriceTable ANONYMOUS = new PriceTable(List.of(
            Tier.upTo(MILLION, "0"),
            Tier.upTo(2 * MILLION, "0.00005"),
            Tier.upTo(15 * MILLION, "0.0000343"),
            Tier.upTo(50 * MILLION, "0.0000295"),
            Tier.upTo(100 * MILLION, "0.0000218"),
            Tier.upTo(250 * MILLION, "0.000015"),
            Tier.beyond("0.000009")));

    /**
     * Identified events: the first million free, then $0.000248 each. Only that price is given; the
     * volume tiers are ours: the first price times 1/2, 3/10, 1/5, 3/20 and 1/10 at the same bounds as
     * anonymous events, so an identified event always costs more than an anonymous one of the same
     * tier (docs/usage-and-billing.md).
     */
    public static final PriceTable IDENTIFIED = new PriceTable(List.of(
            Tier.upTo(MILLION, "0"),
            Tier.upTo(2 * MILLION, "0.000248"),
            Tier.upTo(15 * MILLION, "0.000124"),
            Tier.upTo(50 * MILLION, "0.0000744"),
            Tier.upTo(100 * MILLION, "0.0000496"),
            Tier.upTo(250 * MILLION, "0.0000372"),
            Tier.beyond("0.0000248")));

    /** What {@code events} events of one month cost, exactly (not rounded). */
    public BigDecimal cost(long events) {
        if (events < 0) throw new IllegalArgumentException("events cannot be negative");
        BigDecimal total = BigDecimal.ZERO;
        long from = 0;
        for (Tier tier : tiers) {
            long to = tier.upTo().orElse(Long.MAX_VALUE);
            long inTier = Math.min(events, to) - from;
            if (inTier <= 0) break;
            total = total.add(tier.pricePerEvent().multiply(BigDecimal.valueOf(inTier)));
            from = to;
        }
        return total;
    }

    /** Events free each month: the bound of the leading tiers priced 0. */
    public long freeEvents() {
        long free = 0;
        for (Tier tier : tiers) {
            if (tier.pricePerEvent().signum() != 0 || tier.upTo().isEmpty()) break;
            free = tier.upTo().getAsLong();
        }
        return free;
    }
}
