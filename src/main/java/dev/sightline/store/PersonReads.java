package dev.sightline.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reading persons, their merge history and their timeline. Every call names its project. */
public interface PersonReads {
    List<PersonView> list(long projectId, PersonQuery query);

    /** Whether any person of the project is identified: the web app opens a project of anonymous traffic on web analytics. */
    boolean hasIdentifiedPersons(long projectId);

    Optional<PersonView> get(long projectId, UUID uuid);

    Optional<PersonView> byDistinctId(long projectId, String distinctId);

    /** Merges where the person was the source or the target, oldest first. */
    List<MergeView> merges(long projectId, UUID uuid);

    /** Every event of every distinct id of the person, in time order, keyset-paginated. */
    List<StoredEvent> timeline(long projectId, List<String> distinctIds, boolean ascending, int limit, Optional<EventCursor> after);
}
