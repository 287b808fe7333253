package dev.sightline.pipeline;

import java.util.List;

/**
 * One step between capture and the store (enrichment, identity, metering). A stage sees a whole
 * micro-batch in arrival order, so per-distinct-id order holds, and may batch its own look-ups.
 */
public interface Stage {
    void process(List<IngestEvent> batch);
}
