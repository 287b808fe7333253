package dev.sightline.capture;

import java.util.concurrent.Semaphore;

/**
 * How much of the heap capture requests may hold at once, across all requests. Each request
 * reserves its body before reading it, then its decoded JSON times {@link #DECODED_WEIGHT} before
 * parsing it, and keeps both until it is answered (its events wait in the pipeline until then).
 * When the reservation does not fit, the request is refused with a 503 and Retry-After instead of
 * being read: thirty parallel 20 MiB batches once took a 1 GiB heap to 2.2 GB of memory.
 */
public final class InFlightBytes {
    /**
     * Heap a request holds per byte of decoded JSON: the event trees retain 4.8 times the JSON
     * (measured on 19 MiB batches of 30 and 120 properties per event; 1.3 with long values), and
     * the JSON text and the rows made for the store come on top.
     */
    public static final int DECODED_WEIGHT = 6;
    private static final int UNIT = 1024;

    private final Semaphore units;
    private final int capacityUnits;

    public InFlightBytes(long capacityBytes) {
        this.capacityUnits = (int) Math.clamp(capacityBytes / UNIT, 1, Integer.MAX_VALUE);
        this.units = new Semaphore(capacityUnits);
    }

    /** Bytes reserved by requests now. */
    public long heldBytes() {
        return (long) (capacityUnits - units.availablePermits()) * UNIT;
    }

    /** A new reservation of {@code bytes}, or a 503 {@code capture_busy} when they do not fit now. */
    public Reservation reserve(long bytes) {
        Reservation r = new Reservation();
        r.grow(bytes);
        return r;
    }

    /** What one request holds; closing it gives everything back. */
    public final class Reservation implements AutoCloseable {
        private int held;

        /**
         * Reserves {@code bytes} more. One request alone may take the whole capacity, so a request
         * within the body limits is never refused on an idle server, however small its heap.
         */
        public void grow(long bytes) {
            int want = (int) Math.min((bytes + UNIT - 1) / UNIT, capacityUnits - held);
            if (want <= 0) return;
            if (!units.tryAcquire(want)) {
                throw CaptureError.busy("the server holds as many request bytes as its memory allows; retry later");
            }
            held += want;
        }

        /** Gives back what is held beyond {@code bytes} (a body turned out smaller than the limit reserved for it). */
        public void shrinkTo(long bytes) {
            int keep = (int) Math.min((bytes + UNIT - 1) / UNIT, held);
            units.release(held - keep);
            held = keep;
        }

        @Override
        public void close() {
            units.release(held);
            held = 0;
        }
    }
}
