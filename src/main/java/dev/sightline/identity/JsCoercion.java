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
