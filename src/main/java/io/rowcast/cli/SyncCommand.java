package io.rowcast.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.rowcast.RootCause;
import io.rowcast.mapping.Json;
import io.rowcast.sync.RunRecord;
import io.rowcast.sync.RunStatus;
import io.rowcast.sync.SyncTrigger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** A command on one sync that ends in a run: starts Rowcast for the command, acts, prints the run record. */
abstract class SyncCommand implements Callable<Integer> {

    enum Output { text, json }

    @Parameters(index = "0", paramLabel = "<route-id>", description = "The sync's route id, as in routes/*.yaml")
    String routeId;

    @Option(names = "--output", defaultValue = "text", description = "text or json; json prints the run record as the last line")
    Output output;

    @Unmatched
    List<String> springArgs;

    abstract Optional<RunRecord> act(SyncTrigger syncs);

    @Override
    public Integer call() {
        RunRecord record;
        try (ConfigurableApplicationContext context = CliContext.start(springArgs)) {
            Optional<RunRecord> run = act(context.getBean(SyncTrigger.class));
            if (run.isEmpty()) {
                return fail("a run of " + routeId + " is already in progress");
            }
            record = run.get();
        } catch (RuntimeException e) {
            return fail(RootCause.message(e));
        }
        System.out.println(output == Output.json ? Json.write(record) : record.summary());
        return record.status().exitCode();
    }

    private int fail(String message) {
        if (output == Output.json) {
            System.out.println(Json.write(Map.of("routeId", routeId, "status", RunStatus.FAILED.value(), "error", message)));
        } else {
            System.err.println("rowcast: " + routeId + ": " + message);
        }
        return RunStatus.FAILED.exitCode();
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs one sync once and exits.",
                    "Exit code 0: every planned row accepted; 1: the run finished but some rows were rejected; 2: the run failed."},
            footer = "Settings can follow as Spring options, for example --rowcast.warehouse.url=jdbc:postgresql://...")
    static class Run extends SyncCommand {
        @Override Optional<RunRecord> act(SyncTrigger syncs) { return syncs.run(routeId); }
    }

    @Command(name = "resync", mixinStandardHelpOptions = true,
            description = {"Forgets what the sync delivered, then runs it: every row is sent again.", "Exit codes as for run."})
    static class Resync extends SyncCommand {
        @Override Optional<RunRecord> act(SyncTrigger syncs) { return syncs.resync(routeId); }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Adopts the model's current rows as delivered without sending anything.",
                    "Use it to start syncing only future changes."})
    static class Reset extends SyncCommand {
        @Override Optional<RunRecord> act(SyncTrigger syncs) { return syncs.reset(routeId); }
    }
}
