package io.rowcast.clevertap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Delivery options that cannot work fail the route's start, saying which: they used to fail each request
 * instead, and every row was refused until dead.
 */
class CleverTapOptionsTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "maxAttempts=0            | maxAttempts must be at least 1",
        "requestTimeoutMillis=0   | requestTimeoutMillis must be at least 1",
        "initialBackoffMillis=-1  | initialBackoffMillis must not be negative",
        "maxBackoffMillis=-5      | maxBackoffMillis must not be negative"})
    void anOptionThatCannotWorkFailsTheRoutesStart(String option, String message) {
        camel.addComponent("clevertap", new CleverTapComponent());
        camel.start();
        CleverTapEndpoint endpoint = camel.getEndpoint("clevertap:upload?baseUrl=http://127.0.0.1:9&" + option,
                CleverTapEndpoint.class);
        endpoint.getConfiguration().setAccountId("ACC");
        endpoint.getConfiguration().setPasscode("PASS");

        assertThatThrownBy(endpoint::connect).hasMessageContaining("clevertap: " + message);
    }
}
