package io.rowcast.mapping;

/** A row that cannot be mapped; the row is rejected with this message and the batch goes on. */
public class RowMappingException extends RuntimeException {
    public RowMappingException(String message) { super(message, null, false, false); }
}
