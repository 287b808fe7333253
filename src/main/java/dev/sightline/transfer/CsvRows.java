package dev.sightline.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Events as CSV with a header row: {@code uuid,event,distinct_id,timestamp,properties}, the last
 * holding the properties as JSON text. {@code uuid} and {@code properties} may be missing or empty;
 * other columns are ignored. Each row becomes the event JSON that capture reads.
 */
final class CsvRows implements Iterator<Row> {
    static final List<String> REQUIRED = List.of("event", "distinct_id", "timestamp");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MappingIterator<Map<String, String>> rows;

    CsvRows(Reader reader) {
        CsvMapper csv = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();
        try {
            this.rows = csv.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CSV header: " + e.getMessage(), e);
        }
        CsvSchema header = (CsvSchema) rows.getParserSchema();
        for (String column : REQUIRED) {
            if (header.column(column) == null) {
                throw new IllegalArgumentException("the CSV header must name the columns " + REQUIRED
                        + " (and may name uuid and properties); it has " + header.getColumnDesc());
            }
        }
    }

    @Override
    public boolean hasNext() {
        try {
            return rows.hasNextValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Row next() {
        Map<String, String> row;
        try {
            if (!rows.hasNextValue()) throw new NoSuchElementException();
            row = rows.nextValue();
        } catch (IOException | RuntimeException e) {
            if (e instanceof NoSuchElementException n) throw n;
            // Jackson resumes at the next record after a malformed one
            return new Row.Bad("malformed_csv_row");
        }
        ObjectNode event = JSON.createObjectNode();
        String uuid = row.getOrDefault("uuid", "");
        if (!uuid.isEmpty()) event.put("uuid", uuid);
        event.put("event", row.get("event"));
        event.put("distinct_id", row.get("distinct_id"));
        event.put("timestamp", row.get("timestamp"));
        String properties = row.getOrDefault("properties", "");
        if (!properties.isBlank()) {
            try {
                JsonNode parsed = JSON.readTree(properties);
                if (!(parsed instanceof ObjectNode)) return new Row.Bad("invalid_properties_json");
                event.set("properties", parsed);
            } catch (JsonProcessingException e) {
                return new Row.Bad("invalid_properties_json");
            }
        }
        try {
            return new Row.Event(JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
