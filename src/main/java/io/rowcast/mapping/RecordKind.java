package io.rowcast.mapping;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a mapping produces for a destination: the fields every record of that kind carries,
 * the fields a mapping must map, and the top-level fields it may map.
 */
public enum RecordKind {
    CLEVERTAP_EVENT("clevertap", "event", Map.of("type", "event"),
            List.of("identity", "evtName", "evtData"),
            Set.of("identity", "FBID", "GPID", "objectId", "ts", "evtName", "evtData")),
    CLEVERTAP_PROFILE("clevertap", "profile", Map.of("type", "profile"),
            List.of("identity", "profileData"),
            Set.of("identity", "FBID", "GPID", "objectId", "ts", "profileData"));

    private final String destination;
    private final String record;
    private final Map<String, String> fixedFields;
    private final List<String> requiredFields;
    private final Set<String> topLevelFields;

    RecordKind(String destination, String record, Map<String, String> fixedFields, List<String> requiredFields,
               Set<String> topLevelFields) {
        this.destination = destination;
        this.record = record;
        this.fixedFields = new LinkedHashMap<>(fixedFields);
        this.requiredFields = requiredFields;
        this.topLevelFields = topLevelFields;
    }

    public String destination() { return destination; }
    public String record() { return record; }
    public Map<String, String> fixedFields() { return fixedFields; }
    public List<String> requiredFields() { return requiredFields; }
    public Set<String> topLevelFields() { return topLevelFields; }

    public static RecordKind find(String destination, String record) {
        return Arrays.stream(values())
                .filter(k -> k.destination.equals(destination) && k.record.equals(record))
                .findFirst().orElse(null);
    }

    public static String known() {
        return Arrays.stream(values()).map(k -> k.destination + " " + k.record).collect(Collectors.joining(", "));
    }
}
