package dev.sightline.bench;

import io.javalin.Javalin;
import java.util.List;

/**
 * The HTTP ceiling: a Javalin app with the server's concurrency settings that reads each body
 * and answers {@code {"status":1}} without decoding it. It runs in the load generator's JVM, so
 * both still share the same two cores, as the real server and the load generator do.
 */
final class NoopHttpCeiling {

    static LoadGenerator.Result run(List<byte[]> bodies, int eventsPerBody, boolean gzip, int connections,
                                    List<byte[]> warmup) throws Exception {
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = 21L * 1024 * 1024;
            config.router.ignoreTrailingSlashes = true;
            config.startup.showJavalinBanner = false;
            config.routes.post("/batch", ctx -> {
                ctx.bodyAsBytes();
                ctx.contentType("application/json").result("{\"status\":1}");
            });
        });
        app.start("127.0.0.1", 0);
        try {
            String url = "http://127.0.0.1:" + app.port() + "/batch/";
            LoadGenerator load = new LoadGenerator(connections);
            if (!warmup.isEmpty()) load.run(url, warmup, eventsPerBody, gzip);
            return load.run(url, bodies, eventsPerBody, gzip);
        } finally {
            app.stop();
        }
    }
}
