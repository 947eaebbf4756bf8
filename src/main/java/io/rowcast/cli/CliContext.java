package io.rowcast.cli;

import java.util.ArrayList;
import java.util.List;

import io.rowcast.RowcastApplication;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts Rowcast for one command: schedules off, nothing run on start, the sandbox on a free port. */
final class CliContext {

    private CliContext() { }

    static ConfigurableApplicationContext start(List<String> springArgs, String... extraProperties) {
        List<String> args = new ArrayList<>(springArgs == null ? List.of() : springArgs);
        List<String> properties = new ArrayList<>(List.of(
                // a name of its own: Quartz shares schedulers by Camel context name within a JVM
                "camel.main.name=rowcast-cli-" + java.util.UUID.randomUUID(),
                "rowcast.scheduler-enabled=false", "camel.component.quartz.auto-start-scheduler=false",
                "rowcast.run-on-start=false", "server.port=0",
                "logging.level.root=WARN", "logging.level.io.rowcast=INFO"));
        properties.addAll(List.of(extraProperties));
        // a setting the user gives wins: Spring would join the two values with a comma (INFO,DEBUG), which binds to nothing
        java.util.Set<String> given = args.stream().filter(a -> a.startsWith("--") && a.contains("="))
                .map(a -> a.substring(2, a.indexOf('=')).toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet());
        properties.removeIf(p -> given.contains(p.substring(0, p.indexOf('=')).toLowerCase(java.util.Locale.ROOT)));
        // as command-line arguments, ahead of the user's own, so that application.properties cannot override them
        // (SpringApplicationBuilder.properties would only set defaults) while the user's arguments still can
        List<String> all = new ArrayList<>(properties.stream().map(p -> "--" + p).toList());
        all.addAll(args);
        return new SpringApplicationBuilder(RowcastApplication.class)
                .bannerMode(Banner.Mode.OFF)
                .run(all.toArray(String[]::new));
    }
}
