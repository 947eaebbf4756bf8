package io.rowcast.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.rowcast.RootCause;
import io.rowcast.mapping.Json;
import io.rowcast.sync.SyncTrigger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

@Command(name = "retry-dead", mixinStandardHelpOptions = true,
        description = "Gives the sync's dead rows a fresh attempt budget; the next run sends them again.")
class RetryDeadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<route-id>")
    String routeId;

    @Unmatched
    List<String> springArgs;

    @Override
    public Integer call() {
        try (ConfigurableApplicationContext context = CliContext.start(springArgs)) {
            java.util.Optional<Integer> revived = context.getBean(SyncTrigger.class).retryDead(routeId);
            if (revived.isEmpty()) {
                System.err.println("rowcast retry-dead " + routeId + ": a run of this sync is in progress (here or in another"
                        + " process); try again when it has finished");
                return 2;
            }
            System.out.println(Json.write(Map.of("routeId", routeId, "revived", revived.get())));
            return 0;
        } catch (RuntimeException e) {
            System.err.println("rowcast retry-dead " + routeId + ": " + RootCause.message(e));
            return 2;
        }
    }
}
