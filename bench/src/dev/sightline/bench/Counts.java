package dev.sightline.bench;

/** Sizes on the benchmark command lines: {@code 100000}, {@code 100_000}, {@code 100k}, {@code 1.5M}. */
final class Counts {
    private Counts() {}

    static long parse(String s) {
        s = s.toLowerCase().replace("_", "");
        if (s.endsWith("m")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1_000_000);
        if (s.endsWith("k")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1_000);
        return Long.parseLong(s);
    }
}
