package io.rowcast.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The type a mapped field is written as. Conversions never go through floating point. */
public enum FieldType {
    STRING("string"),
    INTEGER("integer"),
    DECIMAL("decimal"),
    BOOLEAN("boolean"),
    JSON("json"),
    EPOCH_SECONDS("epoch-seconds"),
    EPOCH_MILLIS("epoch-millis"),
    ISO_TIMESTAMP("iso-timestamp");

    private static final JsonNodeFactory NODES = Json.NODES;
    private final String name;

    FieldType(String name) { this.name = name; }

    @JsonValue
    public String typeName() { return name; }

    @JsonCreator
    public static FieldType of(String name) {
        for (FieldType t : values()) {
            if (t.name.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown type '" + name + "'; use one of string, integer, decimal, boolean,"
                + " json, epoch-seconds, epoch-millis, iso-timestamp");
    }

    /**
     * Converts a warehouse value; {@code zone} applies to timestamps stored without a zone.
     *
     * @throws IllegalArgumentException with a message fit for the ledger when the value does not fit the type
     */
    /** A value as text; a number written out in full (a BigDecimal's toString may use an exponent: 1.00E-8). */
    private static String text(Object value) {
        if (value instanceof JsonNode n) {
            return n.isNumber() ? text(n.numberValue()) : n.asText();
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if ((value instanceof Double || value instanceof Float) && value.toString().contains("E")) {
            // (1.0E-8: the ".0" is the exponent form's, not a digit of the value)
            return new java.math.BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    public JsonNode convert(Object value, ZoneId zone) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (this) {
            case STRING -> NODES.textNode(text(value));
            case INTEGER -> NODES.numberNode(toDecimal(value).toBigIntegerExact());
            case DECIMAL -> NODES.numberNode(toDecimal(value));
            case BOOLEAN -> NODES.booleanNode(toBoolean(value));
            case JSON -> value instanceof JsonNode n ? n : value instanceof java.util.List<?> ? natural(value, zone)
                    : Json.parse(String.valueOf(value));
            case EPOCH_SECONDS -> NODES.numberNode(toInstant(value, zone).getEpochSecond());
            case EPOCH_MILLIS -> NODES.numberNode(toInstant(value, zone).toEpochMilli());
            case ISO_TIMESTAMP -> NODES.textNode(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    toInstant(value, zone).atOffset(java.time.ZoneOffset.UTC)));
        };
    }

    /** The natural JSON form of a value whose type the mapping did not name. */
    public static JsonNode natural(Object value, ZoneId zone) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if ((value instanceof Double d && !Double.isFinite(d)) || (value instanceof Float f && !Float.isFinite(f))) {
            throw new IllegalArgumentException(value + " has no JSON form; make it NULL or a number in the model query"
                    + " (for example NULLIF(column, 'NaN'))");
        }
        if (value instanceof Number n) {
            // float and double columns: keep the shortest decimal that round-trips, never binary noise
            return NODES.numberNode(new BigDecimal(n.toString()));
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof java.util.List<?> list) {
            // an array column (CleverTap's multi-value properties, Hyperline's array values): each element in its own form
            com.fasterxml.jackson.databind.node.ArrayNode array = NODES.arrayNode(list.size());
            for (Object element : list) {
                array.add(natural(element, zone));
            }
            return array;
        }
        if (value instanceof LocalDateTime || value instanceof OffsetDateTime || value instanceof Instant
                || value instanceof ZonedDateTime) {
            return ISO_TIMESTAMP.convert(value, zone);
        }
        return NODES.textNode(value.toString());
    }

    static BigDecimal toDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Number || value instanceof CharSequence || value instanceof JsonNode) {
            String text = value instanceof JsonNode n ? n.asText() : value.toString().trim();
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a number");
            }
        }
        throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " is not a number");
    }

    private static boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).trim().toLowerCase();
        return switch (text) {
            case "true", "t", "yes", "y", "1" -> true;
            case "false", "f", "no", "n", "0" -> false;
            default -> throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a boolean");
        };
    }

    static Instant toInstant(Object value, ZoneId zone) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof LocalDateTime l) {
            return l.atZone(zone).toInstant();
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay(zone).toInstant();
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        String text = String.valueOf(value).trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // no zone in the text: read it in the configured zone
        }
        try {
            return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a timestamp");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
