package dev.sightline.app;

import dev.sightline.store.duckdb.DatabaseCopy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a deleted person's bytes leave the database file while the server keeps running (GDPR
 * Art. 17 in bounded time). A deletion removes every row from every answer at once, but DuckDB
 * keeps a deleted row's bytes in the file until the file is rewritten, which happens as the store
 * is opened (see {@link DatabaseCopy}). So once a day, at the erasure time (UTC, default 03:00),
 * a server with a deletion pending replaces its store: it stops, the file is rewritten from its
 * live rows as the store opens again, and it serves again. The bytes are gone within a day of the
 * deletion; the server is away for the copy (about as long as a backup, see docs/benchmarks.md),
 * and SDKs send again what was refused meanwhile, as after any restart. With no deletion pending,
 * nothing happens. {@code off} leaves it to a restart or {@code sightline compact}.
 */
public final class ErasureWindow implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ErasureWindow.class);

    private final Path dataDir;
    private final LocalTime at;
    private final Clock clock;
    private final Runnable replaceStore;
    private final Thread thread;

    /**
     * @param replaceStore stops the running server and starts it again on the same data directory
     *                     (opening the store rewrites its file while a deletion is pending)
     */
    ErasureWindow(Path dataDir, LocalTime at, Clock clock, Runnable replaceStore) {
        this.dataDir = dataDir;
        this.at = at;
        this.clock = clock;
        this.replaceStore = replaceStore;
        this.thread = Thread.ofVirtual().name("erasure-window").unstarted(this::loop);
    }

    /** Starts the daily check; empty when {@code setting} is {@code off}. */
    public static Optional<ErasureWindow> start(Path dataDir, String setting, Clock clock, Runnable replaceStore) {
        return parse(setting).map(at -> {
            ErasureWindow w = new ErasureWindow(dataDir, at, clock, replaceStore);
            w.thread.start();
            return w;
        });
    }

    /** {@code HH:MM} in UTC, or {@code off}. */
    static Optional<LocalTime> parse(String setting) {
        String s = setting == null ? "" : setting.strip();
        if (s.isEmpty()) s = "03:00";
        if (s.equalsIgnoreCase("off")) return Optional.empty();
        try {
            return Optional.of(LocalTime.parse(s));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--erasure-time must be HH:MM (UTC) or off, not '" + setting + "'");
        }
    }

    /** The first instant after {@code now} whose UTC time of day is {@code at}. */
    static Instant next(Instant now, LocalTime at) {
        ZonedDateTime today = now.atZone(ZoneOffset.UTC).with(at);
        return today.toInstant().isAfter(now) ? today.toInstant() : today.plusDays(1).toInstant();
    }

    /** Replaces the store if a deletion is pending; whether it did. */
    boolean runIfPending() {
        if (!DatabaseCopy.erasurePending(dataDir)) return false;
        LOG.info("a deletion is pending: the server stops to rewrite its database file without the deleted rows");
        long started = System.nanoTime();
        replaceStore.run();
        LOG.info("serving again after {} ms; deleted data is gone from the file", (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            Instant due = next(clock.instant(), at);
            try {
                Thread.sleep(Duration.between(clock.instant(), due).plusMillis(1));
            } catch (InterruptedException e) {
                return;
            }
            try {
                runIfPending();
            } catch (RuntimeException e) {
                // the mark stays: the next start, or tomorrow's window, tries again
                LOG.error("replacing the store for a pending deletion failed", e);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
