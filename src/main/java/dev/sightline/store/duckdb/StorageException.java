package dev.sightline.store.duckdb;

/** The database failed; callers answer 503 so that clients retry. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
