package dev.sightline.demo;

import java.util.List;

/** The product's price list: monthly price per seat in US dollars. */
final class Plans {
    private Plans() {}

    static final List<String> ORDER = List.of("free", "starter", "pro", "enterprise");

    static double monthlyPrice(String plan) {
        return switch (plan) {
            case "starter" -> 29;
            case "pro" -> 99;
            case "enterprise" -> 499;
            default -> 0;
        };
    }

    static String next(String plan) {
        int i = ORDER.indexOf(plan);
        return ORDER.get(Math.min(i + 1, ORDER.size() - 1));
    }

    static String initial(Rng rng) {
        double x = rng.unit();
        return x < 0.5 ? "free" : x < 0.75 ? "starter" : x < 0.95 ? "pro" : "enterprise";
    }
}
