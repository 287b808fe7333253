package dev.sightline.capture;

import java.util.List;

/** The events of one capture request, all for the project of {@code token}. */
public record CaptureBatch(String token, List<CapturedEvent> events, boolean historicalMigration) {}
