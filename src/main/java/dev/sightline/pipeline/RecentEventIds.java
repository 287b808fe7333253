package dev.sightline.pipeline;

import java.util.UUID;

/**
 * The event uuids stored most recently, by project, so that an SDK retrying a request whose answer
 * it lost does not store its events twice. Two generations of {@link EventIdSet}s: when the young
 * one fills up it becomes the old one, so memory stays bounded (about 100 bytes an id at the default
 * size) and at least {@code capacity / 2} of the latest ids are always known. Used by the
 * pipeline's single writer thread only.
 */
final class RecentEventIds {
    private final int generationSize;
    private EventIdSet young;
    private EventIdSet old;

    RecentEventIds(int capacity) {
        this.generationSize = Math.max(16, capacity / 2);
        this.young = new EventIdSet(generationSize);
        this.old = new EventIdSet(16);
    }

    boolean contains(long projectId, UUID uuid) {
        return young.contains(projectId, uuid) || old.contains(projectId, uuid);
    }

    void add(long projectId, UUID uuid) {
        if (young.size() >= generationSize) {
            old = young;
            young = new EventIdSet(generationSize);
        }
        young.add(projectId, uuid);
    }
}
