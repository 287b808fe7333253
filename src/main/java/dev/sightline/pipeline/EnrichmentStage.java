package dev.sightline.pipeline;

import dev.sightline.enrich.Enricher;
import dev.sightline.enrich.EventFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills in browser, device, location, attribution and session facts before identity runs; with
 * {@code dropBots}, events that enrichment marks {@code $is_bot} are accepted but not stored.
 */
public final class EnrichmentStage implements Stage {
    private final Enricher enricher;
    private final boolean dropBots;

    public EnrichmentStage(Enricher enricher, boolean dropBots) {
        this.enricher = enricher;
        this.dropBots = dropBots;
    }

    @Override
    public void process(List<IngestEvent> batch) {
        // Enrichment is per event except sessions, which need a visitor's events in order. A request
        // of the usual size runs on its own thread (other requests use the other cores); a large one
        // (an import's chunk) is split into one lane per core by (project, distinct id), each lane
        // kept in order, and the lanes run side by side (the Enricher is thread-safe).
        int lanes = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), batch.size() / 64));
        if (lanes == 1) {
            batch.forEach(this::enrich);
            return;
        }
        List<List<IngestEvent>> byLane = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) byLane.add(new ArrayList<>(batch.size() / lanes + 16));
        for (IngestEvent e : batch) {
            int lane = Math.floorMod(31 * Long.hashCode(e.projectId()) + e.distinctId().hashCode(), lanes);
            byLane.get(lane).add(e);
        }
        byLane.parallelStream().forEach(lane -> lane.forEach(this::enrich));
    }

    private void enrich(IngestEvent e) {
        enricher.enrich(e.properties(), new EventFacts(e.projectId(), e.distinctId(), e.event(), e.timestamp()), e.request());
        if (dropBots && e.properties().path("$is_bot").asBoolean(false)) {
            e.drop("bot");
        }
    }
}
