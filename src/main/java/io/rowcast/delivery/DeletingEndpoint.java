package io.rowcast.delivery;

/** A destination endpoint that turns rows marked {@code removed} into deletes; mirror mode requires one. */
public interface DeletingEndpoint { }
