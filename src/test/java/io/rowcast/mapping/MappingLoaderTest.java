package io.rowcast.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mapping files load strictly: each problem names the file, line and column and what to do. */
class MappingLoaderTest {

    @TempDir Path dir;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, text.replace('`', '"'));
        return file;
    }

    @Test
    void theRepositoryMappingLoads() {
        Mapping mapping = MappingLoader.load(Path.of("mappings/clevertap-charged.yaml"));

        assertThat(mapping.kind()).isEqualTo(RecordKind.CLEVERTAP_EVENT);
        assertThat(mapping.fields()).extracting(FieldMapping::target)
                .containsExactly("identity", "ts", "evtName", "evtData.txnId", "evtData.Amount", "evtData.Currency",
                        "evtData.Items", "evtData.payment_method");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown top-level key  | destination: clevertap\\nrecord: event\\nfeilds: {}                                         | 3:1: unknown key 'feilds'; expected one of destination, fields, record, zone",
        "unknown record kind    | destination: clevertap\\nrecord: purchase\\nfields: {identity: u}                          | 2:9: unknown record kind 'clevertap purchase'",
        "unknown type           | destination: clevertap\\nrecord: profile\\nfields:\\n  identity: u\\n  profileData.Age: {from: age, type: number} | 5:38: unknown type 'number'",
        "required not mapped    | destination: clevertap\\nrecord: event\\nfields:\\n  identity: u\\n  evtData.x: y          | 3:1: required field 'evtName' of a clevertap event is not mapped",
        "not a field of kind    | destination: clevertap\\nrecord: event\\nfields:\\n  identity: u\\n  evtName: {value: E}\\n  evtData.a: b\\n  profileData.x: y | 7:3: 'profileData' is not a field of a clevertap event",
        "from and value         | destination: clevertap\\nrecord: event\\nfields:\\n  identity: {from: u, value: v}\\n  evtName: {value: E}\\n  evtData.a: b | 4:13: field 'identity' needs exactly one of 'from' (a column) or 'value' (a static value)",
        "unknown field option   | destination: clevertap\\nrecord: event\\nfields:\\n  identity: {form: u}\\n  evtName: {value: E}\\n  evtData.a: b | 4:14: unknown key 'form'",
        "bad zone               | destination: clevertap\\nrecord: event\\nzone: Mars/Base\\nfields:\\n  identity: u\\n  evtName: {value: E}\\n  evtData.a: b | 3:7: unknown time zone 'Mars/Base'",
        "empty path segment     | destination: clevertap\\nrecord: event\\nfields:\\n  identity: u\\n  evtName: {value: E}\\n  evtData..a: b | 6:3: target path 'evtData..a' has an empty segment",
        "broken YAML            | destination: clevertap\\nrecord: [event\\n                                                          | not valid YAML"})
    void aBrokenMappingSaysWhereAndWhat(String why, String yaml, String expected) throws Exception {
        Path file = write(yaml.replace("\\n", "\n"));

        assertThatThrownBy(() -> MappingLoader.load(file))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining(file + ":")
                .hasMessageContaining(expected.trim());
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() throws Exception {
        Path file = write("destination: clevertap\nrecord: event\ncolour: blue\nfields:\n  identity: {form: u}\n");

        assertThatThrownBy(() -> MappingLoader.load(file))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(4));
    }
}
