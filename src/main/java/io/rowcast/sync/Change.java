package io.rowcast.sync;

/** What happened to a row since the last run, by primary key. */
public enum Change {
    ADDED, CHANGED, REMOVED;

    public String value() { return name().toLowerCase(); }
}
