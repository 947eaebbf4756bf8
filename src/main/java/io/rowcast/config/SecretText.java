package io.rowcast.config;

import java.util.regex.Pattern;

/**
 * Masks the values of secret-looking settings (passcode, password, secret, token, api key) in a text quoted
 * from a configuration file: a YAML parser's error quotes the offending line, which may hold one.
 */
public final class SecretText {

    private static final Pattern SECRET = Pattern.compile(
            "(?i)((?:passcode|password|passwd|secret|token|api[-_]?key)[\\w.-]*\\s*[:=]\\s*)(?:\"[^\"]*\"|'[^']*'|[^\\s&,}\"']+)");

    private SecretText() { }

    public static String redact(String text) {
        return text == null ? null : SECRET.matcher(text).replaceAll("$1****");
    }
}
