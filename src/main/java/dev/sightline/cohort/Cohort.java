package dev.sightline.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * A stored cohort: its definition as the client sent it ({@code filters}, or legacy {@code groups}),
 * and the state of its last membership calculation, the fields PostHog's cohort serializer returns.
 *
 * @param version         bumped by every change of definition or static members
 * @param count           members at the last calculation
 * @param lastError       why the last calculation failed, while {@code errorsCalculating} > 0
 */
public record Cohort(long id, long projectId, String name, String description, JsonNode filters, JsonNode groups, boolean isStatic,
                     boolean deleted, Instant createdAt, Optional<Long> createdBy, Instant updatedAt, long version, Optional<Long> count,
                     Optional<Instant> lastCalculation, boolean isCalculating, int errorsCalculating, Optional<String> lastError) {

    public Cohort withDefinition(String name, String description, JsonNode filters, JsonNode groups, boolean deleted, Instant at) {
        return new Cohort(id, projectId, name, description, filters, groups, isStatic, deleted, createdAt, createdBy, at, version + 1, count,
                lastCalculation, isCalculating, errorsCalculating, lastError);
    }
}
