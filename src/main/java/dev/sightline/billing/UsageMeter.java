package dev.sightline.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metering at ingest, on the pipeline's writer thread: each batch counts its events into a
 * {@link UsageTally} that the store commits with the events, and drops the billed events that a
 * project's monthly limit does not allow.
 *
 * <p>A limit is decided with the month's count held here: loaded from the store the first time a
 * limited project's month is needed, then advanced only after each batch commits. So a batch that
 * fails changes nothing, a restart starts from what is committed, and a limit reached in the
 * middle of a batch keeps exactly the events up to it. An event counts in the month (UTC) of its
 * own timestamp, as PostHog's usage report counts by the event's date.
 */
public final class UsageMeter {
    private static final Logger log = LoggerFactory.getLogger(UsageMeter.class);

    private final Optional<UsageStore> store;
    private final boolean counting;
    /** Written by the API's threads, read by the writer's. */
    private final Map<Long, BillingLimits> limits = new ConcurrentHashMap<>();
    /** Committed identified and anonymous counts of the limited projects' months; the writer thread's alone. */
    private final Map<ProjectMonth, long[]> used = new HashMap<>();
    /** Limits already reported as reached in the log, so each is said once. */
    private final Set<String> announced = new HashSet<>();

    private record ProjectMonth(long projectId, YearMonth month) {}

    private UsageMeter(Optional<UsageStore> store, boolean counting) {
        this.store = store;
        this.counting = counting;
        store.ifPresent(s -> limits.putAll(s.limits()));
    }

    public UsageMeter(UsageStore store) {
        this(Optional.of(store), true);
    }

    /** No metering: nothing counted, nothing limited (for measuring what metering costs); limits are still kept. */
    public static UsageMeter notCounting(UsageStore store) {
        return new UsageMeter(Optional.of(store), false);
    }

    /** No metering and no store (pipelines built by tests and tools). */
    public static UsageMeter off() {
        return new UsageMeter(Optional.empty(), false);
    }

    /** Whether batches are counted and limits applied. */
    public boolean on() {
        return counting;
    }

    public BillingLimits limits(long projectId) {
        return limits.getOrDefault(projectId, BillingLimits.NONE);
    }

    /** Stores the project's limits; batches that start after this call follow them. */
    public void setLimits(long projectId, BillingLimits newLimits) {
        UsageStore s = store.orElseThrow(() -> new IllegalStateException("no usage store"));
        s.setLimits(projectId, newLimits);
        if (newLimits.isEmpty()) limits.remove(projectId); else limits.put(projectId, newLimits);
    }

    public Batch batch() {
        return new Batch();
    }

    /** After the batch's tally is committed: its billed counts join the months held here. */
    public void committed(Batch batch) {
        for (UsageTally.Row row : batch.tally.rows()) {
            if (!row.kind().billed()) continue;
            long[] month = used.get(new ProjectMonth(row.projectId(), YearMonth.from(row.day())));
            if (month != null) month[index(row.kind())] += row.count();
        }
    }

    private long[] used(ProjectMonth pm) {
        return used.computeIfAbsent(pm, k -> {
            Map<UsageKind, Long> totals = store.orElseThrow().monthTotals(k.projectId(), k.month());
            return new long[] {totals.getOrDefault(UsageKind.IDENTIFIED, 0L), totals.getOrDefault(UsageKind.ANONYMOUS, 0L)};
        });
    }

    private static int index(UsageKind billed) {
        return billed == UsageKind.IDENTIFIED ? 0 : 1;
    }

    /** One batch's metering: which billed events its limits keep, and its tally. Not thread-safe. */
    public final class Batch {
        private final UsageTally tally = new UsageTally();
        /** Billed events kept by this batch so far, per limited project and month. */
        private final Map<ProjectMonth, long[]> kept = new HashMap<>();
        /** The limits as this batch first saw them, so one batch follows one setting. */
        private final Map<Long, BillingLimits> seen = new HashMap<>();
        private long refused;

        private Batch() {}

        /** Events this batch's limits refused. */
        public long refused() {
            return refused;
        }

        /**
         * Whether an event of a billed kind may be kept: true while its project's month is under its
         * limit of that kind (the event then counts towards it), false past it (the event is counted
         * as dropped, and must not be stored). Events of other kinds are always kept.
         */
        public boolean admit(long projectId, Instant timestamp, UsageKind kind, String event, String lib) {
            if (!on() || !kind.billed()) return true;
            OptionalLong limit = seen.computeIfAbsent(projectId, UsageMeter.this::limits).of(kind);
            if (limit.isEmpty()) return true;
            ProjectMonth pm = new ProjectMonth(projectId, YearMonth.from(LocalDate.ofEpochDay(UsageTally.epochDay(timestamp))));
            long[] mine = kept.computeIfAbsent(pm, k -> new long[2]);
            int i = index(kind);
            if (used(pm)[i] + mine[i] < limit.getAsLong()) {
                mine[i]++;
                return true;
            }
            tally.add(projectId, timestamp, kind.dropped(), event, lib);
            refused++;
            if (announced.add(projectId + "/" + pm.month() + "/" + kind)) {
                log.warn("project {} reached its limit of {} {} events for {}: further ones are dropped until the month ends",
                        projectId, limit.getAsLong(), kind.wireName(), pm.month());
            }
            return false;
        }

        /**
         * An event to be stored, of the kind it bills as. {@code wouldBeAnonymous}: an identified
         * event whose person was not identified when it came (see {@link UsageKind#COULD_BE_ANONYMOUS}).
         */
        public void count(long projectId, Instant timestamp, UsageKind kind, String event, String lib, boolean wouldBeAnonymous) {
            if (!on()) return;
            tally.add(projectId, timestamp, kind, event, lib);
            if (wouldBeAnonymous && kind == UsageKind.IDENTIFIED) tally.add(projectId, timestamp, UsageKind.COULD_BE_ANONYMOUS, event, lib);
        }

        public UsageTally tally() {
            return tally;
        }
    }
}
