package dev.sightline.query;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A funnel's step-relevant events, read once into columns, then grouped by person with each
 * person's events in time order (same instant: earlier steps first).
 *
 * <p>Why columns and not an object per event: a 30-day funnel over a pageview reads millions of
 * rows. Primitive arrays, a counting sort by person that moves the columns themselves (so each
 * person's events lie side by side for the walk), and a few allocations per person keep that to a
 * few hundred milliseconds. Sorting by person in the database cost several times more.
 */
final class FunnelEvents {

    /** Rows per partition when grouping: small enough that a partition's rows and its table stay in cache. */
    private static final int PARTITION_ROWS = 16384;

    /** Breakdown values by code; rows carry codes, -1 for none. */
    private final Map<Integer, String> values = new HashMap<>();
    private int size;
    private long[] hi = new long[1024];
    private long[] lo = new long[1024];
    private long[] ts = new long[1024];
    private int[] steps = new int[1024];
    private int[] exclusions = new int[1024];
    private int[] value = new int[1024];
    /** After {@link #group()}: each person's UUID halves, and where each person's events begin. */
    private long[] personHi;
    private long[] personLo;
    private int persons;
    private int[] begin;

    /** A breakdown value's code. Values come apart from the rows: the database gives them once each. */
    void value(int code, String text) {
        values.put(code, text);
    }

    /** A row; {@code valueCode} is -1 for no breakdown value. */
    void add(UUID who, long micros, int stepBits, int exclusionBits, int valueCode) {
        if (size == ts.length) grow();
        hi[size] = who.getMostSignificantBits();
        lo[size] = who.getLeastSignificantBits();
        ts[size] = micros;
        steps[size] = stepBits;
        exclusions[size] = exclusionBits;
        value[size] = valueCode;
        size++;
    }

    private void grow() {
        int n = ts.length * 2;
        hi = Arrays.copyOf(hi, n);
        lo = Arrays.copyOf(lo, n);
        ts = Arrays.copyOf(ts, n);
        steps = Arrays.copyOf(steps, n);
        exclusions = Arrays.copyOf(exclusions, n);
        value = Arrays.copyOf(value, n);
    }

    /**
     * Groups the rows by person, keeping each person's in the order read, then puts each person's in
     * time order. A hash table over all persons would be the obvious way; but with hundreds of
     * thousands of persons every lookup misses the cache, and that cost more than the rest of the
     * funnel. So the rows are first split by their person's hash into partitions of a few thousand
     * (passes over memory in order), and each partition is grouped with a table of its own.
     */
    void group() {
        int bits = 0;
        while (bits < 16 && (size >> bits) > PARTITION_ROWS) bits++;
        int parts = 1 << bits;
        int[] hash = new int[size];
        int[] start = new int[parts + 1];
        for (int i = 0; i < size; i++) {
            hash[i] = spread(hi[i], lo[i]);
            start[partition(hash[i], bits) + 1]++;
        }
        for (int p = 0; p < parts; p++) start[p + 1] += start[p];
        Columns split = new Columns(size, true);
        int[] next = Arrays.copyOf(start, parts);
        int[] splitHash = new int[size];
        for (int i = 0; i < size; i++) {
            int at = next[partition(hash[i], bits)]++;
            split.take(at, this, i);
            splitHash[at] = hash[i];
        }
        Columns grouped = new Columns(size, false);
        personHi = new long[Math.max(16, size / 4)];
        personLo = new long[personHi.length];
        begin = new int[personHi.length + 1];
        persons = 0;
        for (int p = 0; p < parts; p++) groupPartition(split, splitHash, start[p], start[p + 1], grouped);
        begin[persons] = size;
        hi = null;
        lo = null;
        ts = grouped.ts;
        steps = grouped.steps;
        exclusions = grouped.exclusions;
        value = grouped.value;
        for (int p = 0; p < persons; p++) {
            if (!inTimeOrder(begin[p], begin[p + 1])) sortByTime(begin[p], begin[p + 1]);
        }
    }

    /** Numbers the persons of rows {@code from..to} of {@code split} and copies their rows, person by person, to {@code out}. */
    private void groupPartition(Columns split, int[] hash, int from, int to, Columns out) {
        int rows = to - from;
        if (rows == 0) return;
        int capacity = Integer.highestOneBit(Math.max(2, rows) * 2 - 1) * 2;
        int mask = capacity - 1;
        // per slot: the partition-local person number + 1 (0 = empty); a person's first row tells its UUID
        int[] table = new int[capacity];
        int[] firstRow = new int[rows];
        int[] local = new int[rows];
        int[] count = new int[rows + 1];
        int locals = 0;
        for (int r = from; r < to; r++) {
            int at = hash[r] & mask;
            while (true) {
                int slot = table[at];
                if (slot == 0) {
                    firstRow[locals] = r;
                    table[at] = ++locals;
                    local[r - from] = locals - 1;
                    break;
                }
                int f = firstRow[slot - 1];
                if (split.hi[f] == split.hi[r] && split.lo[f] == split.lo[r]) {
                    local[r - from] = slot - 1;
                    break;
                }
                at = (at + 1) & mask;
            }
            count[local[r - from] + 1]++;
        }
        if (persons + locals + 1 > begin.length) {
            int n = Math.max(begin.length * 2, persons + locals + 1);
            personHi = Arrays.copyOf(personHi, n);
            personLo = Arrays.copyOf(personLo, n);
            begin = Arrays.copyOf(begin, n + 1);
        }
        for (int l = 0; l < locals; l++) {
            count[l + 1] += count[l];
            personHi[persons + l] = split.hi[firstRow[l]];
            personLo[persons + l] = split.lo[firstRow[l]];
            begin[persons + l] = from + count[l];
        }
        for (int r = from; r < to; r++) out.take(from + count[local[r - from]]++, split, r);
        persons += locals;
    }

    private static int partition(int hash, int bits) {
        return bits == 0 ? 0 : hash >>> (32 - bits);
    }

    /** Mixes both halves of the UUID, so that ones differing in a few bits anywhere still land apart. */
    private static int spread(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32));
    }

    /** The rows' columns in some order, while grouping; the person's UUID halves only until grouped. */
    private static final class Columns {
        final long[] hi;
        final long[] lo;
        final long[] ts;
        final int[] steps;
        final int[] exclusions;
        final int[] value;

        Columns(int size, boolean withPerson) {
            hi = withPerson ? new long[size] : null;
            lo = withPerson ? new long[size] : null;
            ts = new long[size];
            steps = new int[size];
            exclusions = new int[size];
            value = new int[size];
        }

        void take(int at, FunnelEvents from, int i) {
            hi[at] = from.hi[i];
            lo[at] = from.lo[i];
            ts[at] = from.ts[i];
            steps[at] = from.steps[i];
            exclusions[at] = from.exclusions[i];
            value[at] = from.value[i];
        }

        void take(int at, Columns from, int i) {
            ts[at] = from.ts[i];
            steps[at] = from.steps[i];
            exclusions[at] = from.exclusions[i];
            value[at] = from.value[i];
        }
    }

    private boolean inTimeOrder(int from, int to) {
        for (int i = from + 1; i < to; i++) if (compare(i - 1, i) > 0) return false;
        return true;
    }

    /** Rare: the database gives most persons' events in time order already. */
    private void sortByTime(int from, int to) {
        Integer[] rows = new Integer[to - from];
        for (int i = from; i < to; i++) rows[i - from] = i;
        Arrays.sort(rows, this::compare);
        long[] t = new long[rows.length];
        int[] s = new int[rows.length];
        int[] x = new int[rows.length];
        int[] v = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            t[i] = ts[rows[i]];
            s[i] = steps[rows[i]];
            x[i] = exclusions[rows[i]];
            v[i] = value[rows[i]];
        }
        System.arraycopy(t, 0, ts, from, t.length);
        System.arraycopy(s, 0, steps, from, s.length);
        System.arraycopy(x, 0, exclusions, from, x.length);
        System.arraycopy(v, 0, value, from, v.length);
    }

    private int compare(int a, int b) {
        int c = Long.compare(ts[a], ts[b]);
        return c != 0 ? c : Integer.compare(rank(steps[a]), rank(steps[b]));
    }

    private static int rank(int stepBits) {
        return stepBits == 0 ? 99 : Integer.numberOfTrailingZeros(stepBits);
    }

    int personCount() {
        return persons;
    }

    UUID person(int p) {
        return new UUID(personHi[p], personLo[p]);
    }

    /** The events of person {@code p}, in time order; valid after {@link #group()}. */
    Of of(int p) {
        return new Of(this, null, begin[p], begin[p + 1]);
    }

    /**
     * Some events of one person, in time order: positions {@code from..to}, of the columns
     * themselves or, when {@code rows} is given, of {@code rows}.
     */
    record Of(FunnelEvents all, int[] rows, int from, int to) {
        int size() {
            return to - from;
        }

        private int row(int i) {
            return rows == null ? from + i : rows[from + i];
        }

        long ts(int i) {
            return all.ts[row(i)];
        }

        int steps(int i) {
            return all.steps[row(i)];
        }

        int exclusions(int i) {
            return all.exclusions[row(i)];
        }

        /** The breakdown value's code, -1 for none: equal codes, equal values. */
        int valueCode(int i) {
            return all.value[row(i)];
        }

        /** The breakdown value, null for none. */
        String breakdown(int i) {
            int code = valueCode(i);
            return code < 0 ? null : all.values.get(code);
        }

        /** Those of the events for which {@code keep} holds, in the same order. */
        Of only(java.util.function.IntPredicate keep) {
            int[] kept = new int[size()];
            int n = 0;
            for (int i = 0; i < size(); i++) if (keep.test(i)) kept[n++] = row(i);
            return new Of(all, kept, 0, n);
        }
    }
}
