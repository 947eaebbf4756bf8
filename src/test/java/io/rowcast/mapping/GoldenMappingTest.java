package io.rowcast.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files, one per destination record kind: the row in golden/row.json through golden/KIND.yaml
 * must give exactly golden/KIND.expected.json, byte for byte (field order and decimal scale included).
 */
class GoldenMappingTest {

    static final Path GOLDEN = Path.of("src/test/resources/mappings/golden");

    static Stream<String> kinds() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aRowMapsToExactlyTheGoldenRecord(String kind) throws IOException {
        Mapping mapping = MappingLoader.load(GOLDEN.resolve(kind + ".yaml"));

        JsonNode record = mapping.map(row());

        assertThat(Json.write(record)).isEqualTo(Files.readString(GOLDEN.resolve(kind + ".expected.json")).trim());
    }

    @org.junit.jupiter.api.Test
    void everyRecordKindHasAGoldenFile() throws IOException {
        assertThat(kinds().toList()).hasSize(RecordKind.values().length);
    }

    /** The golden row as a warehouse would give it: decimals as BigDecimal, whole numbers as Long. */
    static Map<String, Object> row() throws IOException {
        JsonNode json = Json.MAPPER.readTree(GOLDEN.resolve("row.json").toFile());
        Map<String, Object> row = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            row.put(e.getKey(), v.isNull() ? null : v.isIntegralNumber() ? (Object) v.longValue()
                    : v.isNumber() ? v.decimalValue() : v.isBoolean() ? (Object) v.booleanValue() : v.asText());
        });
        return row;
    }
}
