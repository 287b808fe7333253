package dev.sightline.store;

import java.nio.file.Path;

/**
 * A project's data written out in PostHog's export format (one JSON object a line), for backups,
 * moving between installations and {@code sightline import}.
 */
public interface ProjectExport {
    /** Events as {uuid, event, distinct_id, timestamp, properties}, oldest first; returns how many. */
    long events(long projectId, Path file, boolean gzip);

    /** Persons as {uuid, distinct_ids, properties, is_identified, created_at}; returns how many. */
    long persons(long projectId, Path file, boolean gzip);
}
