package dev.sightline.pipeline;

import java.util.UUID;

/**
 * The event uuids stored most recently, so that an SDK retrying a request whose answer it lost
 * does not store its events twice. Two generations of open-addressing tables of primitive longs:
 * when the young one fills up it becomes the old one, so memory stays bounded (about 64 bytes an
 * id at the default size) and at least {@code capacity / 2} of the latest ids are always known.
 * Used by the pipeline's single writer thread only.
 */
final class RecentEventIds {
    private final int generationSize;
    private Table young;
    private Table old;

    RecentEventIds(int capacity) {
        this.generationSize = Math.max(16, capacity / 2);
        this.young = new Table(generationSize);
        this.old = new Table(16);
    }

    boolean contains(long projectId, UUID uuid) {
        long hi = hi(projectId, uuid);
        long lo = uuid.getLeastSignificantBits();
        return young.contains(hi, lo) || old.contains(hi, lo);
    }

    void add(long projectId, UUID uuid) {
        if (young.size >= generationSize) {
            old = young;
            young = new Table(generationSize);
        }
        young.add(hi(projectId, uuid), uuid.getLeastSignificantBits());
    }

    private static long hi(long projectId, UUID uuid) {
        return uuid.getMostSignificantBits() ^ (projectId * 0x9E3779B97F4A7C15L);
    }

    private static final class Table {
        private final long[] his;
        private final long[] los;
        private final boolean[] used;
        private final int mask;
        private int size;

        Table(int entries) {
            int slots = Integer.highestOneBit(Math.max(4, entries) * 2 - 1) << 1;
            his = new long[slots];
            los = new long[slots];
            used = new boolean[slots];
            mask = slots - 1;
        }

        boolean contains(long hi, long lo) {
            for (int i = slot(hi, lo); used[i]; i = (i + 1) & mask) {
                if (his[i] == hi && los[i] == lo) return true;
            }
            return false;
        }

        void add(long hi, long lo) {
            int i = slot(hi, lo);
            while (used[i]) {
                if (his[i] == hi && los[i] == lo) return;
                i = (i + 1) & mask;
            }
            used[i] = true;
            his[i] = hi;
            los[i] = lo;
            size++;
        }

        private int slot(long hi, long lo) {
            long h = (hi * 0xC2B2AE3D27D4EB4FL) ^ lo;
            h ^= h >>> 29;
            return (int) (h & mask);
        }
    }
}
