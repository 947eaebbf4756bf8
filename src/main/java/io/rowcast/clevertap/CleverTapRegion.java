package io.rowcast.clevertap;

import java.util.List;
import java.util.Locale;

/** CleverTap data-centre regions and their API hosts; Europe is the default and has no prefix. */
public final class CleverTapRegion {

    static final List<String> PREFIXED = List.of("in1", "sg1", "us1", "aps3", "mec1");

    private CleverTapRegion() { }

    public static String baseUrl(String region) {
        String r = region == null || region.isBlank() ? "eu" : region.trim().toLowerCase(Locale.ROOT);
        if (r.equals("eu") || r.equals("eu1")) {
            return "https://api.clevertap.com";
        }
        if (PREFIXED.contains(r)) {
            return "https://" + r + ".api.clevertap.com";
        }
        throw new IllegalArgumentException("unknown CleverTap region '" + region + "'; use eu (the default), in1, sg1,"
                + " us1, aps3 or mec1, as shown under Settings > Project in the CleverTap dashboard");
    }
}
