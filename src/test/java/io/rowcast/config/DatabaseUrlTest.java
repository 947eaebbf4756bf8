package io.rowcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A database URL no driver takes is refused by name, and the message never carries a password from it. */
class DatabaseUrlTest {

    @Test
    void aMistypedUrlIsRefusedNamingTheSettingWithoutItsPassword() {
        RowcastProperties props = new RowcastProperties();
        props.getWarehouse().setUrl("jdbc:postgres://rowcast:S3cret-pw@db.example.com/warehouse?sslmode=require&password=S3cret-pw");

        assertThatThrownBy(() -> new DataSourcesConfig().warehouseDataSource(props))
                .hasMessageContaining("No JDBC driver accepts rowcast.warehouse.url")
                .hasMessageContaining("jdbc:postgres://rowcast:****@db.example.com/warehouse?sslmode=require&password=****")
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("S3cret")
                .hasNoCause();
    }

    @Test
    void tokensAndSecretsInTheQueryAreMaskedToo() {
        assertThat(DataSourcesConfig.redacted("jdbc:duckdb:md:db?motherduck_token=abc.def&x=1;secret=zz"))
                .isEqualTo("jdbc:duckdb:md:db?motherduck_token=****&x=1;secret=****");
        assertThat(DataSourcesConfig.redacted("jdbc:postgresql://db/warehouse")).isEqualTo("jdbc:postgresql://db/warehouse");
    }

    @Test
    void aPasswordHoldingSlashesQuestionMarksOrAtSignsIsMaskedWhole() {
        assertThat(DataSourcesConfig.redacted("jdbc:postgresql://rowcast:ab/cd@db/x")).isEqualTo("jdbc:postgresql://rowcast:****@db/x");
        assertThat(DataSourcesConfig.redacted("jdbc:postgresql://rowcast:p@ss?w/rd@db:5432/x"))
                .isEqualTo("jdbc:postgresql://rowcast:****@db:5432/x");
    }
}
