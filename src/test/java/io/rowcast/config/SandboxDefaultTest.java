package io.rowcast.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sandbox stands in for CleverTap in the demo only: never for a real warehouse whose credentials did not arrive. */
class SandboxDefaultTest {

    private static RowcastProperties props(String warehouseUrl, String accountId, String passcode) {
        RowcastProperties props = new RowcastProperties();
        props.getWarehouse().setUrl(warehouseUrl);
        props.getDestinations().getClevertap().setAccountId(accountId);
        props.getDestinations().getClevertap().setPasscode(passcode);
        return props;
    }

    @Test
    void theDemoWithoutCredentialsGetsTheSandbox() {
        assertThat(props(null, null, null).sandboxEnabled()).isTrue();
        assertThat(props("  ", "", null).sandboxEnabled()).isTrue();
    }

    @Test
    void aRealWarehouseWithoutCredentialsDoesNot() {
        assertThat(props("jdbc:postgresql://db/warehouse", null, null).sandboxEnabled()).isFalse();
    }

    @Test
    void halfTheCredentialsIsAMistakeNotADemo() {
        assertThat(props(null, "ACC-1", null).sandboxEnabled()).isFalse();
        assertThat(props(null, null, "secret").sandboxEnabled()).isFalse();
        assertThat(props(null, "ACC-1", "secret").sandboxEnabled()).isFalse();
    }

    @Test
    void saidOutrightItIsServedAnyway() {
        RowcastProperties props = props("jdbc:postgresql://db/warehouse", null, null);
        props.getSandbox().setEnabled(true);
        assertThat(props.sandboxEnabled()).isTrue();
    }
}
