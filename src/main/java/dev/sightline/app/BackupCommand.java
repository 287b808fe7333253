package dev.sightline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.store.Backups;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbBackups;
import dev.sightline.store.duckdb.StorageException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sightline backup --out DIR}: on the file itself when no server runs; else the running
 * server takes it ({@code POST /api/backup}), since DuckDB lets one process open the file.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write a consistent copy of the whole store into a new directory, whether or not the server runs.",
                "With the server running, it asks the server (an administrator's personal API key of the first organization)."})
final class BackupCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();

    @Option(names = "--out", required = true, description = "A directory that does not exist yet (or is empty).")
    Path out;

    @Option(names = "--server", defaultValue = "http://127.0.0.1:${env:SIGHTLINE_PORT:-8000}",
            description = "The running server to ask (default http://127.0.0.1:$SIGHTLINE_PORT or 8000).")
    String server;

    @Option(names = "--personal-api-key", defaultValue = "${env:SIGHTLINE_PERSONAL_API_KEY}",
            description = "A personal API key for the running server (env SIGHTLINE_PERSONAL_API_KEY).")
    String key;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = out.toAbsolutePath().normalize();
        Backups.Backup backup;
        Optional<Database> db = openUnlessServed();
        if (db.isPresent()) {
            try (Database open = db.get()) {
                backup = new DuckDbBackups(open, Clock.systemUTC()).backup(Optional.of(dir));
            }
        } else {
            backup = askServer(dir);
        }
        System.out.printf("backed up %,d events and %,d persons into %s (%,d bytes, %d ms)%n", backup.events(), backup.persons(),
                backup.directory(), backup.bytes(), backup.millis());
        return 0;
    }

    /** The data directory's database, or empty when a server has it open. */
    private Optional<Database> openUnlessServed() {
        try {
            return Optional.of(Database.open(data.dataDir));
        } catch (StorageException e) {
            if (String.valueOf(e.getMessage()).contains("in use by another Sightline process")) return Optional.empty();
            throw e;
        }
    }

    private Backups.Backup askServer(Path dir) throws IOException, InterruptedException {
        if (key == null || key.isBlank()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "a server has " + data.dataDir + " open: give its --personal-api-key (or SIGHTLINE_PERSONAL_API_KEY) to ask it for the backup");
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.replaceAll("/+$", "") + "/api/backup"))
                    .header("Authorization", "Bearer " + key.trim()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("out", dir.toString())))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 201) {
                throw new StorageException("the server at " + server + " refused the backup (" + response.statusCode() + "): "
                        + body.path("detail").asText(response.body()), null);
            }
            return new Backups.Backup(Path.of(body.get("path").asText()), body.get("bytes").asLong(), body.get("events").asLong(),
                    body.get("persons").asLong(), body.get("took_ms").asLong());
        }
    }
}
