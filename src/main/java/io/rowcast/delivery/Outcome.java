package io.rowcast.delivery;

/** What the destination (or the mapping) said about one record: accepted, or rejected with a code and a reason. */
public record Outcome(boolean accepted, String code, String reason) {

    private static final Outcome ACCEPTED = new Outcome(true, null, null);

    public static Outcome accept() { return ACCEPTED; }

    public static Outcome rejected(String code, String reason) {
        return new Outcome(false, code, reason);
    }
}
