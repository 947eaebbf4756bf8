package io.rowcast.config;

import javax.sql.DataSource;

import io.rowcast.clevertap.CleverTapComponent;
import io.rowcast.clevertap.CleverTapConfiguration;
import io.rowcast.delivery.DeliveryOptions;
import io.rowcast.mapping.MappingComponent;
import io.rowcast.state.StateStore;
import io.rowcast.warehouse.WarehouseComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NoErrorHandlerBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires Rowcast's Camel components to its settings, databases and (in the demo) the sandbox. */
@Configuration
public class RowcastConfig {

    @Bean
    public StateStore stateStore(@Qualifier("stateDataSource") DataSource stateDataSource) {
        StateStore store = new StateStore(stateDataSource);
        store.migrate();
        return store;
    }

    @Bean("warehouse")
    public WarehouseComponent warehouseComponent(@Qualifier("warehouseDataSource") DataSource warehouse,
                                                 StateStore stateStore, RowcastProperties props) {
        WarehouseComponent component = new WarehouseComponent(warehouse, stateStore);
        component.setSchedulerEnabled(props.isSchedulerEnabled());
        component.setRunOnStart(props.isRunOnStart());
        component.setLease(props.getLease());
        return component;
    }

    @Bean("mapping")
    public MappingComponent mappingComponent(RowcastProperties props) {
        MappingComponent component = new MappingComponent();
        component.setMappingsDir(props.getMappingsDir());
        return component;
    }

    @Bean("clevertap")
    public CleverTapComponent cleverTapComponent(RowcastProperties props, Environment env) {
        RowcastProperties.CleverTap ct = props.getDestinations().getClevertap();
        CleverTapConfiguration config = new CleverTapConfiguration();
        config.setRegion(ct.getRegion());
        config.setBaseUrl(ct.getBaseUrl());
        applyDelivery(ct, config);
        config.setAccountId(ct.getAccountId());
        config.setPasscode(ct.getPasscode());
        CleverTapComponent component = new CleverTapComponent();
        if (props.sandboxEnabled() && ct.hasNoCredentials()) {
            config.setAccountId(SandboxConfig.CLEVERTAP_ACCOUNT_ID);
            config.setPasscode(SandboxConfig.CLEVERTAP_PASSCODE);
            if (ct.getBaseUrl() == null || ct.getBaseUrl().isBlank()) {
                component.setBaseUrlSupplier(() -> SandboxConfig.localBaseUrl(env) + "/sandbox/clevertap");
            }
        }
        component.setConfiguration(config);
        return component;
    }

    /** The one place the shared rowcast.destinations.*.delivery settings become endpoint options. */
    static void applyDelivery(RowcastProperties.Delivery from, DeliveryOptions to) {
        to.setMaxAttempts(from.getMaxAttempts());
        to.setInitialBackoffMillis(from.getInitialBackoff().toMillis());
        to.setMaxBackoffMillis(from.getMaxBackoff().toMillis());
        to.setRequestTimeoutMillis(from.getRequestTimeout().toMillis());
        to.setMaxConcurrentRequests(from.getMaxConcurrentRequests());
    }

    /**
     * Failures are outcomes, not log noise: the sync run records and reports them, so Camel's default
     * error handler (which would log each failed exchange) is replaced by none.
     */
    @Bean
    public CamelContextConfiguration rowcastCamelContext() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerBuilder());
            }

            @Override
            public void afterApplicationStart(CamelContext context) { }
        };
    }
}
