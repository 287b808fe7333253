package dev.sightline.app;

import java.security.SecureRandom;

/** New project tokens ({@code phc_}) and personal API keys ({@code phx_}): 43 random base62 characters. */
final class Keys {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    static String projectToken() {
        return "phc_" + random(43);
    }

    static String personalApiKey() {
        return "phx_" + random(43);
    }

    private static String random(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return b.toString();
    }
}
