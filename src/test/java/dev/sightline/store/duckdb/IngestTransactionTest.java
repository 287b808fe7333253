package dev.sightline.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.billing.UsageKind;
import dev.sightline.billing.UsageTally;
import dev.sightline.identity.PersonChanges;
import dev.sightline.store.EventRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A batch's events, person changes and usage counts commit together or not at all. The events go
 * in through DuckDB's Appender, which takes part in a transaction only once a statement has begun
 * it: a commit that fails after appending must leave no event behind.
 */
class IngestTransactionTest {
    private static final Instant T = Instant.parse("2026-05-04T10:00:00Z");

    private static EventRecord event() {
        return new EventRecord(1, UUID.randomUUID(), "$pageview", "visitor", T, T, "{}", Optional.empty(), "{}",
                Optional.empty(), Optional.empty(), EventRecord.NO_GROUPS, Optional.of("anonymous"));
    }

    @Test
    void aCommitThatFailsAfterTheEventsAreAppendedKeepsNoneOfThem() throws Exception {
        Path dir = Files.createTempDirectory("ingest-transaction");
        try (Database db = Database.open(dir)) {
            DuckDbIngest ingest = new DuckDbIngest(db);
            DuckDbUsage usage = new DuckDbUsage(db);
            UsageTally good = new UsageTally();
            good.add(1, T, UsageKind.ANONYMOUS, "$pageview", "web");
            ingest.commit(List.of(event()), PersonChanges.NONE, good);

            // a count on a day no date can hold: the usage write fails after the events were appended
            UsageTally broken = new UsageTally();
            broken.add(1, T, UsageKind.ANONYMOUS, "$pageview", "web");
            broken.add(1, Instant.MAX, UsageKind.ANONYMOUS, "$pageview", "web");
            assertThatThrownBy(() -> ingest.commit(List.of(event(), event()), PersonChanges.NONE, broken))
                    .isInstanceOf(StorageException.class);

            assertThat(Statements.rows(db, "SELECT count(*) FROM events", rs -> rs.getLong(1))).containsExactly(1L);
            assertThat(usage.monthTotals(1, YearMonth.of(2026, 5))).containsEntry(UsageKind.ANONYMOUS, 1L);

            // and the writer goes on: the next batch commits whole
            ingest.commit(List.of(event()), PersonChanges.NONE, good);
            assertThat(Statements.rows(db, "SELECT count(*) FROM events", rs -> rs.getLong(1))).containsExactly(2L);
            assertThat(usage.monthTotals(1, YearMonth.of(2026, 5))).containsEntry(UsageKind.ANONYMOUS, 2L);
        }
    }

    @Test
    void manyPartsAreFoldedIntoOneRowPerKeyAndReadersSeeTheSameCounts() throws Exception {
        Path dir = Files.createTempDirectory("usage-fold");
        try (Database db = Database.open(dir)) {
            DuckDbIngest ingest = new DuckDbIngest(db);
            DuckDbUsage usage = new DuckDbUsage(db);
            // two batches on the same keys, then one with enough distinct event names to make a fold
            for (int b = 0; b < 2; b++) {
                UsageTally tally = new UsageTally();
                for (int i = 0; i < 3; i++) tally.add(1, T, UsageKind.IDENTIFIED, "order", "posthog-node");
                tally.add(1, T.plusSeconds(86_400), UsageKind.ANONYMOUS, "$pageview", "web");
                ingest.commit(List.of(), PersonChanges.NONE, tally);
            }
            assertThat(parts(db)).isEqualTo(4);
            assertThat(usage.monthTotals(1, YearMonth.of(2026, 5))).containsEntry(UsageKind.IDENTIFIED, 6L).containsEntry(UsageKind.ANONYMOUS, 2L);
            UsageTally many = new UsageTally();
            for (int i = 0; i < DuckDbUsage.FOLD_AT_ROWS; i++) many.add(1, T, UsageKind.NOT_BILLED, "event " + i, "web");
            many.add(1, T, UsageKind.IDENTIFIED, "order", "posthog-node");
            ingest.commit(List.of(), PersonChanges.NONE, many);

            assertThat(parts(db)).as("folded").isZero();
            assertThat(usage.monthTotals(1, YearMonth.of(2026, 5))).containsEntry(UsageKind.IDENTIFIED, 7L)
                    .containsEntry(UsageKind.ANONYMOUS, 2L).containsEntry(UsageKind.NOT_BILLED, (long) DuckDbUsage.FOLD_AT_ROWS);
            assertThat(Statements.rows(db, "SELECT count(*) FROM usage_counters WHERE event = 'order'", rs -> rs.getLong(1)))
                    .as("one row per key").containsExactly(1L);
            assertThat(usage.monthRows(1, YearMonth.of(2026, 5))).filteredOn(r -> r.event().equals("order"))
                    .singleElement().extracting(UsageTally.Row::count).isEqualTo(7L);
            // parts after a fold add to the folded rows
            UsageTally after = new UsageTally();
            after.add(1, T, UsageKind.IDENTIFIED, "order", "posthog-node");
            ingest.commit(List.of(), PersonChanges.NONE, after);
            assertThat(usage.monthRows(1, YearMonth.of(2026, 5))).filteredOn(r -> r.event().equals("order"))
                    .singleElement().extracting(UsageTally.Row::count).isEqualTo(8L);
        }
    }

    private static long parts(Database db) {
        return Statements.rows(db, "SELECT count(*) FROM usage_counter_parts", rs -> rs.getLong(1)).getFirst();
    }
}
