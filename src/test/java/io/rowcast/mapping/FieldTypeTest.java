package io.rowcast.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class FieldTypeTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void decimalsStayExact() {
        assertThat(Json.write(FieldType.DECIMAL.convert(new BigDecimal("12.50"), UTC))).isEqualTo("12.50");
        assertThat(Json.write(FieldType.DECIMAL.convert("0.1", UTC))).isEqualTo("0.1");
        assertThat(Json.write(FieldType.DECIMAL.convert(new BigDecimal("1E+3"), UTC))).isEqualTo("1000");
        assertThat(Json.write(FieldType.natural(0.1d, UTC))).isEqualTo("0.1");
        assertThat(Json.write(FieldType.JSON.convert("[{\"price\":50.25}]", UTC))).isEqualTo("[{\"price\":50.25}]");
    }

    /** A number as text is written out in full: a string field is never in scientific notation. */
    @Test
    void numbersAsStringsAreWrittenInFull() {
        assertThat(FieldType.STRING.convert(new BigDecimal("0.0000000100"), UTC).asText()).isEqualTo("0.0000000100");
        assertThat(FieldType.STRING.convert(new BigDecimal("1E+3"), UTC).asText()).isEqualTo("1000");
        assertThat(FieldType.STRING.convert(1e-8d, UTC).asText()).isEqualTo("0.00000001");
        assertThat(FieldType.STRING.convert(12.5d, UTC).asText()).isEqualTo("12.5");
        assertThat(FieldType.STRING.convert(Json.NODES.numberNode(new BigDecimal("2E-7")), UTC).asText()).isEqualTo("0.0000002");
        assertThat(FieldType.STRING.convert(42L, UTC).asText()).isEqualTo("42");
        assertThat(FieldType.STRING.convert(Double.NaN, UTC).asText()).isEqualTo("NaN");
    }

    /** An array column (read as a list, NULL elements kept) becomes a JSON array, each element in its natural form. */
    @Test
    void arraysBecomeJsonArrays() {
        java.util.List<Object> tags = java.util.Arrays.asList("vip", "a, b", null, "null");
        assertThat(Json.write(FieldType.natural(tags, UTC))).isEqualTo("[\"vip\",\"a, b\",null,\"null\"]");
        assertThat(Json.write(FieldType.JSON.convert(tags, UTC))).as("type: json").isEqualTo("[\"vip\",\"a, b\",null,\"null\"]");
        assertThat(Json.write(FieldType.natural(java.util.List.of(new BigDecimal("1.50"), java.util.List.of(2, 3)), UTC)))
                .isEqualTo("[1.50,[2,3]]");
        assertThat(Json.write(FieldType.natural(java.util.List.of(LocalDateTime.of(2026, 11, 1, 12, 0)), ZoneId.of("Europe/Paris"))))
                .as("timestamps as elsewhere").isEqualTo("[\"2026-11-01T11:00:00Z\"]");
    }

    @Test
    void timestampsWithoutAZoneAreReadInTheMappingZone() {
        LocalDateTime noon = LocalDateTime.of(2026, 11, 1, 12, 0);
        assertThat(FieldType.EPOCH_SECONDS.convert(noon, UTC).asLong()).isEqualTo(1793534400L);
        assertThat(FieldType.EPOCH_SECONDS.convert(noon, ZoneId.of("Asia/Kolkata")).asLong()).isEqualTo(1793534400L - 19800);
        assertThat(FieldType.EPOCH_MILLIS.convert(OffsetDateTime.parse("2026-11-01T12:00:00+01:00"), UTC).asLong())
                .isEqualTo((1793534400L - 3600) * 1000);
        assertThat(FieldType.ISO_TIMESTAMP.convert("2026-11-01 12:00:00", ZoneId.of("Europe/Paris")).asText())
                .isEqualTo("2026-11-01T11:00:00Z");
    }

    @Test
    void valuesThatDoNotFitSayWhy() {
        assertThatThrownBy(() -> FieldType.DECIMAL.convert("twelve", UTC)).hasMessage("'twelve' is not a number");
        assertThatThrownBy(() -> FieldType.JSON.convert("[{", UTC)).hasMessageStartingWith("invalid JSON");
        assertThatThrownBy(() -> FieldType.EPOCH_SECONDS.convert("last tuesday", UTC)).hasMessage("'last tuesday' is not a timestamp");
        assertThatThrownBy(() -> FieldType.INTEGER.convert("1.5", UTC)).isInstanceOf(ArithmeticException.class);
    }
}
