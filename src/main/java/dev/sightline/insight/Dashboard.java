package dev.sightline.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A dashboard: tiles (a saved insight or a text) laid out on a grid, and filters that apply to
 * every insight tile (a date range and property filters, see {@link DashboardFilters}).
 */
public record Dashboard(long id, String name, String description, boolean pinned, List<String> tags, JsonNode filters,
                        int refreshIntervalSeconds, long createdBy, Instant createdAt, boolean deleted, List<Tile> tiles) {

    /** One tile: an insight or a text (markdown), with its layouts per screen size ({@code {"sm": {x, y, w, h}}}). */
    public record Tile(long id, Optional<Long> insightId, Optional<String> text, JsonNode layouts, Optional<String> color) {}
}
