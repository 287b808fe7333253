package dev.sightline.testing;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random input for property tests: JSON text built from a vocabulary of field names with
 * values of every JSON type (and some that are not quite JSON), random bytes, and picks. Each case
 * gets its own seed, so a failure names the one seed that reproduces it.
 */
public final class RandomInput {
    private static final List<String> ODD_SCALARS = List.of("0", "-1", "1e400", "-1e400", "1e-400", "12345678901234567890123",
            "3.5", "true", "false", "null", "NaN", "\"\"", "\"   \"", "\"\\ud800\"", "\"\\u0000\"", "\"2026-12-06T11:00:00Z\"",
            "\"-7d\"", "\"0190a6f8-4c4f-7b55-9f3e-3e0b9f0e5b7a\"", "\"not-a-uuid\"", "\"anonymous\"", "\"[object Object]\"");

    private final SplittableRandom random;

    public RandomInput(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public int between(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    public <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    public byte[] bytes(int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(b);
        return b;
    }

    /** A string of random code points, quotes, backslashes and control characters included. */
    public String text(int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            int kind = random.nextInt(10);
            if (kind < 6) b.append((char) random.nextInt(0x20, 0x7f));
            else if (kind < 8) b.append((char) random.nextInt(0, 0x20));
            else b.appendCodePoint(random.nextInt(0x80, 0x10000) & ~0x800 | (kind == 9 ? 0x10000 : 0));
        }
        return b.toString();
    }

    /** A JSON value up to {@code depth} levels deep whose object keys come from {@code fields}. */
    public String json(List<String> fields, List<String> scalars, int depth) {
        int kind = random.nextInt(depth <= 0 ? 3 : 6);
        return switch (kind) {
            case 0 -> quoted(text(20));
            case 1 -> pick(ODD_SCALARS);
            case 2 -> scalars.isEmpty() ? pick(ODD_SCALARS) : pick(scalars);
            case 3, 4 -> {
                StringBuilder b = new StringBuilder("{");
                for (int i = random.nextInt(8); i > 0; i--) {
                    if (b.length() > 1) b.append(',');
                    b.append(quoted(chance(0.9) ? pick(fields) : text(8))).append(':').append(json(fields, scalars, depth - 1));
                }
                yield b.append('}').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("[");
                for (int i = random.nextInt(5); i > 0; i--) {
                    if (b.length() > 1) b.append(',');
                    b.append(json(fields, scalars, depth - 1));
                }
                yield b.append(']').toString();
            }
        };
    }

    /** {@code text} as a JSON string literal. */
    public static String quoted(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /**
     * Runs {@code check} on {@code cases} seeds derived from {@code base} (or from the system
     * property {@code sightline.seed}, to replay one); a failure names its seed.
     */
    public static void forEachSeed(long base, int cases, java.util.function.LongConsumer check) {
        String replay = System.getProperty("sightline.seed");
        if (replay != null) {
            check.accept(Long.parseLong(replay));
            return;
        }
        SplittableRandom seeds = new SplittableRandom(base);
        for (int i = 0; i < cases; i++) {
            long seed = seeds.nextLong();
            try {
                check.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + " failed; replay it with -Dsightline.seed=" + seed + ": " + e.getMessage(), e);
            }
        }
    }
}
