package dev.sightline.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sightline.query.CohortRelation;
import dev.sightline.query.Dialect;
import dev.sightline.query.InvalidQuery;
import dev.sightline.query.QueryContext;
import dev.sightline.query.Sql;
import dev.sightline.query.SqlExecutor;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cohort package's one entry: definitions (validated, nested cohorts checked for cycles),
 * static members (CSV upload, an insight's persons), and membership.
 *
 * <p><b>When membership is read.</b> Insights, cohort filters and breakdowns, and a cohort's
 * persons list evaluate a dynamic cohort's definition inline, at query time, through
 * {@link #at}: the answer is always current, and merges and splits are right by construction,
 * because the definition reads the events by their effective person. The stored membership
 * (computed on every save and every few minutes in the background, with status, count, last
 * calculation and errors) serves the cohort list's counts, and is what feature flags will read;
 * it can be minutes old. PostHog reads its periodically recalculated table in both places; we
 * chose inline evaluation for queries because at 10M events it costs well under a second
 * (docs/cohorts.md), and a cohort that lags its own insight would surprise users.
 */
public final class Cohorts implements CohortRelation.Source {
    private static final Logger log = LoggerFactory.getLogger(Cohorts.class);
    /** Rows of an upload resolved per statement. */
    static final int CSV_BATCH = 10_000;
    /** Unmatched rows listed in a report (all are counted). */
    static final int REPORT_ROWS = 1_000;

    public record Draft(String name, String description, JsonNode filters, JsonNode groups, boolean isStatic, Optional<Long> createdBy) {}

    public record Patch(Optional<String> name, Optional<String> description, Optional<JsonNode> filters, Optional<JsonNode> groups,
                        Optional<Boolean> deleted) {}

    /** An upload's outcome: rows read (without the header), rows that named a person, and the first rows that named nobody. */
    public record CsvReport(long rows, long matched, long unmatchedCount, List<Unmatched> unmatched, String column) {}

    /** @param row the row's line number in the file (the header is line 1) */
    public record Unmatched(long row, String value, String reason) {}

    private final CohortStore store;
    private final Dialect dialect;
    private final SqlExecutor db;
    private final LongFunction<ZoneId> zones;
    private final Clock clock;
    private final Map<Long, AtomicLong> versions = new ConcurrentHashMap<>();

    /** @param zones a project's time zone (behavioural windows are counted on its wall clock) */
    public Cohorts(CohortStore store, Dialect dialect, SqlExecutor db, LongFunction<ZoneId> zones, Clock clock) {
        this.store = store;
        this.dialect = dialect;
        this.db = db;
        this.zones = zones;
        this.clock = clock;
    }

    public List<Cohort> list(long projectId) {
        return store.list(projectId);
    }

    public Optional<Cohort> get(long projectId, long id) {
        return store.get(projectId, id).filter(c -> !c.deleted());
    }

    public Cohort create(long projectId, Draft d) {
        String name = d.name() == null ? "" : d.name().trim();
        if (name.isEmpty()) throw new InvalidQuery("name", "a cohort needs a name");
        JsonNode filters = d.filters() == null ? NullNode.getInstance() : d.filters();
        JsonNode groups = d.groups() == null ? NullNode.getInstance() : d.groups();
        if (!d.isStatic()) {
            Criterion def = CohortParser.parse(filters, groups)
                    .orElseThrow(() -> new InvalidQuery("filters.properties", "a dynamic cohort needs at least one criterion"));
            checkReferences(projectId, -1, def);
        }
        Instant at = clock.instant();
        Cohort c = store.create(new Cohort(0, projectId, name, d.description() == null ? "" : d.description(), filters, groups, d.isStatic(),
                false, at, d.createdBy(), at, 1, Optional.empty(), Optional.empty(), false, 0, Optional.empty()));
        changed(projectId);
        return c.isStatic() ? c : calculate(projectId, c.id());
    }

    public Cohort update(long projectId, long id, Patch p) {
        Cohort c = get(projectId, id).orElseThrow(() -> new NoSuchCohort(id));
        String name = p.name().map(String::trim).orElse(c.name());
        if (name.isEmpty()) throw new InvalidQuery("name", "a cohort needs a name");
        JsonNode filters = p.filters().orElse(c.filters());
        JsonNode groups = p.groups().orElse(p.filters().isPresent() ? NullNode.getInstance() : c.groups());
        boolean definitionChanged = p.filters().isPresent() || p.groups().isPresent();
        if (!c.isStatic() && definitionChanged) {
            Criterion def = CohortParser.parse(filters, groups)
                    .orElseThrow(() -> new InvalidQuery("filters.properties", "a dynamic cohort needs at least one criterion"));
            checkReferences(projectId, id, def);
        }
        boolean deleted = p.deleted().orElse(false);
        if (deleted) refuseDeleteWhileUsed(projectId, id);
        store.update(c.withDefinition(name, p.description().orElse(c.description()), filters, groups, deleted, clock.instant()));
        changed(projectId);
        if (!deleted && !c.isStatic() && definitionChanged) return calculate(projectId, id);
        return store.get(projectId, id).orElseThrow();
    }

    /** Soft delete, as PostHog does; refused while another cohort names this one. */
    public void delete(long projectId, long id) {
        update(projectId, id, new Patch(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true)));
    }

    private void refuseDeleteWhileUsed(long projectId, long id) {
        for (Cohort other : store.list(projectId)) {
            if (other.id() == id || other.isStatic()) continue;
            Optional<Criterion> def = definition(other);
            if (def.isPresent() && def.get().cohortsNamed().anyMatch(n -> n == id)) {
                throw new InvalidQuery("deleted", "cohort '" + other.name() + "' (" + other.id() + ") uses this cohort: change it first");
            }
        }
    }

    /**
     * Refuses a definition that names a cohort that does not exist or is deleted, or that reaches
     * {@code self} again through the cohorts it names (a circular reference could never be evaluated).
     */
    void checkReferences(long projectId, long self, Criterion def) {
        List<Long> direct = def.cohortsNamed().distinct().toList();
        for (long id : direct) walk(projectId, self, id, new ArrayList<>(List.of(id)), new HashSet<>());
    }

    private void walk(long projectId, long self, long id, List<Long> path, Set<Long> seen) {
        if (id == self) {
            throw new InvalidQuery("filters", "circular cohort reference: " + self + " → " + String.join(" → ", path.stream().map(String::valueOf).toList()));
        }
        if (!seen.add(id)) return;
        Cohort c = get(projectId, id).orElseThrow(() -> new InvalidQuery("filters", "cohort " + id + " does not exist in this project"));
        if (c.isStatic()) return;
        for (long next : definition(c).map(d -> d.cohortsNamed().distinct().toList()).orElse(List.of())) {
            path.add(next);
            walk(projectId, self, next, path, seen);
            path.removeLast();
        }
    }

    static Optional<Criterion> definition(Cohort c) {
        try {
            return CohortParser.parse(c.filters(), c.groups());
        } catch (InvalidQuery e) {
            return Optional.empty();
        }
    }

    /** Computes and stores the cohort's membership now, recording the outcome (also a failure) on the cohort. */
    public Cohort calculate(long projectId, long id) {
        Cohort c = get(projectId, id).orElseThrow(() -> new NoSuchCohort(id));
        store.calculation(projectId, id, true, c.count(), c.lastCalculation(), c.errorsCalculating(), c.lastError());
        Instant now = clock.instant();
        try {
            Sql members = statement(projectId, zones.apply(projectId), now);
            members.add("SELECT m.id FROM ").cohort(id, "m");
            long count = store.storeMembers(projectId, id, members);
            store.calculation(projectId, id, false, Optional.of(count), Optional.of(now), 0, Optional.empty());
        } catch (RuntimeException e) {
            log.warn("cohort {} of project {} could not be calculated: {}", id, projectId, e.getMessage());
            store.calculation(projectId, id, false, c.count(), c.lastCalculation(), c.errorsCalculating() + 1,
                    Optional.ofNullable(e.getMessage()).or(() -> Optional.of(e.getClass().getSimpleName())));
        }
        return store.get(projectId, id).orElseThrow();
    }

    /** How many persons a definition (not saved) holds now: the editor's live estimate. */
    public long estimate(long projectId, JsonNode filters, JsonNode groups) {
        Criterion def = CohortParser.parse(filters, groups)
                .orElseThrow(() -> new InvalidQuery("filters.properties", "add a criterion to estimate the cohort's size"));
        checkReferences(projectId, -1, def);
        ZoneId zone = zones.apply(projectId);
        Instant now = clock.instant();
        Sql sql = statement(projectId, zone, now).add("SELECT count(*) FROM ");
        new CohortSql(zone, now, (into, id) -> print(into, projectId, id, zone, now, new HashSet<>())).members(sql, def);
        sql.add(" m");
        long[] n = {0};
        db.query(sql, rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /** The cohort's members as a relation ({@code id}), evaluated now: what its persons list shows. */
    public Sql members(long projectId, long id) {
        get(projectId, id).orElseThrow(() -> new NoSuchCohort(id));
        return statement(projectId, zones.apply(projectId), clock.instant()).add("SELECT m.id FROM ").cohort(id, "m");
    }

    private Sql statement(long projectId, ZoneId zone, Instant now) {
        return new Sql(projectId, dialect, QueryContext.shape(projectId, dialect, db), at(projectId, zone, now));
    }

    @Override
    public CohortRelation at(long projectId, ZoneId zone, Instant now) {
        return new CohortRelation() {
            @Override
            public void members(Sql into, long cohortId) {
                print(into, projectId, cohortId, zone, now, new HashSet<>());
            }

            @Override
            public String name(long cohortId) {
                return Cohorts.this.name(projectId, cohortId);
            }
        };
    }

    @Override
    public String version(long projectId) {
        return Long.toString(versions.computeIfAbsent(projectId, k -> new AtomicLong()).get());
    }

    @Override
    public String name(long projectId, long cohortId) {
        return store.get(projectId, cohortId).map(Cohort::name).orElse("Cohort " + cohortId);
    }

    private void changed(long projectId) {
        versions.computeIfAbsent(projectId, k -> new AtomicLong()).incrementAndGet();
    }

    /** One cohort as a relation: its static members' persons now, or its definition evaluated; {@code path} guards against cycles. */
    private void print(Sql into, long projectId, long id, ZoneId zone, Instant now, Set<Long> path) {
        Cohort c = get(projectId, id).orElseThrow(() -> new InvalidQuery("properties", "cohort " + id + " does not exist in this project"));
        if (!path.add(id)) throw new InvalidQuery("filters", "circular cohort reference through cohort " + id);
        if (c.isStatic()) {
            // by distinct id: a member merged into another person, or split, is found wherever their ids went
            into.add("(SELECT DISTINCT sd.person_id AS id FROM ").from(Dialect.Relation.DISTINCT_IDS, "sd")
                    .add(" WHERE sd.distinct_id IN (SELECT ss.distinct_id FROM ").from(Dialect.Relation.STATIC_COHORT_MEMBERS, "ss")
                    .add(" WHERE ss.cohort_id = ").bind(id).add("))");
        } else {
            Optional<Criterion> def = definition(c);
            if (def.isEmpty()) {
                into.add("(SELECT ne.id FROM ").from(Dialect.Relation.PERSONS, "ne").add(" WHERE FALSE)");
            } else {
                new CohortSql(zone, now, (sql, next) -> print(sql, projectId, next, zone, now, path)).members(into, def.get());
            }
        }
        path.remove(id);
    }

    /** Adds persons (by id) to a static cohort: "save as cohort" from an insight's persons. */
    public Cohort addPersons(long projectId, long id, List<UUID> persons) {
        Cohort c = staticCohort(projectId, id);
        for (int i = 0; i < persons.size(); i += CSV_BATCH) {
            store.addStaticMembers(projectId, id, CohortStore.Identifier.PERSON_ID,
                    persons.subList(i, Math.min(persons.size(), i + CSV_BATCH)).stream().map(UUID::toString).toList());
        }
        bumped(c);
        return calculate(projectId, id);
    }

    /**
     * Adds the persons an uploaded CSV names to a static cohort, in batches as the file streams in.
     * A header naming {@code distinct_id}, {@code person_id} (or {@code id}) or {@code email} picks
     * that column; otherwise the first column holds distinct ids and every row is data. Rows that
     * name nobody are reported and skipped; the others are kept.
     */
    public CsvReport addCsv(long projectId, long id, InputStream csv) {
        Cohort c = staticCohort(projectId, id);
        CohortCsv.Reader rows = CohortCsv.open(csv);
        long[] matched = {0};
        long[] unmatchedCount = {0};
        List<Unmatched> unmatched = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        Runnable flush = () -> {
            if (batch.isEmpty()) return;
            List<Integer> missed = store.addStaticMembers(projectId, id, rows.kind(), List.copyOf(batch));
            Set<Integer> missedSet = new LinkedHashSet<>(missed);
            for (int i = 0; i < batch.size(); i++) {
                if (missedSet.contains(i)) {
                    unmatchedCount[0]++;
                    if (unmatched.size() < REPORT_ROWS) {
                        unmatched.add(new Unmatched(lines.get(i), batch.get(i), batch.get(i).isEmpty() ? "empty" : "matched no person"));
                    }
                } else {
                    matched[0]++;
                }
            }
            batch.clear();
            lines.clear();
        };
        long total = 0;
        for (CohortCsv.Row row = rows.next(); row != null; row = rows.next()) {
            total++;
            // an empty row stays in the batch (it names nobody), so the report keeps the file's order
            batch.add(row.value());
            lines.add(row.line());
            if (batch.size() >= CSV_BATCH) flush.run();
        }
        flush.run();
        bumped(c);
        calculate(projectId, id);
        return new CsvReport(total, matched[0], unmatchedCount[0], List.copyOf(unmatched), rows.column());
    }

    private Cohort staticCohort(long projectId, long id) {
        Cohort c = get(projectId, id).orElseThrow(() -> new NoSuchCohort(id));
        if (!c.isStatic()) throw new InvalidQuery("is_static", "persons can only be added to a static cohort");
        return c;
    }

    private void bumped(Cohort c) {
        store.update(c.withDefinition(c.name(), c.description(), c.filters(), c.groups(), c.deleted(), clock.instant()));
        changed(c.projectId());
    }

    /** Recomputes every dynamic cohort's stored membership (the background job); one failure does not stop the others. */
    public int recalculateAll() {
        int n = 0;
        for (Cohort c : store.dynamicCohorts()) {
            try {
                calculate(c.projectId(), c.id());
                n++;
            } catch (RuntimeException e) {
                log.warn("cohort {} recalculation failed: {}", c.id(), e.getMessage());
            }
        }
        return n;
    }

    /** Runs {@link #recalculateAll} every {@code every} on a thread of its own; close the result to stop. */
    public AutoCloseable schedule(Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cohort-recalculation");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::recalculateAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** A cohort id that names no cohort of the project (a 404). */
    public static final class NoSuchCohort extends RuntimeException {
        public NoSuchCohort(long id) {
            super("no cohort " + id + " in this project");
        }
    }
}
