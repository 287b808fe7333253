package dev.sightline.app;

import dev.sightline.api.HttpOptions;
import dev.sightline.store.Project;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbMeta;
import dev.sightline.enrich.EnrichConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code sightline} command line. Every option can also be set as a SIGHTLINE_* variable. */
@Command(name = "sightline", mixinStandardHelpOptions = true, version = "sightline 0.1.0",
        description = "Self-hosted product analytics built around person profiles.",
        subcommands = {Main.Server.class, Main.ProjectCommand.class, Main.KeyCommand.class, UserCommand.class,
                DemoCommand.class, ImportCommand.class, ExportCommand.class, MaterializeCommand.class, CompactCommand.class, BackupCommand.class, RestoreCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::failure).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** A store that cannot be opened or written is the user's to fix: one line that says why, not a stack trace. */
    static int failure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        if (e instanceof dev.sightline.store.duckdb.StorageException || e instanceof IllegalArgumentException) {
            command.getErr().println("sightline " + command.getCommandName() + ": " + e.getMessage());
            return 1;
        }
        e.printStackTrace(command.getErr());
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    static final class DataDirOption {
        @Option(names = "--data-dir", defaultValue = "${env:SIGHTLINE_DATA_DIR:-./data}",
                description = "Directory holding the embedded database (env SIGHTLINE_DATA_DIR, default ./data).")
        Path dataDir;
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Run the Sightline server.")
    static final class Server implements Callable<Integer> {
        @CommandLine.Mixin DataDirOption data = new DataDirOption();

        @Option(names = "--port", defaultValue = "${env:SIGHTLINE_PORT:-8000}", description = "HTTP port (env SIGHTLINE_PORT, default 8000).")
        int port;

        @Option(names = "--host", defaultValue = "${env:SIGHTLINE_HOST:-0.0.0.0}", description = "Address to listen on (env SIGHTLINE_HOST).")
        String host;

        @Option(names = "--project-token", defaultValue = "${env:SIGHTLINE_PROJECT_TOKEN}",
                description = "Token of the default project created on first start (env SIGHTLINE_PROJECT_TOKEN).")
        String projectToken;

        @Option(names = "--personal-api-key", defaultValue = "${env:SIGHTLINE_PERSONAL_API_KEY}",
                description = "Personal API key created on first start (env SIGHTLINE_PERSONAL_API_KEY).")
        String personalApiKey;

        @Option(names = "--queue-capacity", defaultValue = "${env:SIGHTLINE_QUEUE_CAPACITY:-200000}",
                description = "Events that may wait to be stored before capture answers 503 (env SIGHTLINE_QUEUE_CAPACITY).")
        int queueCapacity;

        @Option(names = "--max-batch", defaultValue = "${env:SIGHTLINE_MAX_BATCH:-50000}",
                description = "Most events committed in one transaction (env SIGHTLINE_MAX_BATCH).")
        int maxBatch;

        @Option(names = "--demo", description = "Also create a \"Demo project\" filled with realistic traffic ending now (once per data directory).")
        boolean demo;

        @Option(names = "--demo-events", defaultValue = "300000", description = "Events in the demo project (default ${DEFAULT-VALUE}).")
        long demoEvents;

        @Option(names = "--demo-days", defaultValue = "28", description = "Days of demo traffic (default ${DEFAULT-VALUE}).")
        int demoDays;

        @Option(names = "--geoip-path", defaultValue = "${env:SIGHTLINE_GEOIP_PATH:-geoip/node_modules}",
                description = "A MaxMind-format .mmdb file, or a folder searched for them (env SIGHTLINE_GEOIP_PATH).")
        Path geoIpPath;

        @Option(names = "--trusted-proxies", split = ",", defaultValue = "${env:SIGHTLINE_TRUSTED_PROXIES:-}",
                description = "Addresses or CIDR ranges whose X-Forwarded-For is believed (env SIGHTLINE_TRUSTED_PROXIES, comma-separated).")
        List<String> trustedProxies;

        @Option(names = "--ip-storage", defaultValue = "${env:SIGHTLINE_IP_STORAGE:-FULL}",
                description = "Keep client IPs as $ip: FULL, TRUNCATED (IPv4 /24, IPv6 /48) or NONE (env SIGHTLINE_IP_STORAGE).")
        EnrichConfig.IpStorage ipStorage;

        @Option(names = "--enrichment", defaultValue = "${env:SIGHTLINE_ENRICHMENT:-true}", arity = "1",
                description = "Fill in browser, device, location, attribution and sessions (env SIGHTLINE_ENRICHMENT, default true).")
        boolean enrichment;

        @Option(names = "--session-timeout", defaultValue = "${env:SIGHTLINE_SESSION_TIMEOUT:-30}",
                description = "Minutes of inactivity that end a server-side session, for events sent without $session_id (env SIGHTLINE_SESSION_TIMEOUT, default 30).")
        int sessionTimeoutMinutes;

        @Option(names = "--drop-bots", defaultValue = "${env:SIGHTLINE_DROP_BOTS:-false}", arity = "1",
                description = "Accept but do not store events whose user agent is a bot (env SIGHTLINE_DROP_BOTS, default false).")
        boolean dropBots;

        @Option(names = "--person-processing", defaultValue = "${env:SIGHTLINE_PERSON_PROCESSING:-true}", arity = "1",
                description = "Resolve persons; false stores events only, without persons (env SIGHTLINE_PERSON_PROCESSING, default true).")
        boolean personProcessing;

        @Option(names = "--memory", defaultValue = "${env:SIGHTLINE_MEMORY}",
                description = "Memory the server may use, e.g. 2g: 40% heap (./sightline passes -Xmx), 40% DuckDB (env SIGHTLINE_MEMORY; default: the container's limit or the machine's memory).")
        String memory;

        @Option(names = "--site-url", defaultValue = "${env:SIGHTLINE_SITE_URL}",
                description = "Where users reach this server, e.g. https://analytics.example.com: links the API returns are built on it (env SIGHTLINE_SITE_URL).")
        String siteUrl;

        @Option(names = "--metrics-token", defaultValue = "${env:SIGHTLINE_METRICS_TOKEN}",
                description = "Bearer token that /metrics asks for; without one, only this machine may read it (env SIGHTLINE_METRICS_TOKEN).")
        String metricsToken;

        @Option(names = "--metering", defaultValue = "${env:SIGHTLINE_METERING:-true}", arity = "1",
                description = "Count events for usage and apply billing limits (env SIGHTLINE_METERING, default true).")
        boolean metering;

        @Option(names = "--erasure-time", defaultValue = "${env:SIGHTLINE_ERASURE_TIME:-03:00}",
                description = "UTC time of day (HH:MM) at which, when a person was deleted, the server stops for the time of a copy to rewrite its database file without the deleted rows; off leaves it to a restart (env SIGHTLINE_ERASURE_TIME, default 03:00).")
        String erasureTime;

        @Override
        public Integer call() throws InterruptedException {
            EnrichConfig enrich = EnrichConfig.defaults().withGeoIpPath(geoIpPath).withIpStorage(ipStorage)
                    .withSessionTimeout(java.time.Duration.ofMinutes(sessionTimeoutMinutes))
                    .withTrustedProxies(trustedProxies == null ? List.of() : trustedProxies.stream().filter(s -> !s.isBlank()).toList());
            Config config = Config.defaults(data.dataDir).withHost(host).withPort(port)
                    .withKeys(Optional.ofNullable(projectToken).filter(s -> !s.isBlank()),
                            Optional.ofNullable(personalApiKey).filter(s -> !s.isBlank()))
                    .withQueue(queueCapacity, maxBatch)
                    .withEnrich(enrich)
                    .withStages(enrichment, personProcessing)
                    .withDropBots(dropBots)
                    .withHttp(HttpOptions.defaults().withSiteUrl(siteUrl).withMetricsToken(metricsToken))
                    .withMemory(MemoryBudget.of(Optional.ofNullable(memory)))
                    .withMetering(metering);
            ErasureWindow.parse(erasureTime); // a wrong setting stops the start, not the server a day later
            Sightline first = Sightline.start(config, System.out);
            Sightline server = first;
            if (demo) {
                var existing = DemoProject.existing(server.meta());
                if (existing.isPresent()) {
                    System.out.printf("Demo project already there: id %d, token %s%n", existing.get().id(), existing.get().token());
                } else {
                    DemoProject.fill(DemoProject.create(server.meta(), new dev.sightline.store.duckdb.DuckDbInsights(server.core().db), demoDays), server.core().pipeline,
                            new DemoProject.Options(demoEvents, demoDays, 42), System.out);
                }
            }
            // the running server: replaced by a new one on the same data directory at the erasure time
            java.util.concurrent.atomic.AtomicReference<Sightline> running = new java.util.concurrent.atomic.AtomicReference<>(first);
            Object replacing = new Object();
            Optional<ErasureWindow> erasure = ErasureWindow.start(data.dataDir, erasureTime, java.time.Clock.systemUTC(), () -> {
                synchronized (replacing) {
                    running.get().close();
                    running.set(Sightline.start(config, System.out));
                }
            });
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                erasure.ifPresent(ErasureWindow::close);
                synchronized (replacing) {
                    running.get().close();
                }
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "project", mixinStandardHelpOptions = true, description = "Manage projects (while the server is stopped).",
            subcommands = {ProjectCommand.Create.class, ProjectCommand.ListProjects.class})
    static final class ProjectCommand {
        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a project and print its token.")
        static final class Create implements Callable<Integer> {
            @CommandLine.Mixin DataDirOption data = new DataDirOption();
            @Option(names = "--name", required = true) String name;
            @Option(names = "--timezone", defaultValue = "UTC") String timezone;
            @Option(names = "--organization", defaultValue = "1") long organization;

            @Override
            public Integer call() {
                try (Database db = Database.open(data.dataDir)) {
                    Project p = new DuckDbMeta(db).createProject(organization, name, Keys.projectToken(), timezone);
                    System.out.printf("project %d '%s' token %s%n", p.id(), p.name(), p.token());
                }
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List projects.")
        static final class ListProjects implements Callable<Integer> {
            @CommandLine.Mixin DataDirOption data = new DataDirOption();

            @Override
            public Integer call() {
                try (Database db = Database.open(data.dataDir)) {
                    for (Project p : new DuckDbMeta(db).projects()) {
                        System.out.printf("%d\t%s\t%s\t%s%n", p.id(), p.name(), p.token(), p.timezone());
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Manage personal API keys (while the server is stopped).",
            subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class})
    static final class KeyCommand {
        @Command(name = "list", mixinStandardHelpOptions = true, description = "List an organization's personal API keys (never their values).")
        static final class ListKeys implements Callable<Integer> {
            @CommandLine.Mixin DataDirOption data = new DataDirOption();
            @Option(names = "--organization", defaultValue = "1") long organization;

            @Override
            public Integer call() {
                try (Database db = Database.open(data.dataDir)) {
                    for (var k : new DuckDbMeta(db).personalApiKeys(organization)) {
                        System.out.printf("%d\t%s\t%s\tcreated %s\tlast used %s%n", k.id(), k.mask(), k.label(), k.createdAt(),
                                k.lastUsedAt().map(Object::toString).orElse("never"));
                    }
                }
                return 0;
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a personal API key by its id (see key list).")
        static final class Revoke implements Callable<Integer> {
            @CommandLine.Mixin DataDirOption data = new DataDirOption();
            @Option(names = "--organization", defaultValue = "1") long organization;
            @CommandLine.Parameters(index = "0", description = "The key's id.") long id;

            @Override
            public Integer call() {
                try (Database db = Database.open(data.dataDir)) {
                    if (!new DuckDbMeta(db).revokePersonalApiKey(organization, id)) {
                        System.err.printf("organization %d has no key %d that is not revoked%n", organization, id);
                        return 1;
                    }
                    System.out.printf("key %d revoked%n", id);
                }
                return 0;
            }
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a personal API key and print it once.")
        static final class Create implements Callable<Integer> {
            @CommandLine.Mixin DataDirOption data = new DataDirOption();
            @Option(names = "--label", defaultValue = "cli") String label;
            @Option(names = "--organization", defaultValue = "1") long organization;

            @Override
            public Integer call() {
                try (Database db = Database.open(data.dataDir)) {
                    String key = Keys.personalApiKey();
                    new DuckDbMeta(db).createPersonalApiKey(organization, label, key);
                    System.out.printf("personal API key (shown once): %s%n", key);
                }
                return 0;
            }
        }
    }
}
