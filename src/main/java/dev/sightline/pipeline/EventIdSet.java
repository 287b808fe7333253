package dev.sightline.pipeline;

import java.util.UUID;

/**
 * A set of (project, event uuid) pairs in primitive arrays (open addressing), so the writer thread
 * allocates nothing per event. The pair is compared whole: folding the project into the uuid's
 * bits would make two projects' different events one key whenever their bits happen to cancel out,
 * and one of them would be dropped as a retry of the other.
 */
final class EventIdSet {
    private final long[] projects;
    private final long[] his;
    private final long[] los;
    private final boolean[] used;
    private final int mask;
    private int size;

    /** Room for {@code entries} pairs at most half full. */
    EventIdSet(int entries) {
        int slots = Integer.highestOneBit(Math.max(4, entries) * 2 - 1) << 1;
        projects = new long[slots];
        his = new long[slots];
        los = new long[slots];
        used = new boolean[slots];
        mask = slots - 1;
    }

    int size() {
        return size;
    }

    boolean contains(long projectId, UUID uuid) {
        long hi = uuid.getMostSignificantBits();
        long lo = uuid.getLeastSignificantBits();
        for (int i = slot(projectId, hi, lo); used[i]; i = (i + 1) & mask) {
            if (his[i] == hi && los[i] == lo && projects[i] == projectId) return true;
        }
        return false;
    }

    /** False when the pair is in the set already. The caller keeps it at most half full. */
    boolean add(long projectId, UUID uuid) {
        long hi = uuid.getMostSignificantBits();
        long lo = uuid.getLeastSignificantBits();
        int i = slot(projectId, hi, lo);
        while (used[i]) {
            if (his[i] == hi && los[i] == lo && projects[i] == projectId) return false;
            i = (i + 1) & mask;
        }
        used[i] = true;
        projects[i] = projectId;
        his[i] = hi;
        los[i] = lo;
        size++;
        return true;
    }

    private int slot(long projectId, long hi, long lo) {
        // only where to look first: a collision of this hash costs a probe, never a wrong answer
        long h = (hi * 0xC2B2AE3D27D4EB4FL) ^ lo ^ (projectId * 0x9E3779B97F4A7C15L);
        h ^= h >>> 29;
        return (int) (h & mask);
    }
}
