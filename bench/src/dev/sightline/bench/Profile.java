package dev.sightline.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A coarse reading of a JFR recording of the server: which share of the CPU samples falls into
 * JSON, gzip, DuckDB, HTTP and the rest. A sample counts for the first category found walking
 * down from the top frame; threads waiting in native DuckDB code come from native samples.
 */
final class Profile {
    private static final Map<String, List<String>> CATEGORIES = new LinkedHashMap<>();
    static {
        CATEGORIES.put("gzip", List.of("java.util.zip."));
        CATEGORIES.put("json", List.of("com.fasterxml.jackson."));
        CATEGORIES.put("duckdb", List.of("org.duckdb."));
        CATEGORIES.put("utf8/base64/strings", List.of("java.util.Base64", "sun.nio.cs.", "java.lang.String", "java.lang.StringLatin1", "java.lang.StringUTF16"));
        CATEGORIES.put("http (jetty/javalin)", List.of("org.eclipse.jetty.", "io.javalin."));
        CATEGORIES.put("metrics/logging", List.of("io.micrometer.", "org.slf4j."));
        CATEGORIES.put("sightline", List.of("dev.sightline."));
    }

    record Summary(long samples, Map<String, Double> shareByCategory, Map<String, Long> topMethods,
                   Map<String, Double> duckDbShareByCaller) {}

    static Summary read(Path recording) throws Exception {
        Map<String, Long> byCategory = new LinkedHashMap<>();
        Map<String, Long> byMethod = new HashMap<>();
        Map<String, Long> duckDbCallers = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) continue;
            if (event.getStackTrace() == null) continue;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) continue;
            if (type.equals("jdk.NativeMethodSample") && !isDuckDb(frames)) continue; // idle threads park natively
            samples++;
            RecordedFrame top = frames.getFirst();
            byMethod.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1L, Long::sum);
            String category = category(frames);
            byCategory.merge(category, 1L, Long::sum);
            if (category.equals("duckdb")) duckDbCallers.merge(sightlineCaller(frames), 1L, Long::sum);
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        long total = samples;
        byCategory.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> shares.put(e.getKey(), Math.round(1000.0 * e.getValue() / Math.max(1, total)) / 10.0));
        Map<String, Long> top = new LinkedHashMap<>();
        byMethod.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        Map<String, Double> callers = new LinkedHashMap<>();
        duckDbCallers.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(e -> callers.put(e.getKey(), Math.round(1000.0 * e.getValue() / Math.max(1, total)) / 10.0));
        return new Summary(samples, shares, top, callers);
    }

    /** The Sightline method that called into DuckDB: where the storage time is spent in product terms. */
    private static String sightlineCaller(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("dev.sightline.")) return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
        }
        return "(no Sightline frame)";
    }

    private static boolean isDuckDb(List<RecordedFrame> frames) {
        return frames.stream().anyMatch(f -> f.getMethod().getType().getName().startsWith("org.duckdb."));
    }

    private static String category(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = frame.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> c : CATEGORIES.entrySet()) {
                for (String prefix : c.getValue()) {
                    if (name.startsWith(prefix)) return c.getKey();
                }
            }
        }
        return "other (jdk, gc-free runtime)";
    }
}
