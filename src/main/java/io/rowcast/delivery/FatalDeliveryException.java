package io.rowcast.delivery;

/**
 * An error no retry can fix (bad credentials, a malformed request): the run stops, nothing in
 * the failed request is marked delivered, and the message says what to check. It never carries secrets.
 */
public class FatalDeliveryException extends RuntimeException {
    public FatalDeliveryException(String message) { super(message, null, false, false); }
}
