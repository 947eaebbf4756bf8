package io.rowcast.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

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
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, """
                destination: clevertap
                record: profile
                fields:
                  identity: userId
                  profileData.Name: firstName
                passthrough:
                  into: profileData
                """);
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

    @Test
    void aNaNIsRefusedNamingItsColumn() throws Exception {
        Row row = row("SELECT 'u-1' AS userId, 'Ada' AS firstName, CAST('NaN' AS FLOAT8) AS score");

        assertThatThrownBy(() -> mapping().map(row)).isInstanceOf(RowMappingException.class)
                .hasMessageContaining("column score").hasMessageContaining("NaN has no JSON form");
    }
}
