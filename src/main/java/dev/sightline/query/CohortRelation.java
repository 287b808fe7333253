package dev.sightline.query;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A cohort as a relation of person ids inside a query. The query package only knows this port;
 * the cohort package prints a definition (or a static member list) through it, so a cohort filter,
 * a cohort breakdown and a cohort's persons list all read the same rule.
 */
@FunctionalInterface
public interface CohortRelation {
    /** Appends a parenthesized {@code SELECT} whose one column {@code id} holds the cohort's person ids. */
    void members(Sql into, long cohortId);

    /** The cohort's name, for the labels of a breakdown by cohort. */
    default String name(long cohortId) {
        return "Cohort " + cohortId;
    }

    /** For statements that cannot read cohorts: any cohort filter is refused. */
    CohortRelation NONE = (sql, id) -> {
        throw new InvalidQuery("properties", "cohort filters are not available here");
    };

    /** Where a query finds the project's cohorts, bound to its time zone and "now". */
    interface Source {
        CohortRelation at(long projectId, ZoneId zone, Instant now);

        /** Changes whenever a cohort definition or static member list of the project does (part of the cache key). */
        String version(long projectId);

        /** The cohort's name, for breakdown labels. */
        default String name(long projectId, long cohortId) {
            return "Cohort " + cohortId;
        }

        Source NONE = new Source() {
            @Override
            public CohortRelation at(long projectId, ZoneId zone, Instant now) {
                return CohortRelation.NONE;
            }

            @Override
            public String version(long projectId) {
                return "";
            }
        };
    }
}
