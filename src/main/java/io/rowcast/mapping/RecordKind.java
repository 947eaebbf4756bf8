package io.rowcast.mapping;

import java.util.Arrays;
import java.util.Map;

/**
 * What a mapping produces: the fields every record of a kind carries and the objects it always has.
 * Which fields a kind accepts and requires is the JSON Schema's business (mapping.schema.json).
 */
public enum RecordKind {
    CLEVERTAP_EVENT("clevertap", "event", Map.of("type", "event"), "evtData"),
    CLEVERTAP_PROFILE("clevertap", "profile", Map.of("type", "profile"), "profileData"),
    HYPERLINE_USAGE("hyperline", "usage", Map.of(), "record"),
    CORRELATED_USER("correlated", "user", Map.of(), null),
    CORRELATED_ACCOUNT("correlated", "account", Map.of(), null),
    CORRELATED_EVENT("correlated", "event", Map.of(), null),
    HIGHTOUCH_IDENTIFY("hightouch", "identify", Map.of("type", "identify"), null),
    HIGHTOUCH_TRACK("hightouch", "track", Map.of("type", "track"), null),
    HIGHTOUCH_PAGE("hightouch", "page", Map.of("type", "page"), null),
    HIGHTOUCH_SCREEN("hightouch", "screen", Map.of("type", "screen"), null),
    HTTP_PAYLOAD("http", "payload", Map.of(), null);

    private final String destination;
    private final String record;
    private final Map<String, String> fixedFields;
    private final String requiredObject;

    RecordKind(String destination, String record, Map<String, String> fixedFields, String requiredObject) {
        this.destination = destination;
        this.record = record;
        this.fixedFields = fixedFields;
        this.requiredObject = requiredObject;
    }

    public String destination() { return destination; }
    public String record() { return record; }
    /** Written first in every record, e.g. "type": "event". */
    public Map<String, String> fixedFields() { return fixedFields; }
    /** An object the destination requires, present even when nothing is mapped into it (CleverTap's evtData). */
    public String requiredObject() { return requiredObject; }

    /** Whether a row that left the model can become a destination delete (mirror, removedRows: delete). */
    public boolean deletable() { return this == CLEVERTAP_PROFILE; }

    public static RecordKind find(String destination, String record) {
        return Arrays.stream(values())
                .filter(k -> k.destination.equals(destination) && k.record.equals(record))
                .findFirst().orElse(null);
    }
}
