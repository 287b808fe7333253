package dev.sightline.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The demo package's entry: a realistic SaaS product's PostHog traffic (posthog-js on the
 * marketing site and the web app, posthog-node on the backend), deterministic from a seed and
 * produced as a stream in time order, from thousands to hundreds of millions of events.
 * The same settings always give byte-identical output.
 */
public final class DemoTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;

    public DemoTraffic(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param seed   what makes one demo different from another
     * @param events how many events to produce
     * @param end    when the last simulated day ends (demo mode: now)
     * @param days   how many days before {@code end} the traffic covers
     * @param token  the project token that posthog-js puts into every browser event's properties, if any
     */
    public record Settings(long seed, long events, Instant end, int days, Optional<String> token) {
        public Settings {
            if (events < 1) throw new IllegalArgumentException("events must be at least 1");
            if (days < 1 || days > 3660) throw new IllegalArgumentException("days must be between 1 and 3660");
        }
    }

    /** Hands each event to {@code sink} in timestamp order; returns how many there were. */
    public long forEach(Consumer<ObjectNode> sink) {
        return new Simulation(settings).run(sink);
    }

    /** Each event as one line of compact JSON, as PostHog's exports have them. */
    public long forEachLine(Consumer<String> sink) {
        return forEach(event -> {
            try {
                sink.accept(JSON.writeValueAsString(event));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Writes JSON lines to {@code out} (left open, flushed). */
    public long writeJsonLines(OutputStream out) throws IOException {
        JsonGenerator g = JSON.createGenerator(out);
        g.setRootValueSeparator(new SerializedString("\n"));
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try {
            long n = forEach(event -> {
                try {
                    JSON.writeTree(g, event);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (n > 0) g.writeRaw('\n');
            g.flush();
            return n;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
