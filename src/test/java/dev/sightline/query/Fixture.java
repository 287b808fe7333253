package dev.sightline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** One seeded dataset in one DuckDB file, shared by the query test classes of this JVM. */
final class Fixture {
    static final long A = 1;
    static final long B = 2;
    static final ZoneId ZONE_A = ZoneId.of("America/New_York");
    static final ZoneId ZONE_B = ZoneId.of("UTC");
    static final ObjectMapper JSON = new ObjectMapper();

    private static Fixture shared;

    final Dataset data;
    final Database db;
    final DuckDbQueries store;
    final QueryService service;
    final Oracle a;
    final Oracle b;

    private Fixture() throws Exception {
        Path dir = Files.createTempDirectory("sightline-query");
        dir.toFile().deleteOnExit();
        db = Database.open(dir);
        data = Dataset.generate(A, B, 42);
        data.write(db);
        store = new DuckDbQueries(db);
        service = new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(Dataset.NOW, ZoneOffset.UTC));
        a = new Oracle(data, A, ZONE_A);
        b = new Oracle(data, B, ZONE_B);
    }

    static synchronized Fixture get() {
        if (shared == null) {
            try {
                shared = new Fixture();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    JsonNode run(long project, String queryJson) {
        try {
            JsonNode body = JSON.readTree("{\"query\": " + queryJson + ", \"refresh\": true}");
            return JSON.valueToTree(service.run(project, (project == A ? ZONE_A : ZONE_B).getId(), body));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode runA(String queryJson) {
        return run(A, queryJson);
    }

    static LocalDateTime start(String day) {
        return LocalDate.parse(day).atStartOfDay();
    }

    static LocalDateTime end(String day) {
        return LocalDate.parse(day).atTime(LocalTime.of(23, 59, 59, 999_999_000));
    }

    static String q(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
