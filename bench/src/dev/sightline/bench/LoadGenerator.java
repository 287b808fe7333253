package dev.sightline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts prepared request bodies over {@code connections} concurrent senders (one HTTP/1.1
 * connection each), the way a fleet of posthog-node processes would: gzip JSON batch envelopes
 * on {@code /batch/}. A 503 (queue full) is retried after a pause, as the SDKs do; any other
 * failure aborts the run. Returns when every body has been acknowledged.
 */
final class LoadGenerator {

    record Result(int requests, long events, double seconds, double eventsPerSecond, double p50Millis,
                  double p99Millis, double maxMillis, long retries) {}

    private final int connections;

    LoadGenerator(int connections) {
        this.connections = connections;
    }

    Result run(String url, List<byte[]> bodies, int eventsPerBody, boolean gzip) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(url);
        long[] latencies = new long[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicLong retries = new AtomicLong();
        Exception[] failure = new Exception[1];
        Thread[] senders = new Thread[connections];
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            senders[t] = Thread.ofPlatform().name("sender-" + t).start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < bodies.size() && failure[0] == null; i = next.getAndIncrement()) {
                        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                                .header("Content-Type", "application/json")
                                .header("User-Agent", "posthog-node/5.70.0")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)));
                        if (gzip) request.header("Content-Encoding", "gzip");
                        HttpRequest built = request.build();
                        long sent = System.nanoTime();
                        for (int attempt = 0; ; attempt++) {
                            HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) break;
                            if (response.statusCode() == 503 && attempt < 200) {
                                retries.incrementAndGet();
                                Thread.sleep(20);
                                continue;
                            }
                            throw new IOException("request " + i + " answered " + response.statusCode() + ": " + response.body());
                        }
                        latencies[i] = System.nanoTime() - sent;
                    }
                } catch (Exception e) {
                    synchronized (failure) {
                        if (failure[0] == null) failure[0] = e;
                    }
                }
            });
        }
        for (Thread t : senders) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure[0] != null) throw failure[0];
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long events = (long) bodies.size() * eventsPerBody;
        return new Result(bodies.size(), events, seconds, events / seconds,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6,
                retries.get());
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
