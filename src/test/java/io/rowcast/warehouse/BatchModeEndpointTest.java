package io.rowcast.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** In batch mode (the CLI) only the command runs a sync: a route's own runOnStart or schedule does not. */
class BatchModeEndpointTest {

    private static WarehouseEndpoint endpoint(boolean schedulerEnabled) {
        WarehouseComponent component = new WarehouseComponent();
        component.setSchedulerEnabled(schedulerEnabled);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent("warehouse", component);
        return camel.getEndpoint("warehouse:orders?query=SELECT 1 AS id&primaryKey=id&runOnStart=true", WarehouseEndpoint.class);
    }

    @Test
    void aRoutesRunOnStartIsIgnoredInBatchModeAndKeptOtherwise() {
        assertThat(endpoint(false).isRunOnStart()).isFalse();
        assertThat(endpoint(false).isStartScheduler()).isFalse();
        assertThat(endpoint(true).isRunOnStart()).isTrue();
    }
}
