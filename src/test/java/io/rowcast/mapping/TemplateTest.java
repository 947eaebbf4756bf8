package io.rowcast.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Liquid template edge cases: NULLs, missing columns, decimals, dates and zones, and failures that reject one row. */
class TemplateTest {

    @TempDir Path dir;

    private Mapping mapping(String zone, String fields) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, "destination: http\nrecord: payload\n" + (zone == null ? "" : "zone: " + zone + "\n")
                + "fields:\n" + fields);
        return MappingLoader.load(file);
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put((String) kv[i], kv[i + 1]);
        }
        return row;
    }

    @Test
    void nullsAndMissingColumnsRenderEmptyAndCountAsNull() throws IOException {
        Mapping m = mapping(null, """
                  a: { template: "{{ row.notes }}" }
                  b: { template: "{{ row.no_such_column }}", default: fallback }
                  c: { template: "{{ row.notes }}", drop-nulls: true }
                  d: { template: "x{{ row.notes }}y" }
                """);

        assertThat(Json.write(m.map(row("notes", null)))).isEqualTo("{\"a\":null,\"b\":\"fallback\",\"d\":\"xy\"}");
    }

    @Test
    void aRequiredTemplateThatRendersNothingRejectsTheRow() throws IOException {
        Mapping m = mapping(null, "  a: { template: \"{{ row.email }}\", required: true }\n");

        assertThatThrownBy(() -> m.map(row("email", null)))
                .isInstanceOf(RowMappingException.class)
                .hasMessage("a is required but the template gave NULL; give the row a value or set a default");
    }

    @Test
    void decimalsStayExactThroughTemplates() throws IOException {
        Mapping m = mapping(null, """
                  cents: { template: "{{ row.amount | times: 100 }}", type: integer }
                  label: { template: "{{ row.amount }} {{ row.currency }}" }
                  total: { template: "{{ row.amount | plus: row.tax }}", type: decimal }
                """);

        assertThat(Json.write(m.map(row("amount", new BigDecimal("12.50"), "currency", "EUR", "tax", new BigDecimal("0.10")))))
                .as("Liquid arithmetic is decimal, but may drop trailing zeros: use from: for a column's own scale")
                .isEqualTo("{\"cents\":1250,\"label\":\"12.50 EUR\",\"total\":12.6}");
    }

    @Test
    void datesRenderAsIsoTextAndZoneLessTimestampsReadInTheMappingZone() throws IOException {
        String fields = """
                  day: { template: "{{ row.at | slice: 0, 10 }}" }
                  epoch: { from: at, type: epoch-seconds }
                  iso: { from: at, type: iso-timestamp }
                """;
        Map<String, Object> row = row("at", LocalDateTime.of(2026, 11, 1, 23, 30));

        assertThat(Json.write(mapping(null, fields).map(row)))
                .isEqualTo("{\"day\":\"2026-11-01\",\"epoch\":1793575800,\"iso\":\"2026-11-01T23:30:00Z\"}");
        assertThat(Json.write(mapping("Asia/Kolkata", fields).map(row)))
                .isEqualTo("{\"day\":\"2026-11-01\",\"epoch\":1793556000,\"iso\":\"2026-11-01T18:00:00Z\"}");
        assertThat(Json.write(mapping("America/New_York", fields).map(row)))
                .isEqualTo("{\"day\":\"2026-11-01\",\"epoch\":1793593800,\"iso\":\"2026-11-02T04:30:00Z\"}");
    }

    /** A static value or default is read in the mapping's zone, as the row's zone-less timestamps are. */
    @Test
    void defaultsAndStaticTimestampsAreReadInTheMappingZone() throws IOException {
        Mapping m = mapping("Europe/Paris", """
                  at: { from: at, type: epoch-seconds, default: "2024-01-01T00:00:00" }
                  fixed: { value: "2024-01-01T00:00:00", type: epoch-seconds }
                """);
        long parisMidnight = LocalDateTime.parse("2024-01-01T00:00:00").atZone(java.time.ZoneId.of("Europe/Paris")).toEpochSecond();

        var record = m.map(row("at", null));

        assertThat(record.path("at").asLong()).isEqualTo(parisMidnight);
        assertThat(record.path("fixed").asLong()).isEqualTo(parisMidnight);
        assertThat(m.map(row("at", LocalDateTime.parse("2024-01-01T00:00:00"))).path("at").asLong()).isEqualTo(parisMidnight);
    }

    @Test
    void aTemplateThatFailsForOneRowRejectsThatRowWithTheReason() throws IOException {
        Mapping m = mapping(null, "  n: { template: \"{{ row.count }}\", type: integer }\n");

        assertThat(Json.write(m.map(row("count", 41L)))).isEqualTo("{\"n\":41}");
        assertThatThrownBy(() -> m.map(row("count", "many")))
                .isInstanceOf(RowMappingException.class)
                .hasMessage("template for n: 'many' is not a number (expected integer)");
    }
}
