package dev.sightline.app;

import dev.sightline.api.DemoProjects;
import dev.sightline.insight.InsightStore;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.store.MetaStore;
import dev.sightline.store.Project;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** "Create demo project" from the web app: one demo project per organization, filled on a thread of its own. */
final class DemoProjectsInBackground implements DemoProjects {
    private static final Logger log = LoggerFactory.getLogger(DemoProjectsInBackground.class);

    private final MetaStore meta;
    private final InsightStore insights;
    private final Pipeline pipeline;
    private final DemoProject.Options options;
    private final Map<Long, Status> running = new ConcurrentHashMap<>();

    DemoProjectsInBackground(MetaStore meta, InsightStore insights, Pipeline pipeline, DemoProject.Options options) {
        this.meta = meta;
        this.insights = insights;
        this.pipeline = pipeline;
        this.options = options;
    }

    @Override
    public Status status(long organizationId) {
        Status inFlight = running.get(organizationId);
        if (inFlight != null) return inFlight;
        return existing(organizationId).map(p -> new Status(Optional.of(p), "done", 1, 0)).orElse(new Status(Optional.empty(), "none", 0, 0));
    }

    @Override
    public synchronized Status start(long organizationId) {
        Status current = status(organizationId);
        if (!current.state().equals("none") && !current.state().equals("failed")) return current;
        Project project = DemoProject.create(meta, insights, organizationId, options.days());
        Status started = new Status(Optional.of(project), "running", 0, 0);
        running.put(organizationId, started);
        Thread.ofVirtual().name("demo-project-" + organizationId).start(() -> {
            try {
                DemoProject.fill(project, pipeline, options, new PrintStream(OutputStream.nullOutputStream()), new Progress() {
                    @Override
                    public void update(long events, double fraction) {
                        running.put(organizationId, new Status(Optional.of(project), "running", Math.min(0.99, fraction), events));
                    }

                    @Override
                    public void finish(long events) {
                        running.put(organizationId, new Status(Optional.of(project), "running", 0.99, events));
                    }
                });
                running.remove(organizationId);
            } catch (RuntimeException e) {
                log.error("filling the demo project failed", e);
                running.put(organizationId, new Status(Optional.of(project), "failed", 0, 0));
            }
        });
        return started;
    }

    private Optional<Project> existing(long organizationId) {
        return meta.projects().stream().filter(p -> p.organizationId() == organizationId && p.name().equals(DemoProject.NAME)).findFirst();
    }
}
