package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * PostHog's ingestion is JavaScript: {@code String(alias)} and {@code if (alias)} decide merges.
 * These reproduce that on JSON values, so "[object Object]" or "null" reach the illegal-id check
 * exactly as they do there.
 */
final class JsCoercion {
    private JsCoercion() {
    }

    static String asString(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "true" : "false";
        }
        if (value.isNumber()) {
            return numberAsString(value);
        }
        if (value.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    joined.append(',');
                }
                JsonNode element = value.get(i);
                // Array.prototype.join writes null and undefined as empty strings
                if (!element.isNull()) {
                    joined.append(asString(element));
                }
            }
            return joined.toString();
        }
        return "[object Object]";
    }

    /**
     * {@code String.prototype.trim}. Not Java's {@code trim} (which removes every control character
     * up to U+0020 and keeps U+00A0) nor {@code strip} (which keeps U+00A0, U+2007, U+202F and U+FEFF).
     */
    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhiteSpace(text.charAt(start))) start++;
        while (end > start && isWhiteSpace(text.charAt(end - 1))) end--;
        return text.substring(start, end);
    }

    /** ECMAScript's WhiteSpace and LineTerminator: tab, VT, FF, BOM, the space separators (Zs), LF, CR, LS, PS. */
    static boolean isWhiteSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F',
                 '\u3000', '\uFEFF' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    static boolean isTruthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.decimalValue().signum() != 0;
        }
        return true; // objects and arrays, even empty ones
    }

    private static String numberAsString(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        BigDecimal decimal = value.decimalValue().stripTrailingZeros();
        return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
    }
}
