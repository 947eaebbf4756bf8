package io.rowcast.delivery;

/**
 * What the destination (or the mapping) said about one record: accepted, or rejected with a code and a reason.
 * {@code answered} is false when no answer about the record came (the destination kept failing: 429, 5xx,
 * time-outs, no connection): the row stays pending, and such a failure does not use up one of its attempts.
 */
public record Outcome(boolean accepted, String code, String reason, boolean answered) {

    private static final Outcome ACCEPTED = new Outcome(true, null, null, true);

    public static Outcome accept() { return ACCEPTED; }

    public static Outcome rejected(String code, String reason) {
        return new Outcome(false, code, reason, true);
    }

    /** Not delivered, and not refused either: the destination did not answer for it. */
    public static Outcome unanswered(String code, String reason) {
        return new Outcome(false, code, reason, false);
    }
}
