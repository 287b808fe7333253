package dev.sightline.cohort;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.sightline.query.InvalidQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads an uploaded member list row by row (never the whole file in memory). The first row is a
 * header when one of its cells names an identifier column; otherwise the first column holds
 * distinct ids and the first row is data, as PostHog's upload allows both.
 */
final class CohortCsv {
    private static final CsvMapper CSV = new CsvMapper();

    /** One data row: its row number in the file (1 is the first row, the header if there is one; blank lines are skipped) and its identifier, trimmed. */
    record Row(long line, String value) {}

    private CohortCsv() {}

    static Reader open(InputStream in) {
        try {
            MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                    .with(CsvParser.Feature.SKIP_EMPTY_LINES).readValues(in);
            return new Reader(it);
        } catch (IOException e) {
            throw new InvalidQuery("csv", "the file is not a readable CSV: " + e.getMessage());
        }
    }

    static final class Reader {
        private final MappingIterator<List<String>> it;
        private CohortStore.Identifier kind = CohortStore.Identifier.DISTINCT_ID;
        private String column = "distinct_id";
        private int index;
        private long line;
        private List<String> pending;

        Reader(MappingIterator<List<String>> it) {
            this.it = it;
            List<String> first = read();
            if (first == null) throw new InvalidQuery("csv", "the file is empty: upload one distinct id, person id or email per row");
            for (int i = 0; i < first.size(); i++) {
                String name = first.get(i) == null ? "" : first.get(i).trim().toLowerCase(Locale.ROOT).replace(' ', '_');
                CohortStore.Identifier k = switch (name) {
                    case "distinct_id", "distinct_ids", "distinctid" -> CohortStore.Identifier.DISTINCT_ID;
                    case "person_id", "id", "uuid", "person_uuid" -> CohortStore.Identifier.PERSON_ID;
                    case "email", "$email", "e-mail", "email_address" -> CohortStore.Identifier.EMAIL;
                    default -> null;
                };
                if (k != null) {
                    kind = k;
                    column = name;
                    index = i;
                    return;
                }
            }
            pending = first;
        }

        CohortStore.Identifier kind() {
            return kind;
        }

        /** The header the identifiers were read from ("distinct_id" when the file had none). */
        String column() {
            return column;
        }

        /** The next data row, or null at the end. */
        Row next() {
            List<String> cells = pending != null ? pending : read();
            pending = null;
            if (cells == null) return null;
            String v = index < cells.size() && cells.get(index) != null ? cells.get(index).trim() : "";
            return new Row(line, v);
        }

        private List<String> read() {
            try {
                if (!it.hasNextValue()) return null;
                List<String> cells = it.nextValue();
                line++;
                return cells;
            } catch (IOException e) {
                throw new InvalidQuery("csv", "line " + (line + 1) + " is not valid CSV: " + e.getMessage());
            } catch (RuntimeException e) {
                if (e.getCause() instanceof IOException io) throw new UncheckedIOException(io);
                throw e;
            }
        }
    }
}
