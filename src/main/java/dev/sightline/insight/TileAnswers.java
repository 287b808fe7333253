package dev.sightline.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * When a dashboard tile is computed. A dashboard opens with the numbers it showed last time, at
 * once, and brings them up to date behind them:
 * <ul>
 *   <li>a tile whose kept answer is younger than {@link #FRESH} is shown as kept;</li>
 *   <li>an older one is shown as kept, marked {@code refreshing}, while a background thread
 *       computes it again (one computation per tile at a time; the page asks again until the
 *       tile is no longer refreshing, and the kept answer is then the new one);</li>
 *   <li>a tile with no kept answer (never computed, or under dashboard filters not seen since
 *       the start) is computed while the request waits, once however many requests ask for it
 *       meanwhile; a tile the user refreshes is computed while the request waits.</li>
 * </ul>
 * Answers of the insight's own query (a dashboard without filters) are kept with the insight in
 * the database and survive a restart; answers under dashboard filters are kept in memory (the
 * latest {@value #IN_MEMORY}). The background has one thread: on two cores, tiles computed side
 * by side finish no sooner than one after another, and a page that was closed leaves at most one
 * tile's work behind instead of a dashboard's worth.
 */
public final class TileAnswers {
    /** How long a kept answer is shown without being computed again (the engine's own cache lasts a minute too). */
    public static final Duration FRESH = Duration.ofSeconds(60);
    private static final int IN_MEMORY = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TileAnswers.class);

    /** A kept answer (the query envelope) and when it was computed. */
    public record Kept(JsonNode result, Instant computedAt) {}

    /** A tile's answer, and whether a newer one is being computed behind it. */
    public record Answer(Map<String, Object> result, boolean refreshing) {}

    private final Map<String, Kept> filtered = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> e) {
            return size() > IN_MEMORY;
        }
    });
    private final Set<String> computing = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Map<String, Object>>> inflight = new ConcurrentHashMap<>();
    /**
     * How many tiles with no kept answer this server computes at once (-Dsightline.tilesAtOnce,
     * default 2): per server, not per JVM, so servers in one process (tests) never wait on each other.
     */
    private final java.util.concurrent.Semaphore sideBySide =
            new java.util.concurrent.Semaphore(Integer.getInteger("sightline.tilesAtOnce", 2), true);
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dashboard-tiles");
        t.setDaemon(true);
        return t;
    });

    /**
     * Computes a tile that has no kept answer, once however many requests ask for it meanwhile
     * (two people opening a dashboard, or a reload while the first load still waits): the later
     * ones wait for the same computation instead of starting their own on the same two cores.
     */
    private Map<String, Object> once(String key, Supplier<Map<String, Object>> compute) {
        CompletableFuture<Map<String, Object>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, Object>> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw e;
            }
        }
        try {
            Map<String, Object> result;
            sideBySide.acquireUninterruptibly();
            try {
                result = compute.get();
            } finally {
                sideBySide.release();
            }
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }


    /** The tile's key: project, insight and the dashboard filters its query is seen through. */
    static String key(long projectId, SavedInsight insight, JsonNode dashboardFilters) {
        return projectId + ":" + insight.id() + ":" + insight.lastModifiedAt() + ":" + dashboardFilters;
    }

    /** Keeps an answer computed under dashboard filters. */
    void keep(long projectId, SavedInsight insight, JsonNode filters, Map<String, Object> result, Instant at) {
        filtered.put(key(projectId, insight, filters), new Kept(JSON.valueToTree(result), at));
    }

    Optional<Kept> kept(long projectId, SavedInsight insight, JsonNode filters) {
        return Optional.ofNullable(filtered.get(key(projectId, insight, filters)));
    }

    /** The rule above, for a tile whose kept answer is {@code kept}; {@code compute} computes and keeps a new one. */
    Answer answer(Optional<Kept> kept, Instant now, String key, Supplier<Map<String, Object>> compute) {
        if (kept.isEmpty()) return new Answer(once(key, compute), false);
        boolean stale = Duration.between(kept.get().computedAt(), now).compareTo(FRESH) > 0;
        boolean refreshing = computing.contains(key);
        if (stale && !refreshing && computing.add(key)) {
            refreshing = true;
            try {
                background.execute(() -> {
                    try {
                        compute.get();
                    } catch (RuntimeException e) {
                        // the kept answer stays; the next view tries again
                        LOG.warn("dashboard tile {} could not be computed again: {}", key, e.toString());
                    } finally {
                        computing.remove(key);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                computing.remove(key);
                refreshing = false;
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = JSON.convertValue(kept.get().result(), LinkedHashMap.class);
        result.put("is_cached", true);
        return new Answer(result, refreshing);
    }
}
