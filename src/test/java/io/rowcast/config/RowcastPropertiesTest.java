package io.rowcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RowcastPropertiesTest {

    /** A lease of 3 ms was taken, and every run then failed scheduling renewals every 0 ms. */
    @Test
    void aLeaseShorterThanASecondIsRefusedSayingWhy() {
        RowcastProperties properties = new RowcastProperties();

        assertThatThrownBy(() -> properties.setLease(Duration.ofMillis(3))).hasMessageContaining("rowcast.lease must be at least 1s");
        properties.setLease(Duration.ofSeconds(30));
        assertThat(properties.getLease()).isEqualTo(Duration.ofSeconds(30));
    }
}
