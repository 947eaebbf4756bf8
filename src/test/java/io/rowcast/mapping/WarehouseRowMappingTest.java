package io.rowcast.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.testing.TestPostgres;
import io.rowcast.warehouse.Row;
import io.rowcast.warehouse.RowCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Mapping rows as PostgreSQL returns them: labels folded to lower case, and floats that JSON cannot carry. */
class WarehouseRowMappingTest {

    @TempDir Path dir;

    private final DriverManagerDataSource postgres = new DriverManagerDataSource(TestPostgres.url("mapping_rows"), "postgres", "postgres");

    private Mapping mapping() throws Exception {
        return profile("""
                  profileData.Name: firstName
                passthrough:
                  into: profileData
                """);
    }

    /** A CleverTap profile mapping with identity from userId, then {@code rest} (more fields, passthrough). */
    private Mapping profile(String rest) throws Exception {
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, "destination: clevertap\nrecord: profile\nfields:\n  identity: userId\n" + rest);
        return MappingLoader.load(file);
    }

    private Row row(String select) throws Exception {
        try (RowCursor rows = RowCursor.open(postgres, select, 10)) {
            return rows.next();
        }
    }

    @Test
    void camelCaseNamesInTheMappingReadPostgresFoldedColumnsAndPassthroughCopiesOthersOnce() throws Exception {
        Row row = row("SELECT 'u-1' AS userId, 'Ada' AS firstName, 'pro' AS plan");
        assertThat(row.keySet()).as("PostgreSQL folds unquoted names").containsExactly("userid", "firstname", "plan");

        JsonNode record = mapping().map(row);

        assertThat(record.path("identity").asText()).isEqualTo("u-1");
        assertThat(record.path("profileData").path("Name").asText()).isEqualTo("Ada");
        assertThat(record.path("profileData").path("plan").asText()).isEqualTo("pro");
        assertThat(record.path("profileData").has("firstname")).as("a mapped column is not passed through too").isFalse();
    }

    /**
     * Templates read columns as from: does, whatever the case PostgreSQL folded them to; passthrough's except is
     * compared so too. What templates and except name that the model lacks is for validate to warn of.
     */
    @Test
    void templatesAndExceptNameColumnsAsSqlDoes() throws Exception {
        Mapping mapping = profile("""
                  profileData.Name: { template: "{{ row.firstName }} {{ row['lastName'] }}" }
                passthrough:
                  into: profileData
                  except: [SSN]
                """);
        Row row = row("SELECT 'u-1' AS userId, 'Ada' AS firstName, 'Lovelace' AS lastName, '123' AS ssn, 'pro' AS plan");

        JsonNode record = mapping.map(row);

        assertThat(record.path("profileData").path("Name").asText()).isEqualTo("Ada Lovelace");
        assertThat(record.path("profileData").has("ssn")).as("except: SSN is the model's ssn").isFalse();
        assertThat(record.path("profileData").path("plan").asText()).isEqualTo("pro");
        assertThat(mapping.templateColumns()).containsExactlyInAnyOrder("firstName", "lastName");
        assertThat(MappingLoader.missingColumns(mapping, List.of("userid", "firstname", "plan"))).as("from: only").isEmpty();
        assertThat(MappingLoader.doubtfulColumns(mapping, List.of("userid", "firstname", "plan")))
                .as("a missing column a template reads, or one except names").containsExactly("SSN", "lastName");
    }

    /**
     * A map column (PostgreSQL's hstore) is read as JSON text, keys sorted: its Java text ({a=1, b=2}) is the same
     * for two different maps, so a change could look like none, and the destination got text it could not read.
     */
    @Test
    void aMapColumnIsReadAsJsonText() throws Exception {
        new org.springframework.jdbc.core.JdbcTemplate(postgres).execute("CREATE EXTENSION IF NOT EXISTS hstore");
        Object one = row("SELECT 'b=>2, a=>1'::hstore AS h").get("h");
        Object other = row("SELECT 'a=>\"1, b=2\"'::hstore AS h").get("h");

        assertThat(one).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(other).isEqualTo("{\"a\":\"1, b=2\"}");
        assertThat(row("SELECT 'a=>NULL'::hstore AS h").get("h")).isEqualTo("{\"a\":null}");
    }

    /** Two columns differing only in case stay apart in templates, as they do for from:. */
    @Test
    void columnsDifferingOnlyInCaseStayApartInTemplates() throws Exception {
        Mapping mapping = profile("""
                  profileData.Name: { template: "{{ row.Email }}|{{ row.email }}" }
                """);
        Row row = row("SELECT 'u-1' AS userId, 'A@x.io' AS \"Email\", 'a@x.io' AS email");

        assertThat(mapping.map(row).path("profileData").path("Name").asText()).isEqualTo("A@x.io|a@x.io");
    }

    @Test
    void aNaNIsRefusedNamingItsColumn() throws Exception {
        Row row = row("SELECT 'u-1' AS userId, 'Ada' AS firstName, CAST('NaN' AS FLOAT8) AS score");

        assertThatThrownBy(() -> mapping().map(row)).isInstanceOf(RowMappingException.class)
                .hasMessageContaining("column score").hasMessageContaining("NaN has no JSON form");
    }
}
