package dev.sightline.capture;

import java.util.List;

/**
 * The events of one capture request, all for the project of {@code token}.
 *
 * @param eventsTooLarge events of the request left out for their size ({@link EventLimits})
 */
public record CaptureBatch(String token, List<CapturedEvent> events, boolean historicalMigration, int eventsTooLarge) {

    public CaptureBatch(String token, List<CapturedEvent> events, boolean historicalMigration) {
        this(token, events, historicalMigration, 0);
    }
}
