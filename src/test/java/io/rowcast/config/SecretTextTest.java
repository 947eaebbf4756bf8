package io.rowcast.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTextTest {

    @Test
    void secretLookingSettingsAreMaskedInYamlAndUriForms() {
        assertThat(SecretText.redact("   passcode: hunter2\n   ^")).isEqualTo("   passcode: ****\n   ^");
        assertThat(SecretText.redact("clevertap:upload?batchSize=10&passcode=hunter2&region=eu"))
                .isEqualTo("clevertap:upload?batchSize=10&passcode=****&region=eu");
        assertThat(SecretText.redact("password: \"a b c\", apiKey='x y'")).isEqualTo("password: ****, apiKey=****");
        assertThat(SecretText.redact("query: SELECT * FROM orders")).isEqualTo("query: SELECT * FROM orders");
    }
}
