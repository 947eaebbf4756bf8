package io.rowcast;

/** What went wrong at the bottom of an exception's causes, as errors, health and logs say it. */
public final class RootCause {

    private RootCause() { }

    /** The innermost cause's message, or its class and nothing else when it has none. */
    public static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
