package io.rowcast.config;

import io.rowcast.clevertap.sandbox.CleverTapSandbox;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The sandbox destinations, served when rowcast.sandbox.enabled is true (by default, when no credentials are set). */
@Configuration
@Conditional(SandboxConfig.Enabled.class)
public class SandboxConfig {

    public static final String CLEVERTAP_ACCOUNT_ID = "SANDBOX-ACCOUNT";
    public static final String CLEVERTAP_PASSCODE = "sandbox-passcode";

    @Bean
    public CleverTapSandbox cleverTapSandbox() {
        return new CleverTapSandbox(CLEVERTAP_ACCOUNT_ID, CLEVERTAP_PASSCODE);
    }

    /** This process's own address; read late because the port is chosen when the web server starts. */
    static String localBaseUrl(Environment env) {
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        return "http://127.0.0.1:" + port;
    }

    public static class Enabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            RowcastProperties props = Binder.get(context.getEnvironment())
                    .bind("rowcast", RowcastProperties.class).orElseGet(RowcastProperties::new);
            return props.sandboxEnabled();
        }
    }
}
