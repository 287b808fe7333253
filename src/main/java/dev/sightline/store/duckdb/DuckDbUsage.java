package dev.sightline.store.duckdb;

import dev.sightline.billing.BillingLimits;
import dev.sightline.billing.PriceTable;
import dev.sightline.billing.Prices;
import dev.sightline.billing.UsageKind;
import dev.sightline.billing.UsageStore;
import dev.sightline.billing.UsageTally;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The metered counters, limits and prices in the embedded database. The counters are one row per
 * project, UTC day, kind, event name and library; the ingest writer appends each batch's tally in
 * the batch's own transaction ({@link Writer}), so they hold exactly the committed events: a crash
 * loses or repeats neither, and a retry that de-duplication drops never reaches them.
 */
public final class DuckDbUsage implements UsageStore {
    /**
     * The migration step's tables. The counters are kept as two tables, as session spans are
     * (see {@link SessionSpans}): {@code usage_counter_parts} gets each batch's rows appended, in the
     * batch's transaction; {@code usage_counters} holds them added up, one row per key, and a fold
     * moves the parts into it now and then. Readers add the two. Appending is what DuckDB does
     * cheaply: an upsert of a batch's few dozen rows through a primary key cost 7 to 15 ms a batch
     * here, most of a batch's own commit.
     */
    static final String CREATE = """
            CREATE TABLE usage_counters (
                project_id BIGINT NOT NULL,
                day DATE NOT NULL,
                kind VARCHAR NOT NULL,
                event VARCHAR NOT NULL,
                lib VARCHAR NOT NULL,
                count BIGINT NOT NULL);
            CREATE TABLE usage_counter_parts (
                project_id BIGINT NOT NULL,
                day DATE NOT NULL,
                kind VARCHAR NOT NULL,
                event VARCHAR NOT NULL,
                lib VARCHAR NOT NULL,
                count BIGINT NOT NULL);
            CREATE TABLE billing_limits (
                project_id BIGINT NOT NULL,
                kind VARCHAR NOT NULL,
                monthly_limit BIGINT NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                PRIMARY KEY (project_id, kind));
            CREATE TABLE billing_price_tiers (
                organization_id BIGINT NOT NULL,
                kind VARCHAR NOT NULL,
                tier INTEGER NOT NULL,
                up_to BIGINT,
                price DECIMAL(20, 12) NOT NULL,
                PRIMARY KEY (organization_id, kind, tier));
            """;

    /** The counters as readers see them: folded rows and parts not folded yet, one relation. */
    private static final String COUNTERS = "(SELECT * FROM usage_counters UNION ALL SELECT * FROM usage_counter_parts)";

    /**
     * Parts rows that make the writer fold them: a batch appends a few dozen, a fold of this many
     * takes some milliseconds. A system property lowers it for tests that fold under a SIGKILL.
     */
    static final int FOLD_AT_ROWS = Integer.getInteger("sightline.usageFoldRows", 20_000);

    /**
     * The fold, in one transaction: the days the parts touch are summed with their folded rows into
     * a temporary table, their folded rows replaced by it, and the parts emptied. Run by the writer,
     * the only one who appends parts, so no part arrives meanwhile.
     */
    private static final List<String> FOLD = List.of(
            "DELETE FROM usage_fold",
            """
            INSERT INTO usage_fold
            SELECT project_id, day, kind, event, lib, sum(count) FROM (
                SELECT c.* FROM usage_counters c
                WHERE EXISTS (SELECT 1 FROM usage_counter_parts p WHERE p.project_id = c.project_id AND p.day = c.day)
                UNION ALL SELECT * FROM usage_counter_parts)
            GROUP BY ALL""",
            """
            DELETE FROM usage_counters c
            WHERE EXISTS (SELECT 1 FROM usage_counter_parts p WHERE p.project_id = c.project_id AND p.day = c.day)""",
            "INSERT INTO usage_counters SELECT * FROM usage_fold",
            "DELETE FROM usage_counter_parts");

    /**
     * The counters of the events stored before metering, by the rule of {@code identity.UsageClass}
     * where an event has no {@code usage_class} (stored without persons). Whether an event's person
     * was identified when it came is not kept, so {@code could_be_anonymous} starts from here.
     */
    static final String FILL_FROM_EVENTS = """
            INSERT INTO usage_counters
            SELECT project_id, CAST(timestamp AS DATE), kind, event, lib, count(*)
            FROM (
                SELECT project_id, timestamp, event,
                    coalesce(left(json_extract_string(properties, '/$lib'), 100), '') AS lib,
                    coalesce(usage_class, CASE
                        WHEN event IN ('$feature_flag_called', 'survey sent', 'survey shown', 'survey dismissed', '$exception')
                             OR starts_with(event, '$ai_') THEN 'not_billed'
                        WHEN person_mode IN ('full', 'force_upgrade') THEN 'identified'
                        ELSE 'anonymous' END) AS kind
                FROM events)
            GROUP BY ALL;
            """;

    private final Database db;

    public DuckDbUsage(Database db) {
        this.db = db;
    }

    /** The writer's side: appends each batch's tally and folds the parts when they are many. */
    static final class Writer {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Writer.class);
        private final DuckDBConnection connection;
        private long parts;
        private long foldAt;

        Writer(DuckDBConnection connection) throws SQLException {
            this.connection = connection;
            try (java.sql.Statement s = connection.createStatement()) {
                s.execute("CREATE TEMP TABLE usage_fold AS SELECT * FROM usage_counters LIMIT 0");
                try (var rs = s.executeQuery("SELECT count(*) FROM usage_counter_parts")) {
                    rs.next();
                    parts = rs.getLong(1);
                }
            }
            connection.commit();
            foldAt = FOLD_AT_ROWS;
        }

        /** Appends the tally's rows inside the writer's open transaction (begun by a statement: see DuckDbIngest). */
        int append(UsageTally tally) throws SQLException {
            if (tally.isEmpty()) return 0;
            List<UsageTally.Row> rows = tally.rows();
            try (DuckDBAppender a = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "usage_counter_parts")) {
                for (UsageTally.Row r : rows) {
                    a.beginRow();
                    a.append(r.projectId());
                    a.append(r.day());
                    a.append(r.kind().wireName());
                    a.append(r.event());
                    a.append(r.lib());
                    a.append(r.count());
                    a.endRow();
                }
                a.flush();
            }
            return rows.size();
        }

        /** After the batch's commit: its rows are parts now; many parts are folded, in a transaction of their own. */
        void committed(int appended) {
            parts += appended;
            if (parts < foldAt) return;
            try {
                fold();
                parts = 0;
                foldAt = FOLD_AT_ROWS;
            } catch (SQLException | RuntimeException e) {
                // the parts stay and every reader still adds them: only the next fold is later
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the fold's own failure is what matters
                }
                foldAt = parts + FOLD_AT_ROWS;
                LOG.warn("folding the usage counters failed; tried again after {} more rows: {}", FOLD_AT_ROWS, e.getMessage());
            }
        }

        void fold() throws SQLException {
            try (java.sql.Statement s = connection.createStatement()) {
                for (String step : FOLD) s.execute(step);
            }
            connection.commit();
        }
    }

    @Override
    public Map<UsageKind, Long> monthTotals(long projectId, YearMonth month) {
        Map<UsageKind, Long> totals = new EnumMap<>(UsageKind.class);
        for (DayCount c : dailyTotals(projectId, month)) totals.merge(c.kind(), c.count(), Long::sum);
        return totals;
    }

    @Override
    public List<DayCount> dailyTotals(long projectId, YearMonth month) {
        return Statements.rows(db, "SELECT day, kind, sum(count) FROM " + COUNTERS + " c WHERE project_id = ? AND day >= ? AND day < ? "
                        + "GROUP BY day, kind ORDER BY day, kind",
                rs -> {
                    LocalDate day = rs.getDate(1).toLocalDate();
                    long count = rs.getLong(3);
                    return UsageKind.fromWire(rs.getString(2)).map(k -> new DayCount(day, k, count));
                },
                projectId, Date.valueOf(month.atDay(1)), Date.valueOf(month.plusMonths(1).atDay(1)))
                .stream().flatMap(Optional::stream).toList();
    }

    @Override
    public List<UsageTally.Row> monthRows(long projectId, YearMonth month) {
        return Statements.rows(db, "SELECT project_id, day, kind, event, lib, sum(count) FROM " + COUNTERS + " c WHERE project_id = ? AND day >= ? AND day < ? "
                        + "GROUP BY ALL",
                rs -> {
                    long project = rs.getLong(1);
                    LocalDate day = rs.getDate(2).toLocalDate();
                    String event = rs.getString(4);
                    String lib = rs.getString(5);
                    long count = rs.getLong(6);
                    return UsageKind.fromWire(rs.getString(3)).map(k -> new UsageTally.Row(project, day, k, event, lib, count));
                },
                projectId, Date.valueOf(month.atDay(1)), Date.valueOf(month.plusMonths(1).atDay(1)))
                .stream().flatMap(Optional::stream).toList();
    }

    @Override
    public Map<Long, BillingLimits> limits() {
        Map<Long, BillingLimits> limits = new HashMap<>();
        for (Object[] row : Statements.rows(db, "SELECT project_id, kind, monthly_limit FROM billing_limits",
                rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3)})) {
            long project = (Long) row[0];
            UsageKind.fromWire((String) row[1]).filter(UsageKind::billed).ifPresent(kind ->
                    limits.put(project, limits.getOrDefault(project, BillingLimits.NONE).with(kind, OptionalLong.of((Long) row[2]))));
        }
        return limits;
    }

    @Override
    public synchronized void setLimits(long projectId, BillingLimits limits) {
        inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM billing_limits WHERE project_id = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO billing_limits VALUES (?, ?, ?, ?)")) {
                delete.setLong(1, projectId);
                delete.executeUpdate();
                for (UsageKind kind : List.of(UsageKind.IDENTIFIED, UsageKind.ANONYMOUS)) {
                    OptionalLong limit = limits.of(kind);
                    if (limit.isEmpty()) continue;
                    insert.setLong(1, projectId);
                    insert.setString(2, kind.wireName());
                    insert.setLong(3, limit.getAsLong());
                    insert.setTimestamp(4, Timestamp.from(Instant.now()));
                    insert.executeUpdate();
                }
            }
        });
    }

    @Override
    public Optional<Prices> prices(long organizationId) {
        Map<UsageKind, List<PriceTable.Tier>> tiers = new EnumMap<>(UsageKind.class);
        for (Object[] row : Statements.rows(db, "SELECT kind, up_to, price FROM billing_price_tiers WHERE organization_id = ? ORDER BY kind, tier",
                rs -> {
                    long upTo = rs.getLong(2);
                    OptionalLong bound = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(upTo);
                    return new Object[] {rs.getString(1), bound, rs.getBigDecimal(3)};
                }, organizationId)) {
            BigDecimal price = ((BigDecimal) row[2]).stripTrailingZeros();
            UsageKind.fromWire((String) row[0]).ifPresent(k -> tiers.computeIfAbsent(k, x -> new ArrayList<>())
                    .add(new PriceTable.Tier((OptionalLong) row[1], price.signum() == 0 ? BigDecimal.ZERO : price)));
        }
        if (tiers.isEmpty()) return Optional.empty();
        return Optional.of(new Prices(
                tiers.containsKey(UsageKind.ANONYMOUS) ? new PriceTable(tiers.get(UsageKind.ANONYMOUS)) : PriceTable.ANONYMOUS,
                tiers.containsKey(UsageKind.IDENTIFIED) ? new PriceTable(tiers.get(UsageKind.IDENTIFIED)) : PriceTable.IDENTIFIED));
    }

    @Override
    public synchronized void setPrices(long organizationId, Optional<Prices> prices) {
        inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM billing_price_tiers WHERE organization_id = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO billing_price_tiers VALUES (?, ?, ?, ?, ?)")) {
                delete.setLong(1, organizationId);
                delete.executeUpdate();
                if (prices.isEmpty()) return;
                for (UsageKind kind : List.of(UsageKind.ANONYMOUS, UsageKind.IDENTIFIED)) {
                    List<PriceTable.Tier> tiers = prices.get().of(kind).tiers();
                    for (int i = 0; i < tiers.size(); i++) {
                        insert.setLong(1, organizationId);
                        insert.setString(2, kind.wireName());
                        insert.setInt(3, i);
                        if (tiers.get(i).upTo().isPresent()) insert.setLong(4, tiers.get(i).upTo().getAsLong());
                        else insert.setNull(4, java.sql.Types.BIGINT);
                        insert.setBigDecimal(5, tiers.get(i).pricePerEvent());
                        insert.executeUpdate();
                    }
                }
            }
        });
    }

    private interface Work {
        void run(DuckDBConnection c) throws SQLException;
    }

    private void inTransaction(Work work) {
        try (DuckDBConnection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

}
