package dev.sightline.demo;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * How busy each simulated hour is: a daily curve in each visitor's local time and fewer visits on
 * weekends (the product itself is used even less on weekends than the marketing site is visited).
 */
final class TrafficCurve {
    enum Kind { MARKETING, PRODUCT }

    private static final double[] HOUR_OF_DAY = {0.25, 0.15, 0.10, 0.08, 0.08, 0.12, 0.25, 0.45, 0.75, 0.95, 1.0, 1.0,
            0.90, 0.95, 1.0, 0.95, 0.85, 0.70, 0.55, 0.50, 0.50, 0.45, 0.40, 0.32};
    // Monday first
    private static final double[] MARKETING_DAYS = {1.0, 1.05, 1.05, 1.0, 0.85, 0.5, 0.55};
    private static final double[] PRODUCT_DAYS = {1.0, 1.05, 1.05, 1.0, 0.8, 0.25, 0.3};

    private final long startMillis;
    private final int hours;
    private final double[][] weights = new double[2][];
    private final double[][] cumulativeFromEnd = new double[2][];

    TrafficCurve(Instant start, int hours) {
        this.startMillis = start.toEpochMilli();
        this.hours = hours;
        for (Kind kind : Kind.values()) {
            double[] w = new double[hours];
            for (int h = 0; h < hours; h++) {
                for (Geography.Zone z : Geography.ZONES) w[h] += z.share() * local(kind, z, h);
            }
            double[] rest = new double[hours + 1];
            for (int h = hours - 1; h >= 0; h--) rest[h] = rest[h + 1] + w[h];
            weights[kind.ordinal()] = w;
            cumulativeFromEnd[kind.ordinal()] = rest;
        }
    }

    int hours() {
        return hours;
    }

    long hourStart(int h) {
        return startMillis + h * 3_600_000L;
    }

    /** This hour's share of what is left of the simulated span, so budgets spread over the remaining hours. */
    double shareOfRemaining(Kind kind, int h) {
        double rest = cumulativeFromEnd[kind.ordinal()][h];
        return rest <= 0 ? 1 : weights[kind.ordinal()][h] / rest;
    }

    /** Which zone a visitor arriving in this hour is from: where it is daytime, more are. */
    Weighted<Geography.Zone> zones(Kind kind, int h) {
        return new Weighted<>(Geography.ZONES, z -> z.share() * local(kind, z, h));
    }

    private double local(Kind kind, Geography.Zone zone, int h) {
        var local = Instant.ofEpochMilli(hourStart(h)).atOffset(ZoneOffset.ofHours(zone.utcOffsetHours()));
        DayOfWeek day = local.getDayOfWeek();
        double[] days = kind == Kind.MARKETING ? MARKETING_DAYS : PRODUCT_DAYS;
        return days[day.getValue() - 1] * HOUR_OF_DAY[local.getHour()];
    }

}
