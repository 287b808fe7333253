package dev.sightline.app;

import dev.sightline.api.HttpOptions;
import dev.sightline.enrich.EnrichConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the server can be told. Each option is also a {@code SIGHTLINE_*} environment
 * variable (see docs/configuration.md).
 */
public record Config(
        Path dataDir,
        String host,
        int port,
        Optional<String> projectToken,
        Optional<String> personalApiKey,
        int queueCapacity,
        int maxBatchEvents,
        int dedupCapacity,
        EnrichConfig enrich,
        boolean enrichment,
        boolean personProcessing,
        boolean dropBots,
        HttpOptions http,
        MemoryBudget memory,
        boolean metering) {

    public static Config defaults(Path dataDir) {
        return new Config(dataDir, "0.0.0.0", 8000, Optional.empty(), Optional.empty(), 200_000, 50_000, 2_000_000,
                EnrichConfig.defaults(), true, true, false,
                HttpOptions.defaults(), MemoryBudget.fromEnvironment(), true);
    }

    public Config withPort(int port) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    public Config withHost(String host) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    public Config withKeys(Optional<String> projectToken, Optional<String> personalApiKey) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    public Config withQueue(int queueCapacity, int maxBatchEvents) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    /** Turns stages off: for capture-only deployments and for measuring what each stage costs. */
    public Config withStages(boolean enrichment, boolean personProcessing) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    public Config withDropBots(boolean dropBots) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    public Config withEnrich(EnrichConfig enrich) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    public Config withHttp(HttpOptions http) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    public Config withMemory(MemoryBudget memory) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }

    /** Metering off: no usage counted, no billing limit applied (for measuring what metering costs). */
    public Config withMetering(boolean metering) {
        return new Config(dataDir, host, port, projectToken, personalApiKey, queueCapacity, maxBatchEvents, dedupCapacity, enrich, enrichment, personProcessing, dropBots, http, memory, metering);
    }
}
