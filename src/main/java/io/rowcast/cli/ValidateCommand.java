package io.rowcast.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.rowcast.RootCause;
import io.rowcast.clevertap.CleverTapComponent;
import io.rowcast.config.RowcastProperties;
import io.rowcast.state.StateStore;
import io.rowcast.validation.ProjectValidator;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks every route, every mapping and every model query (against the warehouse, reading no rows).",
                "Prints every problem as FILE[:LINE:COLUMN]: error: MESSAGE and exits 1 if there is any, else 0."})
class ValidateCommand implements Callable<Integer> {

    @Option(names = "--routes", defaultValue = "routes", description = "Folder of route files (default: routes)")
    Path routes;

    @Unmatched
    List<String> springArgs;

    @Override
    public Integer call() {
        ProjectValidator.Report report;
        Path mappings;
        // no routes in this context: each route file is checked on its own, so one bad file hides nothing
        try (ConfigurableApplicationContext context = CliContext.start(springArgs,
                "camel.main.routes-include-pattern=classpath:rowcast-validate-loads-no-routes/*.yaml",
                "rowcast.sandbox.enabled=false", "spring.main.web-application-type=none",
                // routes built and never started: Quartz complains about stopping a trigger it never made
                "logging.level.org.apache.camel.impl.engine.InternalServiceManager=ERROR")) {
            mappings = Path.of(context.getBean(RowcastProperties.class).getMappingsDir());
            report = new ProjectValidator(context.getBean("warehouseDataSource", DataSource.class),
                    context.getBean(StateStore.class), context.getBean(CleverTapComponent.class)).validate(routes, mappings);
        } catch (RuntimeException e) {
            System.out.println("validate: error: " + RootCause.message(e));
            return 1;
        }
        report.warnings().forEach(w -> System.out.println("validate: warning: " + w));
        report.problems().forEach(System.out::println);
        System.out.println("validate: " + report.problems().size() + " problem(s); checked " + report.routes() + " route(s) in "
                + routes + " and " + report.mappings() + " valid mapping(s) in " + mappings);
        return report.problems().isEmpty() ? 0 : 1;
    }
}
