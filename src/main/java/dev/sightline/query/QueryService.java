package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The query package's one entry: parse → validate → run the kind's runner → shape the envelope,
 * with results cached by (project, query, data version, minute) unless {@code refresh} forces a run.
 */
public final class QueryService {
    /** Something that changes whenever a project's events or persons do. */
    public interface DataVersion {
        String dataVersion(long projectId);
    }

    /** The project's "internal and test users" filters, applied when a query sets filterTestAccounts. */
    public interface TestAccountFilters {
        FilterNode testAccountFilters(long projectId);

        /** The stored filter list as JSON text, "[]" when none was set. */
        String testAccountFiltersJson(long projectId);

        /** Stores a filter list (JSON text) that {@link FilterNode#parse} accepts. */
        void setTestAccountFilters(long projectId, String filtersJson);
    }

    /**
     * Query kinds answered outside this package (web analytics): parsed and run by their own
     * package on the same context, cache and envelope.
     */
    public interface Kind {
        boolean handles(String kind);

        /** Validates the query, throwing {@link InvalidQuery} naming the field; called before anything runs. */
        void check(JsonNode query);

        Map<String, Object> run(JsonNode query, QueryContext ctx);
    }

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final int CACHE_ENTRIES = 500;

    private final Dialect dialect;
    private final SqlExecutor db;
    private final DataVersion version;
    private final TestAccountFilters testAccounts;
    private final Clock clock;
    private final CohortRelation.Source cohorts;
    private final Map<String, Map<String, Object>> cache = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> e) {
            return size() > CACHE_ENTRIES;
        }
    };

    /**
     * What every query of a project looks up before it runs, kept while the project's data version
     * holds (each costs a statement, a few ms). Read before the lookups, so a change that lands
     * during them leaves them under the older version, which the next query no longer matches.
     */
    private record Lookups(String dataVersion, FilterNode testAccounts, Dialect.Shape shape) {}

    private final Map<Long, Lookups> lookups = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.List<Kind> kinds;

    public QueryService(Dialect dialect, SqlExecutor db, DataVersion version, TestAccountFilters testAccounts, Clock clock) {
        this(dialect, db, version, testAccounts, clock, CohortRelation.Source.NONE, java.util.List.of());
    }

    public QueryService(Dialect dialect, SqlExecutor db, DataVersion version, TestAccountFilters testAccounts, Clock clock,
                        CohortRelation.Source cohorts) {
        this(dialect, db, version, testAccounts, clock, cohorts, java.util.List.of());
    }

    /**
     * @param cohorts the project's cohorts, for cohort filters and breakdowns
     * @param kinds   query kinds answered outside the insight runners (web analytics)
     */
    public QueryService(Dialect dialect, SqlExecutor db, DataVersion version, TestAccountFilters testAccounts, Clock clock,
                        CohortRelation.Source cohorts, java.util.List<Kind> kinds) {
        this.cohorts = cohorts;
        this.kinds = java.util.List.copyOf(kinds);
        this.dialect = dialect;
        this.db = db;
        this.version = version;
        this.testAccounts = testAccounts;
        this.clock = clock;
    }

    /** Runs the body of {@code POST /api/projects/:id/query/} for a project whose timezone is {@code timezone}. */
    public Map<String, Object> run(long projectId, String timezone, JsonNode body) {
        if (body == null || !body.isObject()) throw new InvalidQuery("query", "the body must be a JSON object with a 'query'");
        JsonNode queryJson = body.get("query");
        String kindName = queryJson != null && queryJson.isObject() ? queryJson.path("kind").asText("") : "";
        Kind other = kinds.stream().filter(k -> k.handles(kindName)).findFirst().orElse(null);
        Query query = null;
        if (other != null) other.check(queryJson); else query = QueryParser.parse(queryJson);
        ZoneId zone = zone(timezone);
        Instant now = clock.instant();
        String dataVersion = answerVersion(projectId);
        String key = cacheKey(projectId, queryJson, dataVersion, now);
        boolean refresh = switch (body.path("refresh").asText("false")) {
            case "true", "force_blocking", "force_async" -> true;
            default -> false;
        };
        if (!refresh) {
            Map<String, Object> hit;
            synchronized (cache) {
                hit = cache.get(key);
            }
            if (hit != null) {
                Map<String, Object> out = new LinkedHashMap<>(hit);
                out.put("is_cached", true);
                return out;
            }
        }
        QueryContext ctx = context(projectId, zone, now, dataVersion);
        Map<String, Object> out = new LinkedHashMap<>(other != null ? other.run(queryJson, ctx) : execute(query, ctx));
        out.put("is_cached", false);
        out.put("last_refresh", now.truncatedTo(ChronoUnit.MILLIS).toString());
        out.put("next_allowed_client_refresh", now.plusSeconds(60).truncatedTo(ChronoUnit.MILLIS).toString());
        out.put("cache_key", key);
        out.put("timezone", zone.getId());
        out.put("hogql", null);
        out.put("timings", java.util.List.of());
        out.put("modifiers", Map.of());
        synchronized (cache) {
            cache.put(key, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(out)));
        }
        return out;
    }

    /**
     * The engine's cached answer to {@code query} for the project's current data, if it computed
     * one within the minute (as the insight builder just did before its insight is saved).
     */
    public Optional<Map<String, Object>> cached(long projectId, JsonNode query) {
        String key = cacheKey(projectId, query, answerVersion(projectId), clock.instant());
        synchronized (cache) {
            return Optional.ofNullable(cache.get(key));
        }
    }

    /**
     * Every person an {@code ActorsQuery} / {@code InsightActorsQuery} names (all pages), for
     * "save as cohort": the same persons the insight's drill-down lists.
     */
    public java.util.List<java.util.UUID> actorIds(long projectId, String timezone, JsonNode queryJson) {
        Query query = QueryParser.parse(queryJson);
        if (!(query instanceof Query.Actors actors)) throw new InvalidQuery("query.kind", "save as cohort takes an ActorsQuery or InsightActorsQuery");
        Instant now = clock.instant();
        return new ActorsRunner().all(actors, context(projectId, zone(timezone), now, answerVersion(projectId)));
    }

    /** What an answer depends on: the project's data, and its cohorts' definitions. */
    private String answerVersion(long projectId) {
        return version.dataVersion(projectId) + "/" + cohorts.version(projectId);
    }

    private static ZoneId zone(String timezone) {
        try {
            return ZoneId.of(timezone);
        } catch (java.time.DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    private QueryContext context(long projectId, ZoneId zone, Instant now, String dataVersion) {
        Lookups known = lookups.get(projectId);
        if (known == null || !known.dataVersion().equals(dataVersion)) {
            known = new Lookups(dataVersion, testAccounts.testAccountFilters(projectId), QueryContext.shape(projectId, dialect, db));
            lookups.put(projectId, known);
        }
        return new QueryContext(projectId, zone, now, dialect, db, known.testAccounts(), known.shape(), cohorts.at(projectId, zone, now));
    }

    /** Replaces the project's "internal and test users" filters; the list is validated first. */
    public JsonNode setTestAccountFilters(long projectId, JsonNode filters) {
        if (filters == null || !filters.isArray()) {
            throw new InvalidQuery("test_account_filters", "test_account_filters must be a list of property filters");
        }
        FilterNode.parse(filters, "test_account_filters");
        testAccounts.setTestAccountFilters(projectId, filters.toString());
        return filters;
    }

    /** The project's "internal and test users" filters, as stored. */
    public JsonNode testAccountFilters(long projectId) {
        try {
            return CANONICAL.readTree(testAccounts.testAccountFiltersJson(projectId));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored test account filters are unreadable", e);
        }
    }

    static Map<String, Object> execute(Query query, QueryContext ctx) {
        return switch (query) {
            case Query.Trends q -> new TrendsRunner().run(q, ctx);
            case Query.Funnels q -> new FunnelsRunner().run(q, ctx);
            case Query.Retention q -> new RetentionRunner().run(q, ctx);
            case Query.Lifecycle q -> new LifecycleRunner().run(q, ctx);
            case Query.Stickiness q -> new StickinessRunner().run(q, ctx);
            case Query.Events q -> new EventsRunner().run(q, ctx);
            case Query.Actors q -> new ActorsRunner().run(q, ctx);
            case Query.Paths q -> new PathsRunner().run(q, ctx);
        };
    }

    private static String cacheKey(long projectId, JsonNode query, String dataVersion, Instant now) {
        try {
            // relative ranges ("-7d") move with the clock, so a result is reused within its minute only
            String canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(query, Object.class));
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((projectId + "\n" + dataVersion + "\n" + now.truncatedTo(ChronoUnit.MINUTES) + "\n" + canonical)
                    .getBytes(StandardCharsets.UTF_8));
            return "cache_" + HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
