package dev.sightline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where every benchmark writes its figures: {@code bench/results/<kind>-<stamp>.json} and
 * {@code <kind>-latest.json}; a smoke run only {@code bench/results/tmp/<kind>-smoke.json}, so the
 * harness is exercised without its figures standing beside real ones.
 */
final class ResultFile {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFile() {}

    /** Writes the figures and returns the file; {@code latest} false leaves {@code <kind>-latest.json} as it is. */
    static Path write(Path results, String kind, String stamp, boolean smoke, boolean latest, Map<String, Object> figures) throws IOException {
        Path target = smoke ? results.resolve("tmp") : results;
        Files.createDirectories(target);
        Path file = target.resolve(smoke ? kind + "-smoke.json" : kind + "-" + stamp + ".json");
        PRETTY.writeValue(file.toFile(), figures);
        if (!smoke && latest) PRETTY.writeValue(results.resolve(kind + "-latest.json").toFile(), figures);
        return file;
    }
}
