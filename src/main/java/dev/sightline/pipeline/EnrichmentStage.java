package dev.sightline.pipeline;

import dev.sightline.enrich.Enricher;
import dev.sightline.enrich.EventFacts;
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
        for (IngestEvent e : batch) {
            enricher.enrich(e.properties(), new EventFacts(e.projectId(), e.distinctId(), e.event(), e.timestamp()), e.request());
            if (dropBots && e.properties().path("$is_bot").asBoolean(false)) {
                e.drop("bot");
            }
        }
    }
}
