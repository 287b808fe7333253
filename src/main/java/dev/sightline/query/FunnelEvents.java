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
    /** Bytes of heap a row can take at the peak of grouping (its columns as read, and its packed copy). */
    private static final int BYTES_PER_ROW = 80;
    /** Longs a row takes while grouped: UUID halves, time, step and exclusion bits, breakdown code. */
    private static final int PACKED = 5;

    private final long maxRows;
    /** Breakdown values by code; rows carry codes, -1 for none. */
    private final Map<Integer, String> values = new HashMap<>();
    private int size;
    /** As read; after {@link #group()}, grouped by person (without the UUID halves). */
    private Columns rows = new Columns(1024, true);
    /** After {@link #group()}: each person's UUID halves, and where each person's events begin. */
    private long[] personHi;
    private long[] personLo;
    private int persons;
    private int[] begin;

    /** At most as many rows as a third of the heap holds at grouping's peak. */
    FunnelEvents() {
        this(Math.min(Runtime.getRuntime().maxMemory() / 3 / BYTES_PER_ROW, (Integer.MAX_VALUE - 8) / PACKED));
    }

    FunnelEvents(long maxRows) {
        this.maxRows = maxRows;
    }

    /** A breakdown value's code. Values come apart from the rows: the database gives them once each. */
    void value(int code, String text) {
        values.put(code, text);
    }

    /** A row; {@code valueCode} is -1 for no breakdown value. */
    void add(UUID who, long micros, int stepBits, int exclusionBits, int valueCode) {
        // a clear refusal, not the server running out of memory
        if (size >= maxRows) {
            throw new InvalidQuery("dateRange", "the funnel reads more than " + maxRows
                    + " events, more than this server's memory allows: shorten the date range or narrow the steps");
        }
        if (size == rows.ts.length) rows = rows.copy((int) Math.min(maxRows, Math.min(Integer.MAX_VALUE - 8, size * 2L)));
        rows.hi[size] = who.getMostSignificantBits();
        rows.lo[size] = who.getLeastSignificantBits();
        rows.ts[size] = micros;
        rows.steps[size] = stepBits;
        rows.exclusions[size] = exclusionBits;
        rows.value[size] = valueCode;
        size++;
    }

    /**
     * Groups the rows by person, keeping each person's in the order read, then puts each person's in
     * time order. A hash table over all persons would be the obvious way; but with hundreds of
     * thousands of persons every lookup misses the cache, and that cost more than the rest of the
     * funnel. So the rows are first split by their person's hash into partitions of a few thousand
     * (passes over memory in order), and each partition is grouped with a table of its own, its rows
     * going back, person by person, into the arrays they were read into.
     */
    void group() {
        int bits = 0;
        while (bits < 16 && (size >> bits) > PARTITION_ROWS) bits++;
        int parts = 1 << bits;
        int[] start = new int[parts + 1];
        for (int i = 0; i < size; i++) start[partition(spread(rows.hi[i], rows.lo[i]), bits) + 1]++;
        for (int p = 0; p < parts; p++) start[p + 1] += start[p];
        // rows go to their partitions packed, one run of longs each: moving six columns wrote to six
        // places per row in each of ~160 partitions, and those scattered writes were grouping's biggest cost
        long[] split = new long[size * PACKED];
        int[] next = Arrays.copyOf(start, parts);
        for (int i = 0; i < size; i++) {
            long hi = rows.hi[i];
            long lo = rows.lo[i];
            int at = next[partition(spread(hi, lo), bits)]++ * PACKED;
            split[at] = hi;
            split[at + 1] = lo;
            split[at + 2] = rows.ts[i];
            split[at + 3] = ((long) rows.steps[i] << 32) | (rows.exclusions[i] & 0xFFFFFFFFL);
            split[at + 4] = rows.value[i];
        }
        Columns grouped = rows.withoutPerson();
        rows = null;
        personHi = new long[Math.max(16, size / 4)];
        personLo = new long[personHi.length];
        begin = new int[personHi.length + 1];
        persons = 0;
        for (int p = 0; p < parts; p++) groupPartition(split, start[p], start[p + 1], grouped);
        begin[persons] = size;
        rows = grouped;
        for (int p = 0; p < persons; p++) {
            if (!inTimeOrder(begin[p], begin[p + 1])) sortByTime(begin[p], begin[p + 1]);
        }
    }

    /** Numbers the persons of packed rows {@code from..to} of {@code split} and copies their rows, person by person, to {@code out}. */
    private void groupPartition(long[] split, int from, int to, Columns out) {
        int count = to - from;
        if (count == 0) return;
        int capacity = Integer.highestOneBit(Math.max(2, count) * 2 - 1) * 2;
        int mask = capacity - 1;
        // per slot: the partition-local person number + 1 (0 = empty); a person's first row tells its UUID
        int[] table = new int[capacity];
        int[] firstRow = new int[count];
        int[] local = new int[count];
        int[] rowsOf = new int[count + 1];
        int locals = 0;
        for (int r = from; r < to; r++) {
            long hi = split[r * PACKED];
            long lo = split[r * PACKED + 1];
            int at = spread(hi, lo) & mask;
            while (true) {
                int slot = table[at];
                if (slot == 0) {
                    firstRow[locals] = r;
                    table[at] = ++locals;
                    local[r - from] = locals - 1;
                    break;
                }
                int f = firstRow[slot - 1];
                if (split[f * PACKED] == hi && split[f * PACKED + 1] == lo) {
                    local[r - from] = slot - 1;
                    break;
                }
                at = (at + 1) & mask;
            }
            rowsOf[local[r - from] + 1]++;
        }
        if (persons + locals + 1 > begin.length) {
            int n = Math.max(begin.length * 2, persons + locals + 1);
            personHi = Arrays.copyOf(personHi, n);
            personLo = Arrays.copyOf(personLo, n);
            begin = Arrays.copyOf(begin, n + 1);
        }
        for (int l = 0; l < locals; l++) {
            rowsOf[l + 1] += rowsOf[l];
            personHi[persons + l] = split[firstRow[l] * PACKED];
            personLo[persons + l] = split[firstRow[l] * PACKED + 1];
            begin[persons + l] = from + rowsOf[l];
        }
        for (int r = from; r < to; r++) {
            int at = from + rowsOf[local[r - from]]++;
            int packed = r * PACKED;
            out.ts[at] = split[packed + 2];
            out.steps[at] = (int) (split[packed + 3] >>> 32);
            out.exclusions[at] = (int) split[packed + 3];
            out.value[at] = (int) split[packed + 4];
        }
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

    /** Rows' columns; the person's UUID halves only until grouped. */
    private static final class Columns {
        final long[] hi;
        final long[] lo;
        final long[] ts;
        final int[] steps;
        final int[] exclusions;
        final int[] value;

        Columns(int size, boolean withPerson) {
            this(withPerson ? new long[size] : null, withPerson ? new long[size] : null, new long[size], new int[size], new int[size], new int[size]);
        }

        private Columns(long[] hi, long[] lo, long[] ts, int[] steps, int[] exclusions, int[] value) {
            this.hi = hi;
            this.lo = lo;
            this.ts = ts;
            this.steps = steps;
            this.exclusions = exclusions;
            this.value = value;
        }

        Columns copy(int size) {
            return new Columns(Arrays.copyOf(hi, size), Arrays.copyOf(lo, size), Arrays.copyOf(ts, size), Arrays.copyOf(steps, size),
                    Arrays.copyOf(exclusions, size), Arrays.copyOf(value, size));
        }

        /** The same arrays but for the UUID halves, to be written over. */
        Columns withoutPerson() {
            return new Columns(null, null, ts, steps, exclusions, value);
        }

        /** Row {@code i} of {@code from} to {@code at}, but for the UUID halves: only grouped rows move this way. */
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
        Integer[] order = new Integer[to - from];
        for (int i = from; i < to; i++) order[i - from] = i;
        Arrays.sort(order, this::compare);
        Columns sorted = new Columns(order.length, false);
        for (int i = 0; i < order.length; i++) sorted.take(i, rows, order[i]);
        System.arraycopy(sorted.ts, 0, rows.ts, from, order.length);
        System.arraycopy(sorted.steps, 0, rows.steps, from, order.length);
        System.arraycopy(sorted.exclusions, 0, rows.exclusions, from, order.length);
        System.arraycopy(sorted.value, 0, rows.value, from, order.length);
    }

    private int compare(int a, int b) {
        int c = Long.compare(rows.ts[a], rows.ts[b]);
        return c != 0 ? c : Integer.compare(rank(rows.steps[a]), rank(rows.steps[b]));
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
            return all.rows.ts[row(i)];
        }

        int steps(int i) {
            return all.rows.steps[row(i)];
        }

        int exclusions(int i) {
            return all.rows.exclusions[row(i)];
        }

        /** The breakdown value's code, -1 for none: equal codes, equal values. */
        int valueCode(int i) {
            return all.rows.value[row(i)];
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
