package io.rowcast.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.rowcast.RootCause;
import io.rowcast.delivery.Previewable.PreviewedRequest;
import io.rowcast.mapping.Json;
import io.rowcast.sync.SyncPreview;
import io.rowcast.sync.SyncTrigger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

@Command(name = "preview", mixinStandardHelpOptions = true,
        description = {"Reads the first N rows of a sync's model and prints the exact requests that would be sent",
                "(method, URL, headers with secrets masked, body) and the rows that would be rejected, with why.",
                "Sends nothing and changes no state."})
class PreviewCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<route-id>")
    String routeId;

    @Option(names = "--limit", defaultValue = "10", description = "Rows to read (default 10)")
    int limit;

    @Unmatched
    List<String> springArgs;

    @Override
    public Integer call() {
        SyncPreview.Result preview;
        try (ConfigurableApplicationContext context = CliContext.start(springArgs)) {
            preview = context.getBean(SyncTrigger.class).preview(routeId, limit);
        } catch (Exception e) {
            System.err.println("rowcast preview " + routeId + ": " + RootCause.message(e));
            return 2;
        }
        for (PreviewedRequest request : preview.requests()) {
            System.out.println(request.method() + " " + request.url());
            request.headers().forEach((name, value) -> System.out.println(name + ": " + value));
            System.out.println();
            System.out.println(pretty(request.body()));
            System.out.println();
        }
        if (!preview.rejected().isEmpty()) {
            System.out.println("Rows that would be rejected:");
            preview.rejected().forEach((key, why) -> System.out.println("  " + key + ": " + why));
        }
        System.out.println("preview: " + preview.rows() + " row(s) read, " + preview.requests().size() + " request(s), "
                + preview.rejected().size() + " row(s) would be rejected; nothing was sent and no state changed");
        return 0;
    }

    private static String pretty(String json) {
        try {
            return Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Json.parse(json));
        } catch (Exception e) {
            return json;
        }
    }
}
