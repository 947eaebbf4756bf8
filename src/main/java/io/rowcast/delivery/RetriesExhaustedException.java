package io.rowcast.delivery;

/** Every attempt hit a retryable failure; the records stay pending and go again next run. */
public class RetriesExhaustedException extends RuntimeException {

    private final String code;

    public RetriesExhaustedException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** HTTP_429, HTTP_503, TIMEOUT, CONNECTION… : the code recorded against each row. */
    public String code() { return code; }
}
