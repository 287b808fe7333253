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
import org.duckdb.DuckDBConnection;

/**
 * The metered counters, limits and prices in the embedded database. The counters are one row per
 * project, UTC day, kind, event name and library; the ingest writer adds each batch's tally to them
 * in the batch's own transaction ({@link #add}), so they hold exactly the committed events: a crash
 * loses or repeats neither, and a retry that de-duplication drops never reaches them.
 */
public final class DuckDbUsage implements UsageStore {
    /** The migration step's tables. */
    static final String CREATE = """
            CREATE TABLE usage_counters (
                project_id BIGINT NOT NULL,
                day DATE NOT NULL,
                kind VARCHAR NOT NULL,
                event VARCHAR NOT NULL,
                lib VARCHAR NOT NULL,
                count BIGINT NOT NULL,
                PRIMARY KEY (project_id, day, kind, event, lib));
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

    /** Rows per upsert statement: a batch of many event names still goes in a few statements. */
    private static final int ROWS_PER_STATEMENT = 500;

    private final Database db;

    public DuckDbUsage(Database db) {
        this.db = db;
    }

    /** Adds a batch's tally to the counters, on the writer's connection and inside its open transaction. */
    static void add(DuckDBConnection writer, UsageTally tally) throws SQLException {
        if (tally.isEmpty()) return;
        List<UsageTally.Row> rows = tally.rows();
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<UsageTally.Row> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder("INSERT INTO usage_counters VALUES ");
            for (int i = 0; i < part.size(); i++) sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
            sql.append(" ON CONFLICT DO UPDATE SET count = count + excluded.count");
            try (PreparedStatement ps = writer.prepareStatement(sql.toString())) {
                int p = 1;
                for (UsageTally.Row r : part) {
                    ps.setLong(p++, r.projectId());
                    ps.setDate(p++, Date.valueOf(r.day()));
                    ps.setString(p++, r.kind().wireName());
                    ps.setString(p++, r.event());
                    ps.setString(p++, r.lib());
                    ps.setLong(p++, r.count());
                }
                ps.executeUpdate();
            }
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
        return Statements.rows(db, "SELECT day, kind, sum(count) FROM usage_counters WHERE project_id = ? AND day >= ? AND day < ? "
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
        return Statements.rows(db, "SELECT project_id, day, kind, event, lib, count FROM usage_counters WHERE project_id = ? AND day >= ? AND day < ?",
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
