package dev.sightline.transfer;

/** Told after each chunk: rows handled so far and bytes of the input file read so far. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (rows, bytes) -> { };

    void update(long rows, long bytesRead);
}
