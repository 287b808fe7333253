package dev.sightline.identity;

import java.nio.charset.StandardCharsets;

/**
 * Which distinct ids of one project the store may hold, as a mapping to a person or a personless
 * mark: a Bloom filter. "No" is certain, so a new visitor's first events cost no store look-up;
 * "maybe" is wrong for about 1% of new ids, and then the look-up answers. The filter only grows:
 * an id removed from the store (a deleted person) stays "maybe", which costs a look-up, never a
 * wrong answer. Once more ids were added than it was sized for, {@link #full()} asks for a
 * rebuild from the store, twice as large.
 */
final class KnownDistinctIds {
    private static final int HASHES = 7;
    private static final int BITS_PER_ID = 10; // with 7 hashes: about 1% false "maybe" at capacity
    static final long MIN_CAPACITY = 100_000;

    private final long[] words;
    private final long bitCount;
    private final long capacity;
    private long added;

    KnownDistinctIds(long capacity) {
        this.capacity = Math.max(MIN_CAPACITY, capacity);
        this.bitCount = this.capacity * BITS_PER_ID;
        this.words = new long[(int) ((bitCount + 63) / 64)];
    }

    /** Every id the store holds for the project, with room for as many again (at least {@code minCapacity}). */
    static KnownDistinctIds load(PersonStore store, long projectId, long minCapacity) {
        // the ids' hashes only (8 bytes each), not the strings, until the count is known
        Hashes hashes = new Hashes();
        store.eachKnownDistinctId(projectId, id -> hashes.add(hash(id)));
        KnownDistinctIds known = new KnownDistinctIds(Math.max(minCapacity, 2L * hashes.size));
        for (int i = 0; i < hashes.size; i++) known.addHash(hashes.values[i]);
        return known;
    }

    private static final class Hashes {
        long[] values = new long[1024];
        int size;

        void add(long hash) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = hash;
        }
    }

    long capacity() {
        return capacity;
    }

    boolean full() {
        return added > capacity;
    }

    void add(String distinctId) {
        addHash(hash(distinctId));
    }

    private void addHash(long h1) {
        long h2 = mix(h1) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + i * h2, bitCount);
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
        added++;
    }

    boolean mightContain(String distinctId) {
        long h1 = hash(distinctId);
        long h2 = mix(h1) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + i * h2, bitCount);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over the UTF-8 bytes, then a 64-bit finalizer so that every bit depends on every byte. */
    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
