package dev.sightline.app;

import dev.sightline.demo.DemoTraffic;
import dev.sightline.insight.InsightStore;
import dev.sightline.insight.ProductOverview;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import dev.sightline.transfer.EventImport;
import dev.sightline.transfer.ImportSummary;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "Demo project": a few weeks of a SaaS product's traffic ending now, fed through capture's
 * validation and the pipeline like any import, so persons, timelines and insights fill at once.
 */
final class DemoProject {
    static final String NAME = "Demo project";

    record Options(long events, int days, long seed) {}

    private DemoProject() {}

    static Optional<Project> existing(MetaStore meta) {
        return meta.projects().stream().filter(p -> p.name().equals(NAME)).findFirst();
    }

    static Project create(MetaStore meta, InsightStore insights, int days) {
        long organization = meta.projects().isEmpty() ? meta.createOrganization("Default organization")
                : meta.projects().getFirst().organizationId();
        return create(meta, insights, organization, days);
    }

    /** The project, with its ready "Product overview" dashboard (its insights compute once the traffic is in). */
    static Project create(MetaStore meta, InsightStore insights, long organization, int days) {
        Project project = meta.createProject(organization, NAME, Keys.projectToken(), "UTC");
        ProductOverview.create(insights, project.id(), 0, java.time.Clock.systemUTC(), days);
        return project;
    }

    static ImportSummary fill(Project project, Pipeline pipeline, Options options, PrintStream out) {
        return fill(project, pipeline, options, out, ProgressBar.onConsole("demo"));
    }

    /** Fills the project, telling {@code bar} how far it got (the console's bar, or the web app's progress). */
    static ImportSummary fill(Project project, Pipeline pipeline, Options options, PrintStream out, Progress bar) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DemoTraffic traffic = new DemoTraffic(new DemoTraffic.Settings(options.seed(), options.events(), end, options.days(),
                Optional.of(project.token())));
        out.printf("Filling '%s' (id %d) with %,d events over the %d days up to now...%n", project.name(), project.id(),
                options.events(), options.days());
        ImportSummary summary = new EventImport(pipeline, project.id())
                .fromJsonLines(generatedInBackground(traffic), (rows, bytes) -> bar.update(rows, (double) rows / options.events()));
        bar.finish(summary.rows());
        out.printf("""

                Demo project ready: id %d, %,d events stored%s.
                  Project token: %s

                """, project.id(), summary.accepted(),
                summary.rejectedTotal() == 0 ? "" : " (" + summary.rejectedTotal() + " refused: " + summary.rejected() + ")",
                project.token());
        return summary;
    }

    private static final String END = new String("end of demo traffic");

    /** Generation and ingestion each take a core: the generator runs ahead on its own thread. */
    private static Iterator<String> generatedInBackground(DemoTraffic traffic) {
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(20_000);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread.ofPlatform().name("demo-generator").daemon().start(() -> {
            try {
                traffic.forEachLine(line -> put(queue, line));
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                put(queue, END);
            }
        });
        return new Iterator<>() {
            private String next = take(queue);

            @Override
            public boolean hasNext() {
                if (next == END && failure.get() != null) throw failure.get();
                return next != END;
            }

            @Override
            public String next() {
                String current = next;
                next = take(queue);
                return current;
            }
        };
    }

    private static void put(BlockingQueue<String> queue, String line) {
        try {
            queue.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo generation interrupted", e);
        }
    }

    private static String take(BlockingQueue<String> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo generation interrupted", e);
        }
    }
}
