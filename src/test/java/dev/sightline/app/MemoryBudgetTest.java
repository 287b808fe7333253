package dev.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.store.duckdb.Database;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One setting sizes both memories: SIGHTLINE_MEMORY (or --memory) is split 40% heap, 40% DuckDB,
 * and DuckDB's memory_limit is set when the store opens (it used to take 80% of the machine,
 * beside a heap of a quarter of it, whatever the container allowed).
 */
class MemoryBudgetTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void sizesAreReadAndSplit() {
        MemoryBudget two = MemoryBudget.parse("2g");
        assertThat(two.totalBytes()).isEqualTo(2048 * MIB);
        assertThat(two.heapBytes()).isEqualTo(2048 * MIB / 100 * 40);
        assertThat(two.duckDbBytes()).isEqualTo(two.heapBytes());
        assertThat(two.heapBytes() + two.duckDbBytes()).isLessThan(two.totalBytes());
        assertThat(MemoryBudget.parse("1536m").totalBytes()).isEqualTo(1536 * MIB);
        assertThat(MemoryBudget.parse("1.5GiB").totalBytes()).isEqualTo(1536 * MIB);
        assertThat(MemoryBudget.parse("800MB").totalBytes()).isEqualTo(800 * MIB);
        assertThat(MemoryBudget.parse("1073741824").totalBytes()).isEqualTo(1024 * MIB);
        assertThatThrownBy(() -> MemoryBudget.parse("lots")).hasMessageContaining("2g");
        assertThatThrownBy(() -> MemoryBudget.parse("100m")).hasMessageContaining("at least 512m");
        // unset: the container's limit or the machine's memory, never more than the machine has
        long machine = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        assertThat(MemoryBudget.of(Optional.empty()).totalBytes()).isBetween(512 * MIB, Math.max(machine, 512 * MIB));
        assertThat(MemoryBudget.of(Optional.of("3g")).totalBytes()).isEqualTo(3072 * MIB);
    }

    @Test
    void duckDbGetsItsShareWhenTheStoreOpens() throws Exception {
        MemoryBudget budget = MemoryBudget.parse("2g");
        try (Database db = Database.open(Files.createTempDirectory("memory"), budget.duckDbBytes());
             var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT current_setting('memory_limit')")) {
            rs.next();
            // DuckDB shows it in its own units: 819 MiB
            assertThat(rs.getString(1)).isEqualTo(budget.duckDbBytes() / MIB + ".0 MiB");
        }
    }
}
