package dev.sightline.pipeline;

import dev.sightline.enrich.Enricher;
import dev.sightline.enrich.EventFacts;
import java.util.List;

/** Fills in browser, device, location, attribution and session facts before identity runs. */
public final class EnrichmentStage implements Stage {
    private final Enricher enricher;

    public EnrichmentStage(Enricher enricher) {
        this.enricher = enricher;
    }

    @Override
    public void process(List<IngestEvent> batch) {
        for (IngestEvent e : batch) {
            enricher.enrich(e.properties(), new EventFacts(e.projectId(), e.distinctId(), e.event(), e.timestamp()), e.request());
        }
    }
}
