package dev.sightline.store;

/**
 * A project's data retention: its events are kept {@code days} days (by event time), and with
 * {@code deletePersons} a person left without any event is deleted with them.
 */
public record Retention(int days, boolean deletePersons) {
    public static final int MAX_DAYS = 36_500;

    public Retention {
        if (days < 1 || days > MAX_DAYS) throw new IllegalArgumentException("retention_days must be between 1 and " + MAX_DAYS);
    }
}
