package dev.sightline.capture;

import java.util.List;
import java.util.Map;

/**
 * The events of one capture request, all for the project of {@code token}.
 *
 * @param eventsTooLarge events of the request left out for their size ({@link EventLimits})
 * @param warnings       ingestion warnings capture raised, by type, with how many events raised each
 */
public record CaptureBatch(String token, List<CapturedEvent> events, boolean historicalMigration, int eventsTooLarge,
                           Map<String, Integer> warnings) {

    public CaptureBatch(String token, List<CapturedEvent> events, boolean historicalMigration) {
        this(token, events, historicalMigration, 0, Map.of());
    }
}
