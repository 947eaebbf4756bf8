package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rowcast.RowcastApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * One broken sync never stops the others: a project with one good route and five broken ones (an invalid
 * mapping file, a mapping reading a column the model lacks, a misspelt option, an option the mapping step lacks, a CleverTap batch too large), a route
 * file that does not parse and one repeating the good route's id starts, runs the good one, refuses the broken
 * ones and files with their reason, and reports them on the health endpoint.
 */
class BrokenSyncIsolationTest {

    @Test
    void theGoodSyncRunsAndTheBrokenOnesAreReported() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "broken-project");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RowcastApplication.class).run(
                "--camel.main.name=broken-project", "--server.port=0", "--rowcast.run-on-start=false",
                "--rowcast.data-dir=" + data,
                "--camel.main.routes-include-pattern=file:src/test/resources/broken-project/routes/*.yaml",
                "--rowcast.mappings-dir=src/test/resources/broken-project/mappings",
                "--camel.routecontroller.back-off-delay=100", "--camel.routecontroller.back-off-max-attempts=1")) {
            SyncTrigger syncs = app.getBean(SyncTrigger.class);

            assertThat(syncs.run("orders-to-clevertap").orElseThrow().accepted()).isEqualTo(25);
            assertThatThrownBy(() -> syncs.run("broken-mapping"))
                    .hasMessageContaining("route 'broken-mapping' is not running")
                    .hasMessageContaining("required field 'evtName' is not mapped");
            assertThatThrownBy(() -> syncs.run("wrong-column"))
                    .hasMessageContaining("mapping wrong-column.yaml reads column(s) [customer_number]");
            assertThatThrownBy(() -> syncs.run("unknown-option"))
                    .hasMessageContaining("warehouse:unknown-option has unknown option(s) [batchSise]");
            assertThatThrownBy(() -> syncs.run("mapping-option"))
                    .hasMessageContaining("mapping:clevertap-charged.yaml has unknown option(s) [zone]");
            assertThatThrownBy(() -> syncs.run("too-large-batch"))
                    .hasMessageContaining("batchSize must be between 1 and 1000");
            assertThatThrownBy(() -> syncs.run("unparsable"))
                    .hasMessageContaining("no route 'unparsable'")
                    .hasMessageContaining("route files not loaded")
                    .hasMessageContaining("unparsable.yaml");
            assertThatThrownBy(() -> syncs.run("repeated-id-companion"))
                    .as("a file repeating a route id is left out whole").hasMessageContaining("no route 'repeated-id-companion'");
            assertThatThrownBy(() -> syncs.run("twice")).hasMessageContaining("no route 'twice'");
            assertThatThrownBy(() -> syncs.run("template-companion"))
                    .as("a file that fails after Camel added its first route is left out whole").hasMessageContaining("no route 'template-companion'");
            assertThat(app.getBean(org.apache.camel.CamelContext.class).getRoutes().stream()
                    .map(r -> r.getEndpoint().getEndpointUri().replaceFirst("\\?.*", "")))
                    .as("routes without an id, in two files, both load").contains("warehouse://unnamed-a", "warehouse://unnamed-b")
                    .noneMatch(uri -> uri.contains("twice") || uri.contains("template-companion"));

            String port = app.getBean(Environment.class).getProperty("local.server.port");
            String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(health).contains("\"status\":\"DOWN\"")
                    .contains("\"orders-to-clevertap\":\"UP\"")
                    .containsPattern("\"broken-mapping\":\"DOWN: [^\"]*required field 'evtName' is not mapped")
                    .containsPattern("\"wrong-column\":\"DOWN: [^\"]*customer_number")
                    .containsPattern("\"unknown-option\":\"DOWN: [^\"]*batchSise")
                    .containsPattern("\"mapping-option\":\"DOWN: [^\"]*unknown option\\(s\\) \\[zone\\]")
                    .containsPattern("\"too-large-batch\":\"DOWN: [^\"]*between 1 and 1000")
                    .containsPattern("unparsable.yaml\":\"DOWN: not loaded: [^\"]*line 8")
                    .containsPattern("secret-on-a-bad-line.yaml\":\"DOWN: not loaded: [^\"]*line 14")
                    .doesNotContain("hunter2")
                    .containsPattern("zz-repeated-id.yaml\":\"DOWN: not loaded: route id\\(s\\) \\[orders-to-clevertap\\] also in"
                            + " \\[[^\\]]*orders-to-clevertap.yaml\\]")
                    .containsPattern("twice-in-file.yaml\":\"DOWN: not loaded: route id\\(s\\) \\[twice\\] used twice in this file")
                    .containsPattern("unknown-template.yaml\":\"DOWN: not loaded: [^\"]*no-such-template")
                    .containsPattern("leaky-configuration.yaml\":\"DOWN: not loaded: [^\"]*no-such-template-either");
        }
    }
}
