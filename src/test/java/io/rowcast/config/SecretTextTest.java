package io.rowcast.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTextTest {

    @Test
    void secretLookingSettingsAreMaskedInYamlAndUriForms() {
        assertThat(SecretText.redact("   passcode: hunter2\n   ^")).isEqualTo("   passcode: ****\n   ^");
        assertThat(SecretText.redact("clevertap:upload?batchSize=10&passcode=hunter2&region=eu"))
                .isEqualTo("clevertap:upload?batchSize=10&passcode=****&region=eu");
        assertThat(SecretText.redact("password: \"a b c\"")).isEqualTo("password: ****");
        assertThat(SecretText.redact("query: SELECT * FROM orders")).isEqualTo("query: SELECT * FROM orders");
        assertThat(SecretText.redact("passcode: \"hunter2\n^")).as("an unclosed quote").isEqualTo("passcode: ****\n^");
        assertThat(SecretText.redact("\"passcode\": \"x\"")).isEqualTo("\"passcode\": ****");
        assertThat(SecretText.redact("passcode: hunter 2")).isEqualTo("passcode: ****");
        assertThat(SecretText.redact("passcode: 'ab''cd'")).isEqualTo("passcode: ****");
        assertThat(SecretText.redact("access_token=abc&x=1")).isEqualTo("access_token=****&x=1");
        assertThat(SecretText.redact("WHERE token_count = 5")).isEqualTo("WHERE token_count = 5");
    }
}
