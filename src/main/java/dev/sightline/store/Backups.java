package dev.sightline.store;

import java.nio.file.Path;
import java.util.Optional;

/** Consistent copies of the whole store (every organization), taken while it is in use. */
public interface Backups {
    /** What a backup holds. */
    record Backup(Path directory, long bytes, long events, long persons, long millis) {}

    /**
     * Writes a copy of the store, as of one moment, into {@code directory} (which must not exist
     * or be empty), or into a new directory beside the store when empty. Ingestion goes on meanwhile.
     */
    Backup backup(Optional<Path> directory);
}
