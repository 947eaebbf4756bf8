package io.rowcast.clevertap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Credentials as Kubernetes mounts them (a file ending in a line break) work, and a broken one is never echoed. */
class CleverTapCredentialsTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    private CleverTapEndpoint endpoint(String accountId, String passcode) {
        camel.addComponent("clevertap", new CleverTapComponent());
        camel.start();
        CleverTapEndpoint endpoint = camel.getEndpoint("clevertap:upload?baseUrl=http://127.0.0.1:9", CleverTapEndpoint.class);
        endpoint.getConfiguration().setAccountId(accountId);
        endpoint.getConfiguration().setPasscode(passcode);
        return endpoint;
    }

    @Test
    void aTrailingLineBreakIsNotSentAsPartOfThePasscode() {
        var request = endpoint("ACC-1\n", "s3cret-pass\n").client().uploadRequest(List.of());

        assertThat(request.headers().firstValue(CleverTapClient.PASSCODE_HEADER)).contains("s3cret-pass");
        assertThat(request.headers().firstValue(CleverTapClient.ACCOUNT_HEADER)).contains("ACC-1");
    }

    @Test
    void aControlCharacterInsideThePasscodeIsRefusedWithoutEchoingIt() {
        CleverTapEndpoint endpoint = endpoint("ACC-1", "s3cret\npass");

        assertThatThrownBy(endpoint::client).hasMessageContaining("control character")
                .hasMessageContaining("rowcast.destinations.clevertap.account-id and .passcode")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("pass\n");
    }
}
