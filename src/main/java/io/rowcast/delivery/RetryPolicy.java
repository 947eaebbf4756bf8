package io.rowcast.delivery;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a request again and how long to wait: exponential back-off with jitter, or the
 * server's Retry-After when it sends one (capped so a bad header cannot park a run for hours).
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(15);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1");
        }
    }

    /** 408, 429 and every 5xx are worth another try; other statuses are answers. */
    public static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The wait before attempt {@code attempt + 1}: half the exponential step plus a random half. */
    public Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long cap = maxBackoff.toMillis();
        long step = Math.min(cap, initialBackoff.toMillis() << Math.min(attempt - 1, 30));
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        long serverSays = retryAfter.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, Math.min(serverSays, MAX_RETRY_AFTER.toMillis())));
    }

    /** Retry-After as seconds or as an HTTP date. */
    public static Optional<Duration> parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
