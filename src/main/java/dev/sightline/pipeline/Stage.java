package dev.sightline.pipeline;

import java.util.List;

/**
 * One step between capture and the queue (enrichment; later metering). A stage sees one request's
 * events in the order they were sent, on that request's thread, while other requests run through
 * it at the same time: it must be thread-safe, and whatever it remembers across requests (server
 * sessions) must not depend on which of two concurrent requests comes first. Person processing is
 * not a stage: it needs the committed person state and runs on the writer thread.
 */
public interface Stage {
    void process(List<IngestEvent> requestEvents);
}
