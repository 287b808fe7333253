package dev.sightline.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory Sightline may use ({@code SIGHTLINE_MEMORY}, {@code --memory}), split between the JVM
 * heap and DuckDB's own buffers, which live outside the heap. Without a setting: the container's
 * limit (cgroup v2 {@code memory.max}, v1 {@code memory.limit_in_bytes}) or else the machine's
 * memory. {@code ./sightline} passes {@link #heapBytes()} as {@code -Xmx} by the same rule
 * (see the script); the server sets DuckDB's {@code memory_limit} to {@link #duckDbBytes()}.
 *
 * @param totalBytes what the process may take in all
 */
public record MemoryBudget(long totalBytes) {
    /** Percent of the budget for the heap, and for DuckDB; the rest is the JVM's own (metaspace, threads, code, buffers). */
    static final int HEAP_PERCENT = 40;
    static final int DUCKDB_PERCENT = 40;
    private static final long MIB = 1024 * 1024;
    /** Below this the user-agent parser (about 140 MB of heap) and DuckDB do not both fit. */
    static final long MINIMUM = 512 * MIB;
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?\\s*");

    public MemoryBudget {
        if (totalBytes < MINIMUM) throw new IllegalArgumentException("SIGHTLINE_MEMORY must be at least 512m (got " + totalBytes + " bytes)");
    }

    public long heapBytes() {
        return totalBytes / 100 * HEAP_PERCENT;
    }

    public long duckDbBytes() {
        return totalBytes / 100 * DUCKDB_PERCENT;
    }

    /** The setting if there is one (the option, else the environment), else the container's or machine's memory. */
    public static MemoryBudget of(Optional<String> setting) {
        return setting.filter(s -> !s.isBlank()).map(MemoryBudget::parse).orElseGet(MemoryBudget::detected);
    }

    /** From {@code SIGHTLINE_MEMORY}, else detected. */
    public static MemoryBudget fromEnvironment() {
        return of(Optional.ofNullable(System.getenv("SIGHTLINE_MEMORY")));
    }

    /** {@code 2g}, {@code 1536m}, {@code 1.5GiB}, {@code 800MB} or bytes; binary units. */
    public static MemoryBudget parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("cannot read '" + text + "' as a memory size: use e.g. 2g or 1536m");
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1024L;
            case "m" -> MIB;
            case "g" -> 1024 * MIB;
            case "t" -> 1024 * 1024 * MIB;
            default -> 1L;
        };
        return new MemoryBudget((long) (n * unit));
    }

    /** The cgroup's limit when the process has one, else the machine's memory. */
    static MemoryBudget detected() {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        long limit = cgroupLimit().filter(l -> l > 0 && l < machine).orElse(machine);
        return new MemoryBudget(Math.max(limit, MINIMUM));
    }

    private static Optional<Long> cgroupLimit() {
        for (Path file : new Path[] {Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")}) {
            try {
                String value = Files.readString(file).trim();
                if (!value.equals("max")) return Optional.of(Long.parseLong(value));
            } catch (java.io.IOException | NumberFormatException e) {
                // not this cgroup version, or no limit
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return String.format("%d MiB (heap %d MiB, DuckDB %d MiB)", totalBytes / MIB, heapBytes() / MIB, duckDbBytes() / MIB);
    }
}
