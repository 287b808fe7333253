package dev.sightline.cohort;

import dev.sightline.query.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where cohorts, their static members and their computed membership are kept. Every call names its project. */
public interface CohortStore {
    /** How the rows of an uploaded list identify persons. */
    enum Identifier { DISTINCT_ID, PERSON_ID, EMAIL }

    /** Stores a new cohort under a fresh id (ids count across projects). */
    Cohort create(Cohort draft);

    void update(Cohort cohort);

    Optional<Cohort> get(long projectId, long id);

    /** The project's cohorts that are not deleted, newest first. */
    List<Cohort> list(long projectId);

    /** Every project's dynamic cohorts that are not deleted: what the background calculation refreshes. */
    List<Cohort> dynamicCohorts();

    /** Records a calculation's state. */
    void calculation(long projectId, long id, boolean calculating, Optional<Long> count, Optional<Instant> at, int errors, Optional<String> error);

    /** Replaces the cohort's computed membership with the persons {@code members} selects; returns how many. */
    long storeMembers(long projectId, long cohortId, Sql members);

    /**
     * Adds to a static cohort the persons that {@code values} name (by {@code kind}), keeping all
     * their distinct ids so that later merges and splits carry the membership along. Returns the
     * positions (0-based) of the values that named nobody.
     */
    List<Integer> addStaticMembers(long projectId, long cohortId, Identifier kind, List<String> values);
}
