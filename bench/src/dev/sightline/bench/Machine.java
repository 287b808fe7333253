package dev.sightline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The machine a benchmark ran on, as written into every result file. */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstLine(Path.of("/proc/cpuinfo"), "model name").replaceFirst("^model name\\s*:\\s*", ""));
        m.put("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal").replaceFirst("^MemTotal:\\s*", ""));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", firstLine(Path.of("/etc/os-release"), "PRETTY_NAME").replaceAll("PRETTY_NAME=|\"", "")
                + ", kernel " + System.getProperty("os.version"));
        m.put("load_average_at_start", firstLine(Path.of("/proc/loadavg"), ""));
        return m;
    }

    private static String firstLine(Path file, String prefix) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
