package io.rowcast.sync;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a run ended; the CLI's exit code follows it. */
public enum RunStatus {
    RUNNING(-1), SUCCESS(0), PARTIAL(1), FAILED(2);

    private final int exitCode;

    RunStatus(int exitCode) { this.exitCode = exitCode; }

    public int exitCode() { return exitCode; }

    @JsonValue
    public String value() { return name().toLowerCase(); }

    public static RunStatus of(String value) { return valueOf(value.toUpperCase()); }
}
