package dev.sightline.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.identity.EventOutcome;
import dev.sightline.identity.IdentityEvent;
import dev.sightline.identity.IngestionWarning;
import dev.sightline.identity.PersonChanges;
import dev.sightline.identity.PersonProcessor;
import dev.sightline.identity.SplitOutcome;
import dev.sightline.identity.UsageClass;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs person processing over a micro-batch and stamps each event with its person (id,
 * properties snapshot, person mode, group columns), or drops it where the rules say so.
 */
final class IdentityStage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.function.Supplier<PersonProcessor> newProcessor;
    private final MeterRegistry metrics;
    private PersonProcessor persons;

    IdentityStage(java.util.function.Supplier<PersonProcessor> newProcessor, MeterRegistry metrics) {
        this.newProcessor = newProcessor;
        this.persons = newProcessor.get();
        this.metrics = metrics;
    }

    SplitOutcome split(long projectId, UUID person, List<List<String>> groups, java.time.Instant at) {
        return persons.split(projectId, person, groups, at);
    }

    /** After a deletion the cache may hold what is gone; a fresh processor reloads from the store. */
    void forget() {
        persons = newProcessor.get();
    }

    PersonChanges process(List<IngestEvent> events) {
        List<IdentityEvent> input = new ArrayList<>(events.size());
        for (IngestEvent e : events) {
            e.clearPersonOutcome();
            input.add(new IdentityEvent(e.projectId(), e.uuid(), e.event(), e.distinctId(), e.timestamp(), e.properties()));
        }
        var outcome = persons.process(input);
        // outcomes come in the order of the events; a uuid alone would not say which (two projects may share one)
        for (int i = 0; i < events.size(); i++) {
            EventOutcome o = outcome.events().get(i);
            IngestEvent e = events.get(i);
            for (IngestionWarning w : o.warnings()) {
                metrics.counter("sightline_ingestion_warnings", "type", w.type()).increment();
            }
            switch (o) {
                case EventOutcome.Stamped s -> {
                    var stamp = s.stamp();
                    e.replaceProperties(stamp.eventProperties());
                    e.stampPerson(stamp.personId(), stamp.personProperties(), stamp.mode().wireName(),
                            UsageClass.of(e.event(), stamp.mode()).name().toLowerCase(java.util.Locale.ROOT), stamp.personIdentified());
                    if (!stamp.groupColumns().isEmpty()) {
                        List<String> groups = new ArrayList<>(List.of("", "", "", "", ""));
                        stamp.groupColumns().forEach((index, key) -> groups.set(index, key));
                        e.stampGroups(groups);
                    }
                }
                case EventOutcome.Dropped d -> e.dropByPersonRules(d.reason());
            }
        }
        return outcome.changes();
    }

    void committed(PersonChanges changes) {
        persons.committed(changes);
        metrics.counter("sightline_person_writes").increment(
                changes.personsUpserted().size() + changes.personsDeleted().size() + changes.distinctIds().size());
    }

    void abandoned() {
        persons.abandoned();
    }
}
