package dev.sightline.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The storage ceiling: the same events written straight through DuckDB's Appender into a table of
 * the server's events shape (its DDL is copied from the server's database file), in a fresh file,
 * committing every {@code commitEvery} rows. Only appending and committing are timed; generating
 * the rows is not.
 */
final class AppenderCeiling {

    record Result(long events, double seconds, double eventsPerSecond, int commitEvery) {}

    /** The events table's DDL and columns as the server created them. */
    record Shape(String createSql, List<String> columns, List<String> types, List<Boolean> nullable) {

        static Shape of(Path serverDatabase) throws Exception {
            try (Connection c = IngestBench.readOnly(serverDatabase);
                 Statement s = c.createStatement()) {
                String sql;
                try (ResultSet rs = s.executeQuery("SELECT sql FROM duckdb_tables() WHERE table_name = 'events'")) {
                    if (!rs.next()) throw new IllegalStateException("no events table in " + serverDatabase);
                    sql = rs.getString(1);
                }
                List<String> columns = new ArrayList<>();
                List<String> types = new ArrayList<>();
                List<Boolean> nullable = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
                        + "WHERE table_name = 'events' ORDER BY column_index")) {
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                        types.add(rs.getString(2));
                        nullable.add(rs.getBoolean(3));
                    }
                }
                return new Shape(sql, columns, types, nullable);
            }
        }
    }

    static Result run(Shape shape, Path dir, long events, Supplier<EventGenerator.Event> generator, int commitEvery)
            throws Exception {
        Path file = dir.resolve("appender-ceiling.duckdb");
        long timed = 0;
        try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath())) {
            try (Statement s = c.createStatement()) {
                // the same database settings as the server (store/duckdb/Database), so the ceiling is fair
                s.execute("SET checkpoint_threshold = '256MB'");
                s.execute(shape.createSql());
            }
            c.setAutoCommit(false);
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            List<EventGenerator.Event> chunk = new ArrayList<>(commitEvery);
            for (long done = 0; done < events; ) {
                chunk.clear();
                for (int i = 0; i < commitEvery && done + i < events; i++) chunk.add(generator.get());
                long start = System.nanoTime();
                try (DuckDBAppender appender = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                    for (EventGenerator.Event e : chunk) {
                        appender.beginRow();
                        for (int col = 0; col < shape.columns().size(); col++) {
                            appendColumn(appender, shape, col, e, now);
                        }
                        appender.endRow();
                    }
                    appender.flush();
                }
                c.commit();
                timed += System.nanoTime() - start;
                done += chunk.size();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                if (rs.getLong(1) != events) throw new IllegalStateException("appender stored " + rs.getLong(1));
            }
        }
        double seconds = timed / 1e9;
        return new Result(events, seconds, events / seconds, commitEvery);
    }

    /** Fills a column from the event by its name; columns the capture path leaves empty get NULL or a default. */
    private static void appendColumn(DuckDBAppender a, Shape shape, int col, EventGenerator.Event e, LocalDateTime now)
            throws Exception {
        String type = shape.types().get(col);
        switch (shape.columns().get(col)) {
            case "project_id", "team_id" -> a.append(1L);
            case "uuid" -> a.append(e.uuid());
            case "event" -> a.append(e.name());
            case "distinct_id" -> a.append(e.distinctId());
            case "timestamp" -> a.append(LocalDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC));
            case "created_at", "inserted_at" -> a.append(now);
            case "properties" -> a.append(e.propertiesJson());
            default -> {
                if (shape.nullable().get(col)) {
                    a.appendNull();
                } else if (type.startsWith("VARCHAR") || type.equals("JSON")) {
                    a.append("");
                } else if (type.startsWith("TIMESTAMP")) {
                    a.append(now);
                } else if (type.equals("UUID")) {
                    a.append(new UUID(0, 0));
                } else if (type.equals("BOOLEAN")) {
                    a.append(false);
                } else {
                    a.append(0L);
                }
            }
        }
    }
}
