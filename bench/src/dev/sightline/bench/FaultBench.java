package dev.sightline.bench;

import dev.sightline.testing.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * {@code bench/run faults}: the server under faults, as a separate process, outside CI.
 * <ol>
 *   <li><b>kills</b>: sustained ingest while the server is killed with SIGKILL again and again and
 *       restarted on the same data directory; the clients retry every batch not answered 200 with
 *       the same uuids, as SDKs do. Acknowledged events lost and events stored twice must be 0;
 *       the restart time is measured.</li>
 *   <li><b>soak</b>: a steady rate for {@code --soak-minutes}; per window, the requests' p50/p99,
 *       the heap after the window's collections (its lowest sample) and the resident memory must stay flat.</li>
 *   <li><b>overload</b>: far more senders than the server takes, with a small queue: every answer
 *       is a 200 or a 503, every 200's events are stored and no 503's are.</li>
 * </ol>
 * Figures go to {@code bench/results/faults-<time>.json}; the process exits 1 when a rule is broken.
 */
public final class FaultBench {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final int EVENTS_PER_BATCH = 50;

    record Options(int kills, double soakMinutes, int soakRate, int overloadSeconds, Path jar, boolean smoke) {
        static Options parse(String[] args) {
            int kills = 20;
            double soak = 10;
            int rate = 2_000;
            int overload = 60;
            Path jar = Path.of("target/sightline.jar");
            boolean smoke = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--kills" -> kills = Integer.parseInt(args[++i]);
                    case "--soak-minutes" -> soak = Double.parseDouble(args[++i]);
                    case "--soak-rate" -> rate = Integer.parseInt(args[++i]);
                    case "--overload-seconds" -> overload = Integer.parseInt(args[++i]);
                    case "--jar" -> jar = Path.of(args[++i]);
                    case "--smoke" -> smoke = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: bench/run faults [--kills 20] [--soak-minutes 10] [--soak-rate 2000] [--overload-seconds 60] [--smoke]");
                }
            }
            return smoke ? new Options(2, 0.25, 500, 5, jar, true) : new Options(kills, soak, rate, overload, jar, false);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path results = Path.of("bench/results");
        Path work = Files.createDirectories(results.resolve("tmp")).resolve("faults-" + System.nanoTime());
        Files.createDirectories(work);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Machine.describe());
        out.put("options", Map.of("kills", o.kills(), "soak_minutes", o.soakMinutes(), "soak_rate_events_per_s", o.soakRate(),
                "overload_seconds", o.overloadSeconds()));
        List<String> broken = new ArrayList<>();
        out.put("kills", kills(o, work, broken));
        out.put("soak", soak(o, work, broken));
        out.put("overload", overload(o, work, broken));
        out.put("rules_broken", broken);
        String stamp = STAMP.format(Instant.now());
        log("wrote %s", ResultFile.write(results, "faults", stamp, o.smoke(), true, out));
        if (!broken.isEmpty()) {
            log("BROKEN: %s", broken);
            System.exit(1);
        }
        deleteTree(work);
    }

    // ---- kills ------------------------------------------------------------------------------------

    private static Map<String, Object> kills(Options o, Path work, List<String> broken) throws Exception {
        Path data = work.resolve("kills-data");
        int port = freePort();
        ServerProcess.Builder builder = server(o, data, work.resolve("kills-server.log")).port(port);
        Map<String, Object> r = new LinkedHashMap<>();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicLong retries = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> restartMillis = new ArrayList<>();
        ServerProcess[] server = {builder.start()};
        String url = server[0].baseUrl() + "/batch/";
        String token = server[0].token();
        long started = System.nanoTime();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().name("kill-client-" + c).start(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
                for (int n = 0; !stop.get(); n++) {
                    List<String> uuids = uuids();
                    sent.addAll(uuids);
                    byte[] body = batch(token, "kill-" + client + "-" + (n % 20), uuids);
                    // until acknowledged: a batch whose answer was lost to the kill is sent again, whole
                    for (int attempt = 0; ; attempt++) {
                        if (attempt > 0) retries.incrementAndGet();
                        int status = post(http, url, body);
                        if (status == 200) {
                            acked.addAll(uuids);
                            break;
                        }
                        if (status != 503 && status != -1) {
                            synchronized (broken) {
                                broken.add("kills: a batch was answered " + status);
                            }
                        }
                        sleep(attempt < 10 ? 50 : 250);
                    }
                }
            }));
        }
        for (int k = 0; k < o.kills(); k++) {
            sleep(ThreadLocalRandom.current().nextLong(1_500, 4_000));
            server[0].kill();
            long t0 = System.nanoTime();
            server[0] = builder.start();
            restartMillis.add((System.nanoTime() - t0) / 1_000_000);
            log("kill %d/%d: %,d events acknowledged so far, back in %d ms", k + 1, o.kills(), acked.size(), restartMillis.getLast());
        }
        sleep(2_000);
        stop.set(true);
        for (Thread t : clients) t.join(Duration.ofMinutes(2));
        double seconds = (System.nanoTime() - started) / 1e9;
        int exit = server[0].terminate(Duration.ofSeconds(60));
        Map<String, Integer> stored = storedUuidCounts(data);
        long lost = acked.stream().filter(u -> !stored.containsKey(u)).count();
        long duplicates = stored.values().stream().filter(n -> n > 1).count();
        long phantoms = stored.keySet().stream().filter(u -> !sent.contains(u)).count();
        long[] sorted = restartMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        r.put("kills", o.kills());
        r.put("events_acknowledged", acked.size());
        r.put("events_stored", stored.size());
        r.put("batches_resent", retries.get());
        r.put("acknowledged_events_lost", lost);
        r.put("events_stored_twice", duplicates);
        r.put("events_stored_never_sent", phantoms);
        r.put("restart_ms_median", sorted.length == 0 ? 0 : sorted[sorted.length / 2]);
        r.put("restart_ms_max", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        r.put("acknowledged_events_per_s", Math.round(acked.size() / seconds));
        r.put("final_sigterm_exit_code", exit);
        if (lost > 0) broken.add("kills: " + lost + " acknowledged events lost");
        if (duplicates > 0) broken.add("kills: " + duplicates + " events stored twice");
        if (phantoms > 0) broken.add("kills: " + phantoms + " stored events were never sent");
        log("kills: %s", r);
        return r;
    }

    // ---- soak -------------------------------------------------------------------------------------

    private static Map<String, Object> soak(Options o, Path work, List<String> broken) throws Exception {
        Path data = work.resolve("soak-data");
        Map<String, Object> r = new LinkedHashMap<>();
        try (ServerProcess server = server(o, data, work.resolve("soak-server.log")).start()) {
            server.awaitWarm(Duration.ofSeconds(60));
            String url = server.baseUrl() + "/batch/";
            int senders = 4;
            double batchesPerSecond = o.soakRate() / (double) EVENTS_PER_BATCH;
            long intervalNanos = (long) (1e9 * senders / batchesPerSecond);
            long windowNanos = Duration.ofSeconds(o.smoke() ? 5 : 30).toNanos();
            long end = System.nanoTime() + (long) (o.soakMinutes() * 60e9);
            List<long[]> latencies = new ArrayList<>();
            AtomicInteger failures = new AtomicInteger();
            AtomicLong acked = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            Object lock = new Object();
            long[][] current = {new long[0]};
            List<Long> window = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                threads.add(Thread.ofPlatform().name("soak-" + s).start(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    long next = System.nanoTime() + intervalNanos * sender / senders;
                    for (int n = 0; System.nanoTime() < end; n++) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) sleep(wait / 1_000_000);
                        next += intervalNanos;
                        byte[] body = batch(server.token(), "soak-" + sender + "-" + (n % 200), uuids());
                        long t0 = System.nanoTime();
                        int status = post(http, url, body);
                        long took = System.nanoTime() - t0;
                        if (status == 200) acked.addAndGet(EVENTS_PER_BATCH);
                        else failures.incrementAndGet();
                        synchronized (lock) {
                            window.add(took);
                        }
                    }
                }));
            }
            List<Map<String, Object>> windows = new ArrayList<>();
            long windowStart = System.nanoTime();
            long heapLow = Long.MAX_VALUE;
            long rssHigh = 0;
            while (System.nanoTime() < end + windowNanos / 2) {
                sleep(2_000);
                heapLow = Math.min(heapLow, heapUsed(server));
                rssHigh = Math.max(rssHigh, rss(server.pid()));
                if (System.nanoTime() - windowStart >= windowNanos || System.nanoTime() >= end) {
                    long[] took;
                    synchronized (lock) {
                        took = window.stream().mapToLong(Long::longValue).sorted().toArray();
                        window.clear();
                    }
                    Map<String, Object> w = new LinkedHashMap<>();
                    w.put("minute", Math.round((System.nanoTime() - (end - (long) (o.soakMinutes() * 60e9))) / 6e9) / 10.0);
                    w.put("requests", took.length);
                    w.put("p50_ms", percentile(took, 0.50));
                    w.put("p99_ms", percentile(took, 0.99));
                    w.put("heap_low_mib", heapLow / (1024 * 1024));
                    w.put("rss_high_mib", rssHigh / (1024 * 1024));
                    w.put("load_average", loadAverage());
                    windows.add(w);
                    log("soak %s", w);
                    windowStart = System.nanoTime();
                    heapLow = Long.MAX_VALUE;
                    rssHigh = 0;
                    if (System.nanoTime() >= end) break;
                }
            }
            for (Thread t : threads) t.join(Duration.ofMinutes(1));
            r.put("minutes", o.soakMinutes());
            r.put("rate_events_per_s", o.soakRate());
            r.put("events_acknowledged", acked.get());
            r.put("requests_not_200", failures.get());
            r.put("windows", windows);
            // flat: the last third of the windows against the first third after warm-up (the first
            // window), each third by its median, so that one window's checkpoint or a neighbour's
            // burst of work does not decide; the load average beside each window says which it was
            if (windows.size() >= 4) {
                List<Map<String, Object>> steady = windows.subList(1, windows.size());
                int third = Math.max(1, steady.size() / 3);
                List<Map<String, Object>> firstThird = steady.subList(0, third);
                List<Map<String, Object>> lastThird = steady.subList(steady.size() - third, steady.size());
                double heapGrowth = ratio(lastThird, firstThird, "heap_low_mib");
                double rssGrowth = ratio(lastThird, firstThird, "rss_high_mib");
                double p99Growth = ratio(lastThird, firstThird, "p99_ms");
                r.put("compared", "median of the last " + third + " windows over the median of the first " + third + " after warm-up");
                r.put("heap_low_last_over_first", heapGrowth);
                r.put("rss_high_last_over_first", rssGrowth);
                r.put("p99_last_over_first", p99Growth);
                if (heapGrowth > 1.5) broken.add("soak: the heap grew " + heapGrowth + "x");
                if (rssGrowth > 1.25) broken.add("soak: resident memory grew " + rssGrowth + "x");
                if (p99Growth > 3) broken.add("soak: p99 grew " + p99Growth + "x");
            }
            if (failures.get() > 0) broken.add("soak: " + failures.get() + " requests were not answered 200");
        }
        return r;
    }

    // ---- overload ---------------------------------------------------------------------------------

    private static Map<String, Object> overload(Options o, Path work, List<String> broken) throws Exception {
        Path data = work.resolve("overload-data");
        Map<String, Object> r = new LinkedHashMap<>();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ServerProcess server = server(o, data, work.resolve("overload-server.log")).serverOption("--queue-capacity").serverOption("2000")
                .start();
        try {
            String url = server.baseUrl() + "/batch/";
            long end = System.nanoTime() + Duration.ofSeconds(o.overloadSeconds()).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < 64; s++) {
                int sender = s;
                threads.add(Thread.ofVirtual().start(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    for (int n = 0; System.nanoTime() < end; n++) {
                        List<String> uuids = new ArrayList<>();
                        for (int i = 0; i < 4; i++) uuids.addAll(uuids());
                        int status = post(http, url, batch(server.token(), "overload-" + sender + "-" + (n % 50), uuids));
                        statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                        (status == 200 ? acked : refused).addAll(uuids);
                    }
                }));
            }
            for (Thread t : threads) t.join();
        } finally {
            server.terminate(Duration.ofSeconds(60));
        }
        Map<String, Integer> stored = storedUuidCounts(data);
        long lost = acked.stream().filter(u -> !stored.containsKey(u)).count();
        long storedRefused = refused.stream().filter(stored::containsKey).count();
        Map<String, Integer> byStatus = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k == -1 ? "no answer" : k.toString(), v.get()));
        r.put("seconds", o.overloadSeconds());
        r.put("senders", 64);
        r.put("queue_capacity", 2000);
        r.put("answers", byStatus);
        r.put("events_acknowledged", acked.size());
        r.put("acknowledged_events_lost", lost);
        r.put("refused_events_stored", storedRefused);
        r.put("events_stored_twice", stored.values().stream().filter(n -> n > 1).count());
        for (String status : byStatus.keySet()) {
            if (!status.equals("200") && !status.equals("503")) broken.add("overload: " + byStatus.get(status) + " answers " + status);
        }
        if (lost > 0) broken.add("overload: " + lost + " acknowledged events lost");
        if (storedRefused > 0) broken.add("overload: " + storedRefused + " events answered 503 were stored");
        log("overload: %s", r);
        return r;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static ServerProcess.Builder server(Options o, Path data, Path log) {
        return ServerProcess.builder(data).classpath(o.jar().toString()).log(log).jvmOption("-Xmx1g").readyTimeout(Duration.ofSeconds(120));
    }

    private static List<String> uuids() {
        List<String> uuids = new ArrayList<>(EVENTS_PER_BATCH);
        for (int i = 0; i < EVENTS_PER_BATCH; i++) uuids.add(UUID.randomUUID().toString());
        return uuids;
    }

    /** A posthog-node batch of identified pageviews, gzip. */
    private static byte[] batch(String token, String distinctId, List<String> uuids) {
        StringBuilder b = new StringBuilder("{\"api_key\":\"").append(token).append("\",\"batch\":[");
        String now = Instant.now().toString();
        for (int i = 0; i < uuids.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"event\":\"").append(i == 0 ? "$identify" : "$pageview")
                    .append("\",\"distinct_id\":\"").append(distinctId).append("\",\"uuid\":\"").append(uuids.get(i))
                    .append("\",\"timestamp\":\"").append(now)
                    .append("\",\"properties\":{\"$lib\":\"posthog-node\",\"$current_url\":\"https://example.com/pricing\",\"plan\":\"team\",\"i\":")
                    .append(i).append(i == 0 ? ",\"$set\":{\"email\":\"" + distinctId + "@example.com\"}" : "").append("}}");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** The status, or -1 when no answer came (the server died or was not up yet). */
    private static int post(HttpClient http, String url, byte[] body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Every stored event uuid with how often it is stored, read from the file once the server has stopped. */
    private static Map<String, Integer> storedUuidCounts(Path data) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (var db = dev.sightline.store.duckdb.Database.open(data); Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT uuid::VARCHAR, count(*) FROM events GROUP BY 1")) {
            while (rs.next()) counts.put(rs.getString(1), rs.getInt(2));
        }
        return counts;
    }

    /** The heap in use now, from the server's own metrics. */
    private static long heapUsed(ServerProcess server) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        } catch (IOException | InterruptedException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return Math.round(sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e4) / 100.0;
    }

    private static double ratio(List<Map<String, Object>> last, List<Map<String, Object>> first, String key) {
        double a = medianOf(last, key);
        double b = medianOf(first, key);
        return b == 0 ? 0 : Math.round(a / b * 100) / 100.0;
    }

    private static double medianOf(List<Map<String, Object>> windows, String key) {
        double[] v = windows.stream().mapToDouble(w -> ((Number) w.get(key)).doubleValue()).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The machine's one-minute load average (what else was running beside the server). */
    private static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("[faults] " + format + "%n", args);
    }
}
