package dev.sightline.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.store.EnrichmentColumns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The fast way through a batch when nothing downstream reads the properties (plain capture): one
 * streaming pass over the bytes picks out the fields capture checks and keeps each event's
 * properties as the JSON text the client sent, so no tree is built and nothing is written again.
 * <p>
 * It handles the common shapes only. An event it does not handle itself (top-level {@code $set},
 * a non-string distinct id, duplicate keys, a {@code $sent_at} of its own, ...) is read as a tree
 * by {@link EventParser}; a body it does not handle (a single event, anything malformed) is left
 * to {@link EventParser} whole. So the rules and the error messages live in one place.
 */
final class TextEventParser {
    private final JsonFactory factory;
    private final EventParser trees;

    TextEventParser(EventParser trees) {
        this.trees = trees;
        this.factory = trees.factory();
    }

    /** The batch, or empty when the body is for {@link EventParser} to read. */
    Optional<CaptureBatch> parse(byte[] body, Optional<Instant> querySentAt, Instant now) {
        // a body that may hold an event over the size limit is measured by the tree way, where the rule is
        if (!opensWithArrayOrObject(body) || EventLimits.mayHoldOversized(body.length)) return Optional.empty();
        List<Scanned> scanned = new ArrayList<>();
        String apiKey = null;
        String envelopeTokenField = null;
        String sentAtText = null;
        boolean envelope = false;
        boolean historical = false;
        try (JsonParser p = factory.createParser(body)) {
            Keys keys = new Keys();
            JsonToken root = p.nextToken();
            if (root == JsonToken.START_ARRAY) {
                if (!scanEvents(p, keys, scanned)) return Optional.empty();
            } else if (root == JsonToken.START_OBJECT) {
                envelope = true;
                boolean sawBatch = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "batch" -> {
                            if (sawBatch || value != JsonToken.START_ARRAY || !scanEvents(p, keys, scanned)) return Optional.empty();
                            sawBatch = true;
                        }
                        case "api_key" -> apiKey = text(p, value);
                        case "token" -> envelopeTokenField = text(p, value);
                        case "sent_at" -> sentAtText = text(p, value);
                        case "historical_migration" -> {
                            if (value == JsonToken.VALUE_TRUE) historical = true;
                            else if (value == JsonToken.VALUE_FALSE || value == JsonToken.VALUE_NULL) historical = false;
                            else return Optional.empty();
                        }
                        default -> p.skipChildren();
                    }
                }
                if (!sawBatch) return Optional.empty();
            } else {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // malformed: the tree parser says what is wrong
        }
        if (scanned.isEmpty()) return Optional.empty();
        for (Scanned s : scanned) {
            if (hasSurrogateEscape(body, s.start, s.end)) s.unusual = true;
        }

        Optional<Instant> sentAt = querySentAt;
        if (sentAtText != null) {
            sentAt = EventTimestamps.parse(sentAtText).or(() -> querySentAt);
        }
        String envelopeToken = envelope ? (apiKey != null ? apiKey : envelopeTokenField) : null;
        String token = envelopeToken;
        List<CapturedEvent> events = new ArrayList<>(scanned.size());
        EventParser.Warnings warnings = new EventParser.Warnings();
        byte[] sentAtMember = sentAt.map(at -> ("\"$sent_at\":\"" + at + "\"}").getBytes(StandardCharsets.UTF_8)).orElse(null);
        for (int i = 0; i < scanned.size(); i++) {
            Scanned s = scanned.get(i);
            ObjectNode raw = s.unusual ? (ObjectNode) trees.readTree(new String(body, s.start, s.end - s.start, StandardCharsets.UTF_8)) : null;
            if (envelopeToken == null) {
                Optional<String> eventToken = raw != null ? EventParser.eventToken(raw) : s.token();
                if (eventToken.isPresent()) {
                    if (token != null && !token.equals(eventToken.get())) {
                        throw CaptureError.auth("multiple_tokens", "the events of one request carry different tokens");
                    }
                    token = eventToken.get();
                }
            }
            events.add(raw != null ? trees.event(raw, i, sentAt, now, warnings) : s.event(body, sentAt, sentAtMember, now, warnings));
        }
        EventParser.checkToken(token);
        return Optional.of(new CaptureBatch(token, events, historical, 0, warnings.counts()));
    }

    /** A body whose first byte is not JSON's (a byte order mark, UTF-16) is left to the tree parser. */
    private static boolean opensWithArrayOrObject(byte[] body) {
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) return false;
        }
        for (byte b : body) {
            if (b == '[' || b == '{') return true;
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return false;
        }
        return false;
    }

    /**
     * A {@code \\uD800}-style escape anywhere in the event may be half of a pair or a lone surrogate,
     * which the tree way replaces ({@link LoneSurrogates}) and DuckDB's JSON reader would refuse.
     */
    private static boolean hasSurrogateEscape(byte[] b, int from, int to) {
        if (!Bytes.contains(b, from, to, (byte) '\\')) return false;
        for (int i = from; i < to - 3; i++) {
            if (b[i] == '\\' && b[i + 1] == 'u' && (b[i + 2] == 'd' || b[i + 2] == 'D')) {
                byte c = b[i + 3];
                if ((c >= '8' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) return true;
            }
        }
        return false;
    }

    private static boolean scanEvents(JsonParser p, Keys keys, List<Scanned> out) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) return false;
            out.add(scanEvent(p, keys));
        }
        return true;
    }

    /** Reads one event object, the parser on its opening brace; leaves the parser on its closing brace. */
    private static Scanned scanEvent(JsonParser p, Keys keys) throws IOException {
        Scanned s = new Scanned((int) p.currentTokenLocation().getByteOffset());
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            int bit = switch (field) {
                case "event" -> 1;
                case "distinct_id" -> 2;
                case "uuid" -> 4;
                case "timestamp" -> 8;
                case "offset" -> 16;
                case "properties" -> 32;
                case "token" -> 64;
                case "$token" -> 128;
                case "api_key" -> 256;
                case "$distinct_id", "$set", "$set_once" -> -1;
                default -> 0;
            };
            if (bit == -1 || (seen & bit) != 0) s.unusual = true;
            if (bit > 0) seen |= bit;
            switch (field) {
                case "event" -> {
                    s.name = text(p, value);
                    if (s.name == null || s.name.isEmpty() || EventLimits.mayBeTooLong(s.name)) s.unusual = true;
                }
                case "distinct_id" -> {
                    s.distinctId = text(p, value);
                    if (s.distinctId == null || s.distinctId.isEmpty()) s.unusual = true;
                }
                case "uuid" -> {
                    if (value == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
                        s.uuid = Uuids.parse(p.getText()).orElse(null);
                        if (s.uuid == null) s.unusual = true;
                    } else if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        s.unusual = true;
                        p.skipChildren();
                    }
                }
                case "timestamp" -> s.timestamp = text(p, value);
                case "offset" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                            || value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.LONG) {
                        s.offset = p.getLongValue();
                    } else if (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT) {
                        s.unusual = true;
                    } else {
                        p.skipChildren();
                    }
                }
                case "properties" -> {
                    if (value == JsonToken.START_OBJECT) {
                        scanProperties(p, keys, s);
                    } else if (value != JsonToken.VALUE_NULL) {
                        s.unusual = true;
                        p.skipChildren();
                    }
                }
                case "token" -> s.tokenField = text(p, value);
                case "$token" -> s.dollarToken = text(p, value);
                case "api_key" -> s.apiKey = text(p, value);
                default -> p.skipChildren();
            }
        }
        if (s.name == null || s.distinctId == null) s.unusual = true;
        s.end = (int) p.currentTokenLocation().getByteOffset() + 1;
        return s;
    }

    /**
     * Walks the properties object, the parser on its opening brace, noting its span, the few keys
     * capture reads, and any key that occurs twice in one object (a tree keeps only the last one,
     * stored text would keep both: such an event goes the tree way).
     */
    private static void scanProperties(JsonParser p, Keys keys, Scanned s) throws IOException {
        s.propertiesStart = (int) p.currentTokenLocation().getByteOffset();
        int depth = 1;
        keys.clear(1);
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) throw new IOException("unexpected end of input");
            switch (t) {
                case FIELD_NAME -> {
                    String name = p.currentName();
                    if (!keys.add(depth, name)) s.unusual = true;
                    if (depth == 1) {
                        s.propertyCount++;
                        JsonToken value = p.nextToken();
                        if (EventParser.outOfRange(p)) s.unusual = true;
                        switch (name) {
                            case "token" -> s.propertiesToken = value == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "$session_id" -> s.sessionId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "$lib" -> s.lib = value == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "$ignore_sent_at" -> {
                                if (value == JsonToken.VALUE_TRUE) s.ignoreSentAt = true;
                                else if (value == JsonToken.VALUE_FALSE || value == JsonToken.VALUE_NULL) s.ignoreSentAt = false;
                                else s.unusual = true;
                            }
                            case "$sent_at" -> s.unusual = true;
                            default -> {
                                // the values that get columns of their own; one that is not text is
                                // read as a tree, where its text is what the store's JSON reading gives
                                int column = EnrichmentColumns.index(name);
                                if (column >= 0 && value == JsonToken.VALUE_STRING) s.enrichment(column, p.getText());
                                else if (column >= 0 && value != JsonToken.VALUE_NULL) s.unusual = true;
                            }
                        }
                        if (value == JsonToken.START_OBJECT) {
                            depth++;
                            keys.clear(depth);
                        } else if (value == JsonToken.START_ARRAY) {
                            depth++;
                        }
                    }
                }
                case START_OBJECT -> {
                    depth++;
                    keys.clear(depth);
                }
                case START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> {
                    if (EventParser.outOfRange(p)) s.unusual = true; // the tree way refuses it
                }
                default -> { }
            }
        }
        s.propertiesEnd = (int) p.currentTokenLocation().getByteOffset() + 1;
    }

    /** A string value's text; null for any other value (skipped), as the tree parser's text checks read it. */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) return p.getText();
        p.skipChildren();
        return null;
    }

    /**
     * The keys seen so far in the object open at each depth. A 64-bit filter of their hashes
     * answers most "seen before?" questions; only on a filter hit are the names compared.
     */
    private static final class Keys {
        private String[][] names = new String[8][];
        private int[] counts = new int[8];
        private long[] filters = new long[8];

        void clear(int depth) {
            if (depth >= names.length) {
                names = java.util.Arrays.copyOf(names, depth * 2);
                counts = java.util.Arrays.copyOf(counts, depth * 2);
                filters = java.util.Arrays.copyOf(filters, depth * 2);
            }
            counts[depth] = 0;
            filters[depth] = 0;
        }

        /** False when the object open at this depth already has this key. */
        boolean add(int depth, String name) {
            int h = name.hashCode();
            long bit = 1L << ((h ^ (h >>> 6) ^ (h >>> 12)) & 63);
            String[] seen = names[depth];
            int n = counts[depth];
            if ((filters[depth] & bit) != 0) {
                for (int i = 0; i < n; i++) {
                    if (seen[i].equals(name)) return false;
                }
            }
            filters[depth] |= bit;
            if (seen == null || n == seen.length) {
                seen = names[depth] = seen == null ? new String[32] : java.util.Arrays.copyOf(seen, n * 2);
            }
            seen[n] = name;
            counts[depth] = n + 1;
            return true;
        }
    }

    /** What the streaming pass learned about one event. */
    private static final class Scanned {
        final int start;
        int end;
        boolean unusual;
        String name;
        String distinctId;
        UUID uuid;
        String timestamp;
        Long offset;
        String tokenField;
        String dollarToken;
        String apiKey;
        String propertiesToken;
        int propertiesStart = -1;
        int propertiesEnd;
        int propertyCount;
        boolean ignoreSentAt;
        String sessionId;
        String lib;
        /** The text values of {@link EnrichmentColumns}, in its order; null until the first. */
        String[] enrichment;

        void enrichment(int column, String value) {
            if (enrichment == null) enrichment = new String[EnrichmentColumns.KEYS.size()];
            enrichment[column] = value;
        }

        Scanned(int start) {
            this.start = start;
        }

        /** The event-level token the way {@link EventParser#eventToken} looks for it. */
        Optional<String> token() {
            if (tokenField != null) return Optional.of(tokenField);
            if (dollarToken != null) return Optional.of(dollarToken);
            if (apiKey != null) return Optional.of(apiKey);
            return Optional.ofNullable(propertiesToken);
        }

        CapturedEvent event(byte[] body, Optional<Instant> sentAt, byte[] sentAtMember, Instant now, EventParser.Warnings warnings) {
            Instant ts = EventTimestamps.resolve(Optional.ofNullable(timestamp), Optional.ofNullable(offset),
                    ignoreSentAt ? Optional.empty() : sentAt, now, warnings);
            return new CapturedEvent(uuid != null ? uuid : Uuids.v7(), name, EventParser.cleanDistinctId(distinctId), ts,
                    new EventProperties.Text(properties(body, sentAtMember),
                            Optional.ofNullable(sessionId).filter(id -> !id.isEmpty()),
                            java.util.Arrays.asList(enrichment != null ? enrichment : new String[EnrichmentColumns.KEYS.size()]),
                            Optional.ofNullable(lib)));
        }

        /**
         * The properties as sent, with {@code $sent_at} added last as the tree parser adds it.
         * {@code sentAtMember} is {@code "$sent_at":"...",}} (null without sent_at).
         */
        private String properties(byte[] body, byte[] sentAtMember) {
            if (propertiesStart < 0) {
                return sentAtMember == null ? "{}" : "{" + new String(sentAtMember, StandardCharsets.UTF_8);
            }
            int length = propertiesEnd - propertiesStart;
            if (sentAtMember == null) {
                return new String(body, propertiesStart, length, StandardCharsets.UTF_8);
            }
            // the closing brace is the span's last byte: replace it by [","] "$sent_at":"..."}
            int open = length - 1;
            int comma = propertyCount == 0 ? 0 : 1;
            byte[] text = new byte[open + comma + sentAtMember.length];
            System.arraycopy(body, propertiesStart, text, 0, open);
            if (comma == 1) text[open] = ',';
            System.arraycopy(sentAtMember, 0, text, open + comma, sentAtMember.length);
            return new String(text, StandardCharsets.UTF_8);
        }
    }
}
