package io.rowcast.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mapping files load strictly. The corpus in src/test/resources/mappings/broken holds one broken file per
 * mistake; the expected problems, each {@code line:column: message}, are listed in EXPECTED below.
 */
class MappingLoaderTest {

    static final Path BROKEN = Path.of("src/test/resources/mappings/broken");

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("01-unknown-top-key.yaml", List.of(
                        "1:1: missing 'fields' in the file",
                        "3:1: unknown key 'feilds'; a mapping has destination, record, zone, fields and passthrough")),
                Arguments.of("02-missing-fields.yaml", List.of("1:1: missing 'fields' in the file")),
                Arguments.of("03-unknown-destination.yaml", List.of(
                        "1:14: 'destination' is 'salesforce'; use clevertap, hyperline, correlated, hightouch, http")),
                Arguments.of("04-unknown-record-kind.yaml", List.of("2:9: 'record' is 'purchase'; use event, profile")),
                Arguments.of("05-unknown-type.yaml", List.of(
                        "5:39: 'type' is 'number'; use string, integer, decimal, boolean, json, epoch-seconds, epoch-millis, iso-timestamp")),
                Arguments.of("06-required-field-missing.yaml", List.of(
                        "4:3: required field 'evtName' is not mapped; add 'evtName: <column>' under fields")),
                Arguments.of("07-no-identity.yaml", List.of(
                        "3:1: map one of identity, FBID, GPID, objectId: add it under fields, for example 'identity: <column>'")),
                Arguments.of("08-field-not-of-kind.yaml", List.of(
                        "6:3: 'profileData.Name' is not a field of this destination's record; it must start with one of"
                                + " identity, FBID, GPID, objectId, ts, evtName, evtData (see the README)")),
                Arguments.of("09-from-and-value.yaml", List.of(
                        "4:13: field 'identity' needs exactly one of 'from' (a column), 'value' (a static value) or 'template' (Liquid)")),
                Arguments.of("10-unknown-field-option.yaml", List.of(
                        "4:13: field 'identity' needs exactly one of 'from' (a column), 'value' (a static value) or 'template' (Liquid)",
                        "4:15: unknown key 'form'; a field takes from, value or template, and type, default, required, drop-nulls")),
                Arguments.of("11-bad-zone.yaml", List.of(
                        "3:7: unknown time zone 'Mars/Olympus'; use an IANA name such as UTC or Europe/Paris")),
                Arguments.of("12-empty-path-segment.yaml", List.of(
                        "6:3: 'evtData..amount' is not a target path: use names joined by single dots, for example context.device.id")),
                Arguments.of("13-broken-yaml.yaml", List.of("3:7: not valid YAML: expected ',' or ']', but got :")),
                Arguments.of("14-invalid-liquid.yaml", List.of("5:24: invalid Liquid template: parser error \"no viable alternative at input '{{ row.kind | upcase '\"")),
                Arguments.of("15-static-not-a-number.yaml", List.of(
                        "6:28: value of 'evtData.amount': 'twelve' is not a number (the field's type is decimal)")),
                Arguments.of("16-required-not-boolean.yaml", List.of("6:45: 'required' must be boolean, not string")),
                Arguments.of("17-track-without-event.yaml", List.of(
                        "4:3: required field 'event' is not mapped; add 'event: <column>' under fields")),
                Arguments.of("18-hightouch-no-user.yaml", List.of(
                        "3:1: map one of userId, anonymousId: add it under fields, for example 'userId: <column>'")),
                Arguments.of("19-hyperline-no-record-id.yaml", List.of(
                        "4:3: required field 'record.id' is not mapped; add 'record.id: <column>' under fields")),
                Arguments.of("20-correlated-user-no-email.yaml", List.of(
                        "4:3: required field 'email' is not mapped; add 'email: <column>' under fields")),
                Arguments.of("21-passthrough-wrong-object.yaml", List.of("7:9: 'into' is 'profileData'; use evtData")),
                Arguments.of("22-empty-file.yaml", List.of("the file is empty; a mapping has destination, record and fields")),
                Arguments.of("23-field-is-a-list.yaml", List.of("4:13: 'identity' must be string or object, not array")),
                Arguments.of("24-bad-default-timestamp.yaml", List.of(
                        "6:57: default of 'ts': 'yesterday' is not a timestamp (the field's type is epoch-seconds)")),
                Arguments.of("25-duplicate-key.yaml", List.of(
                        "6:3: 'evtName' is given twice (first on line 5); YAML keeps only the last, so say it once")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void aBrokenMappingSaysWhereAndWhatToDo(String name, List<String> expected) {
        Path file = BROKEN.resolve(name);

        assertThatThrownBy(() -> MappingLoader.load(file))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    List<String> problems = e.problems().stream().map(p -> p.substring(p.indexOf(name) + name.length() + 1)).toList();
                    assertThat(problems).as(String.join("\n", e.problems())).hasSameSizeAs(expected);
                    for (int i = 0; i < expected.size(); i++) {
                        assertThat(problems.get(i).trim()).startsWith(expected.get(i));
                    }
                    assertThat(e.problems()).allSatisfy(p -> assertThat(p).startsWith(file.toString()));
                });
    }

    /**
     * YAML 1.1, which SnakeYAML reads, takes yes and on for true, and 01234 for a number (octal, even): a flag
     * must mean what it says, and a static value keep the digits written.
     */
    @Test
    void yamlBooleansAndNumbersWithLeadingZerosMeanWhatTheySay(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, """
                destination: http
                record: payload
                fields:
                  flag: { value: yes }
                  on_: { value: On }
                  off_: { value: no }
                  zip: { value: 01234, type: string }
                  hex: { value: 0x1F, type: string }
                  plain: { value: 12.50 }
                  name: { from: name, required: yes }
                """);
        Mapping m = MappingLoader.load(file);

        assertThat(m.map(java.util.Map.of("name", "Ada")).toString())
                .isEqualTo("{\"flag\":true,\"on_\":true,\"off_\":false,\"zip\":\"01234\",\"hex\":\"0x1F\",\"plain\":12.50,\"name\":\"Ada\"}");
        java.util.Map<String, Object> noName = new java.util.HashMap<>();
        noName.put("name", null);
        assertThatThrownBy(() -> m.map(noName)).as("required: yes is required").isInstanceOf(RowMappingException.class);
    }

    @Test
    void theCorpusCoversEveryFileAndHasTwentyOrMore() throws IOException {
        try (Stream<Path> files = Files.list(BROKEN)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(corpus().map(a -> (String) a.get()[0]).sorted().toList())
                    .hasSizeGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void theRepositoryMappingsLoad() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).forEach(MappingLoader::load);
        }
        Mapping charged = MappingLoader.load(Path.of("mappings/clevertap-charged.yaml"));
        assertThat(charged.kind()).isEqualTo(RecordKind.CLEVERTAP_EVENT);
        assertThat(charged.fields()).extracting(FieldMapping::target)
                .containsExactly("identity", "ts", "evtName", "evtData.txnId", "evtData.Amount", "evtData.Currency",
                        "evtData.Items", "evtData.payment_method");
    }
}
