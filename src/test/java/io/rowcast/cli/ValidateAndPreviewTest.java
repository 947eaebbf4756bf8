package io.rowcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.rowcast.config.SandboxConfig;
import io.rowcast.testing.SyncTestSupport;
import io.rowcast.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code rowcast validate} on good and broken projects, and {@code rowcast preview}, which sends nothing and changes nothing. */
class ValidateAndPreviewTest extends SyncTestSupport {

    @Test
    void theRepositoryProjectValidatesAgainstTheDemoWarehouse() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "validate-good");

        RunCommandTest.Result result = RunCommandTest.run("validate", "--rowcast.data-dir=" + data);

        assertThat(result.exitCode()).as(result.text()).isZero();
        assertThat(result.lines().get(result.lines().size() - 1))
                .startsWith("validate: 0 problem(s); checked 3 route(s) in routes and 3 valid mapping(s) in mappings");
    }

    @Test
    void aBrokenProjectListsEveryProblemAndExitsOne() throws Exception {
        Path project = Files.createTempDirectory(Path.of("target"), "validate-bad");
        Path routes = Files.createDirectories(project.resolve("routes"));
        Path mappings = Files.createDirectories(project.resolve("mappings"));
        Files.copy(Path.of("mappings/clevertap-charged.yaml"), mappings.resolve("clevertap-charged.yaml"));
        Files.writeString(mappings.resolve("wrong-column.yaml"), """
                destination: clevertap
                record: event
                fields:
                  identity: customer_number
                  evtName: { value: Charged }
                """);
        Files.writeString(mappings.resolve("broken.yaml"), "destination: clevertap\nrecord: event\nfeilds: {}\n");
        Files.copy(Path.of("routes/orders-to-clevertap.yaml"), routes.resolve("a-good.yaml"));
        Files.writeString(routes.resolve("b-unknown-option.yaml"), """
                - route:
                    id: typo
                    from:
                      uri: warehouse:typo
                      parameters:
                        query: SELECT * FROM orders
                        primaryKey: transaction_id
                        batchSise: 10
                      steps:
                        - to: mapping:clevertap-charged.yaml
                        - to: clevertap:upload
                """);
        Files.writeString(routes.resolve("c-bad-model.yaml"), """
                - route:
                    id: bad-model
                    from:
                      uri: warehouse:bad-model
                      parameters:
                        query: SELECT transaction_id, user_id FROM orderz
                        primaryKey: transaction_id
                      steps:
                        - to: mapping:clevertap-charged.yaml
                        - to: clevertap:upload
                """);
        Files.writeString(routes.resolve("d-missing-column.yaml"), """
                - route:
                    id: missing-column
                    from:
                      uri: warehouse:missing-column
                      parameters:
                        query: SELECT transaction_id, user_id FROM orders
                        primaryKey: order_id
                      steps:
                        - to: mapping:wrong-column.yaml
                        - to: clevertap:upload
                """);

        Files.writeString(routes.resolve("e-reserved-column.yaml"), """
                - route:
                    id: reserved-column
                    from:
                      uri: warehouse:reserved-column
                      parameters:
                        query: SELECT *, user_id AS rowcast_fp FROM orders
                        primaryKey: transaction_id
                        state: warehouse
                      steps:
                        - to: mapping:clevertap-charged.yaml
                        - to: clevertap:upload
                """);

        // a copy of the good route under another id, still reading warehouse:orders-to-clevertap; then the same id again
        Files.writeString(routes.resolve("f-copied-sync.yaml"), Files.readString(Path.of("routes/orders-to-clevertap.yaml"))
                .replace("id: orders-to-clevertap", "id: orders-copy"));
        Files.writeString(routes.resolve("g-copied-id.yaml"), Files.readString(Path.of("routes/orders-to-clevertap.yaml"))
                .replace("warehouse:orders-to-clevertap", "warehouse:orders-elsewhere"));

        Files.writeString(routes.resolve("h-large-batch.yaml"), Files.readString(Path.of("routes/orders-to-clevertap.yaml"))
                .replace("id: orders-to-clevertap", "id: large-batch").replace("warehouse:orders-to-clevertap", "warehouse:large-batch")
                .replace("to: clevertap:upload", "to: clevertap:upload?batchSize=5000"));

        // Charged events cannot be deleted: mirror would fail this route's start
        Files.writeString(routes.resolve("i-mirrored-events.yaml"), Files.readString(Path.of("routes/orders-to-clevertap.yaml"))
                .replace("id: orders-to-clevertap", "id: mirrored-events").replace("warehouse:orders-to-clevertap", "warehouse:mirrored-events")
                .replace("mode: insert", "mode: mirror"));

        // longer than the state store keeps (200 characters)
        Files.writeString(routes.resolve("j-long-id.yaml"), Files.readString(Path.of("routes/orders-to-clevertap.yaml"))
                .replace("id: orders-to-clevertap", "id: long-id").replace("warehouse:orders-to-clevertap", "warehouse:" + "x".repeat(201)));

        // an option the mapping step does not take
        Files.writeString(routes.resolve("k-mapping-option.yaml"), Files.readString(Path.of("routes/orders-to-clevertap.yaml"))
                .replace("id: orders-to-clevertap", "id: mapping-option").replace("warehouse:orders-to-clevertap", "warehouse:mapping-option")
                .replace("to: mapping:clevertap-charged.yaml", "to: mapping:clevertap-charged.yaml?zone=UTC"));
        // run loads *.yaml only: a .yml file would validate and then never run
        Files.writeString(routes.resolve("l-other-extension.yml"), Files.readString(Path.of("routes/orders-to-clevertap.yaml"))
                .replace("id: orders-to-clevertap", "id: other-extension").replace("warehouse:orders-to-clevertap", "warehouse:other-extension"));

        // a mirror deletes a profile by its row's key: the mapping must send that key as the identity
        Files.writeString(mappings.resolve("profile-by-user.yaml"), """
                destination: clevertap
                record: profile
                fields:
                  identity: user_id
                """);
        Files.writeString(routes.resolve("m-mirror-other-identity.yaml"), """
                - route:
                    id: mirror-other-identity
                    from:
                      uri: warehouse:mirror-other-identity
                      parameters:
                        query: SELECT * FROM orders
                        primaryKey: transaction_id
                        mode: mirror
                      steps:
                        - to: mapping:profile-by-user.yaml
                        - to: clevertap:upload
                """);

        RunCommandTest.Result result = RunCommandTest.run("validate", "--routes", routes.toString(),
                "--rowcast.mappings-dir=" + mappings, "--rowcast.data-dir=" + project.resolve("data"));

        String out = result.text();
        assertThat(result.exitCode()).as(out).isEqualTo(1);
        assertThat(out).contains(routes.resolve("f-copied-sync.yaml") + " (route orders-copy): error: warehouse:orders-to-clevertap"
                        + " is also read by " + routes.resolve("a-good.yaml") + " (route orders-to-clevertap)")
                .contains(routes.resolve("g-copied-id.yaml") + ": error: route id 'orders-to-clevertap' is also the id of a route in "
                        + routes.resolve("a-good.yaml"));
        assertThat(out).contains(mappings.resolve("broken.yaml") + ":3:1: error: unknown key 'feilds'")
                .contains(routes.resolve("b-unknown-option.yaml") + ": error: ").contains("batchSise")
                .contains(routes.resolve("c-bad-model.yaml") + " (route bad-model): error: the model query does not run")
                .contains("orderz")
                .contains("(route missing-column): error: primary key column 'order_id' is not returned by the model")
                .contains("(route missing-column): error: mapping wrong-column.yaml reads column 'customer_number'")
                .contains("(route reserved-column): error: the model's column 'rowcast_fp' is named like one state: warehouse")
                .contains(routes.resolve("h-large-batch.yaml") + ": error: clevertap: batchSize must be between 1 and 1000")
                .doesNotContain(routes.resolve("a-good.yaml") + ": error")
                .doesNotContain(routes.resolve("a-good.yaml") + " (route orders-to-clevertap): error");
        assertThat(out).contains(routes.resolve("i-mirrored-events.yaml") + " (route mirrored-events): error: route mirrored-events:"
                + " mode mirror sends deletes, but a clevertap event (clevertap-charged.yaml) cannot be deleted");
        assertThat(out).contains(routes.resolve("j-long-id.yaml") + ": error: warehouse: the sync id is 201 characters;"
                + " the state store keeps up to 200: shorten it");
        assertThat(out).contains(routes.resolve("k-mapping-option.yaml") + ": error:"
                + " mapping:clevertap-charged.yaml has unknown option(s) [zone]");
        assertThat(out).contains(routes.resolve("l-other-extension.yml") + ": error: Camel loads YAML routes only from files ending in .yaml (it has no loader for .yml);"
                + " rename it to l-other-extension.yaml");
        assertThat(out).contains(routes.resolve("m-mirror-other-identity.yaml") + " (route mirror-other-identity): error:"
                + " route mirror-other-identity: mode mirror deletes a clevertap profile by its identity, sent as the row's"
                + " primary key transaction_id, but profile-by-user.yaml maps identity from user_id");
        assertThat(out).contains("validate: 15 problem(s); checked 9 route(s)");
    }

    @Test
    void previewPrintsTheExactRequestsAndTheRowsThatWouldBeRejectedWithoutSendingOrSavingAnything() {
        insertOrder("T-1", "u-1", "12.50", "EUR", "Card", "[{\"name\":\"Pen\"}]", "2026-11-01 10:00:00");
        insertOrder("T-2", null, "3.00", "EUR", "Card", "[]", "2026-11-01 11:00:00");
        insertOrder("T-3", "u-3", "4.00", "EUR", "Card", "not json", "2026-11-01 12:00:00");
        JdbcTemplate stateDb = new JdbcTemplate(stateDataSource);

        RunCommandTest.Result result = RunCommandTest.run("preview", "orders-to-clevertap", "--limit", "10",
                "--rowcast.warehouse.url=" + TestPostgres.url("warehouse"), "--rowcast.warehouse.username=postgres",
                "--rowcast.warehouse.password=postgres", "--rowcast.state.url=" + TestPostgres.url("state"),
                "--rowcast.sandbox.enabled=true", "--rowcast.state.username=postgres", "--rowcast.state.password=postgres");

        String out = result.text();
        assertThat(result.exitCode()).as(out).isZero();
        assertThat(out).containsPattern("POST http://127\\.0\\.0\\.1:\\d+/sandbox/clevertap/1/upload")
                .containsIgnoringCase("x-clevertap-passcode: ****").doesNotContain(SandboxConfig.CLEVERTAP_PASSCODE)
                .contains("\"txnId\" : \"T-1\"").contains("\"Amount\" : 12.50")
                .contains("T-2: CleverTap would refuse it: 523 Missing identity")
                .contains("T-3: MAPPING_ERROR: clevertap-charged.yaml: column items for evtData.Items: invalid JSON")
                .contains("preview: 3 row(s) read, 1 request(s), 2 row(s) would be rejected; nothing was sent");
        assertThat(sandbox.requests()).as("nothing sent").isZero();
        assertThat(stateDb.queryForObject("SELECT COUNT(*) FROM sync_run", Integer.class)).as("no run recorded").isZero();
        assertThat(stateDb.queryForObject("SELECT COUNT(*) FROM sync_row", Integer.class)).as("no row state").isZero();
    }
}
