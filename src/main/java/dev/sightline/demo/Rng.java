package dev.sightline.demo;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic randomness. Every visitor, user and session draws from a stream of its own,
 * derived from the seed and its id, so one entity's events do not depend on how the simulation
 * interleaves the others.
 */
final class Rng {
    private final SplittableRandom random;

    Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A stream for one entity: {@code kind} separates visitors from users from sessions. */
    static Rng of(long seed, long kind, long id) {
        return new Rng(mix(mix(seed ^ 0x9E3779B97F4A7C15L * kind) ^ id));
    }

    /** The 64-bit finaliser of MurmurHash3: neighbouring ids give unrelated streams. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    double unit() {
        return random.nextDouble();
    }

    long nextLong() {
        return random.nextLong();
    }

    int below(int n) {
        return random.nextInt(n);
    }

    /** Inclusive on both ends. */
    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** Exponentially distributed, e.g. the time until the next click. */
    double exponential(double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }

    /** How many more after the first: 0 with probability {@code p}, 1 with p(1-p), ... */
    int geometric(double p, int max) {
        int n = 0;
        while (n < max && !chance(p)) n++;
        return n;
    }

    double gaussian() {
        // Box-Muller with our own stream (SplittableRandom's nextGaussian is only on newer interfaces)
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    double logNormal(double mu, double sigma) {
        return Math.exp(mu + sigma * gaussian());
    }

    /** Poisson counts; large means use the normal approximation (hourly session counts can be thousands). */
    int poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 60) return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian()));
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }

    /** Lower-case letters and digits, for click ids and slugs. */
    String token(int length) {
        final String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return b.toString();
    }
}
