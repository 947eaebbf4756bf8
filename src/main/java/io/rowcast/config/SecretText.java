package io.rowcast.config;

import java.util.regex.Pattern;

/**
 * Masks the values of secret-looking settings (passcode, password, secret, token, api key) in a text quoted
 * from a configuration file: a YAML parser's error quotes the offending line, which may hold one.
 */
public final class SecretText {

    /**
     * A key ending in one of the secret words (access_token, clientSecret; not token_count), quoted or not, then
     * the value: quoted (the closing quote may be what is missing), or up to the end of the line or the next
     * {@code &} of a URI's query.
     */
    private static final Pattern SECRET = Pattern.compile(
            "(?i)((?<![\\w-])[\\w.-]*(?:passcode|password|passwd|secret|token|api[-_]?key)[\"']?\\s*[:=]\\s*)"
                    + "(?:\"[^\"\\n]*\"?|'[^'\\n]*(?:''[^'\\n]*)*'?|[^\\s&][^\\n&]*)");

    private SecretText() { }

    public static String redact(String text) {
        return text == null ? null : SECRET.matcher(text).replaceAll("$1****");
    }
}
