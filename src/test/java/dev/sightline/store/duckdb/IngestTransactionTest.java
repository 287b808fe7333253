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
}
