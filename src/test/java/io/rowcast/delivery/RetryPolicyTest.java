package io.rowcast.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2));

    @RepeatedTest(20)
    void backoffGrowsExponentiallyWithJitterAndStaysUnderTheCap() {
        assertThat(policy.backoff(1, Optional.empty()).toMillis()).isBetween(50L, 100L);
        assertThat(policy.backoff(3, Optional.empty()).toMillis()).isBetween(200L, 400L);
        assertThat(policy.backoff(20, Optional.empty()).toMillis()).isBetween(1000L, 2000L);
    }

    @Test
    void retryAfterWinsOverAShorterBackoffButIsCapped() {
        assertThat(policy.backoff(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.backoff(1, Optional.of(Duration.ofHours(5)))).isEqualTo(RetryPolicy.MAX_RETRY_AFTER);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(RetryPolicy.parseRetryAfter("12")).contains(Duration.ofSeconds(12));
        assertThat(RetryPolicy.parseRetryAfter(null)).isEmpty();
        assertThat(RetryPolicy.parseRetryAfter("soon")).isEmpty();
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
        assertThat(RetryPolicy.parseRetryAfter(inAMinute).orElseThrow()).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
    }

    @Test
    void onlyThrottlingTimeoutsAndServerErrorsAreRetryable() {
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(500)).isTrue();
        assertThat(RetryPolicy.retryable(503)).isTrue();
        assertThat(RetryPolicy.retryable(408)).isTrue();
        assertThat(RetryPolicy.retryable(400)).isFalse();
        assertThat(RetryPolicy.retryable(401)).isFalse();
        assertThat(RetryPolicy.retryable(200)).isFalse();
    }
}
