package io.rowcast.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.mapping.Mapping;
import io.rowcast.mapping.MappingLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Mapping throughput for a 12-field CleverTap event (README, "Performance"): columns only, and the same
 * with one field a Liquid template. One thread: the figures are rows per second per core.
 * Run: {@code ./mvnw -Pbench-mapping verify}; results in target/jmh-mapping.json.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MappingBenchmark {

    private static final String FIELDS = """
            destination: clevertap
            record: event
            fields:
              identity: user_id
              ts: { from: ordered_at, type: epoch-seconds }
              evtName: { value: Charged }
              evtData.txnId: transaction_id
              evtData.Amount: { from: amount, type: decimal }
              evtData.Currency: currency
              evtData.Items: { from: items, type: json }
              evtData.payment_method: payment_method
              evtData.country: country
              evtData.plan: plan
              evtData.quantity: { from: quantity, type: integer }
            """;

    private Mapping columnsOnly;
    private Mapping withTemplate;
    private Map<String, Object> row;

    @Setup
    public void setup() throws IOException {
        Path dir = Files.createTempDirectory("mapping-bench");
        columnsOnly = MappingLoader.load(Files.writeString(dir.resolve("columns.yaml"),
                FIELDS + "  evtData.channel: channel\n"));
        withTemplate = MappingLoader.load(Files.writeString(dir.resolve("template.yaml"),
                FIELDS + "  evtData.channel: { template: \"{{ row.channel | upcase }}-{{ row.country }}\" }\n"));
        row = new LinkedHashMap<>();
        row.put("transaction_id", "T-20001");
        row.put("user_id", "u-1001");
        row.put("amount", new BigDecimal("107.60"));
        row.put("currency", "EUR");
        row.put("payment_method", "Credit Card");
        row.put("items", "[{\"name\":\"Backpack\",\"price\":64.20,\"quantity\":1}]");
        row.put("ordered_at", LocalDateTime.of(2026, 11, 3, 3, 59));
        row.put("country", "GB");
        row.put("plan", "pro");
        row.put("quantity", 3L);
        row.put("channel", "web");
    }

    @Benchmark
    public JsonNode columnsOnly() {
        return columnsOnly.map(row);
    }

    @Benchmark
    public JsonNode oneLiquidTemplate() {
        return withTemplate.map(row);
    }
}
