package io.rowcast.clevertap;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import io.rowcast.config.EndpointOptions;
import io.rowcast.delivery.HttpSender;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code clevertap:upload}: sends mapped records to CleverTap's upload API and reports an outcome per record. */
@Component("clevertap")
public class CleverTapComponent extends DefaultComponent {

    @Metadata(description = "Defaults for every clevertap: endpoint")
    private CleverTapConfiguration configuration = new CleverTapConfiguration();
    /** Resolves the base URL late, for the sandbox whose port is known only once the web server is up. */
    private Supplier<String> baseUrlSupplier;
    /** One sender per account, so the in-flight cap holds across every route that uses the account. */
    private final Map<String, HttpSender> senders = new ConcurrentHashMap<>();
    /** How many started endpoints use each account's sender: the last to stop lets it (and its cap) go. */
    private final Map<String, Integer> users = new ConcurrentHashMap<>();
    private HttpClient httpClient;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!"upload".equals(remaining)) {
            throw new IllegalArgumentException("clevertap:" + remaining + " is not supported; use clevertap:upload");
        }
        CleverTapConfiguration config = configuration.copy();
        CleverTapEndpoint endpoint = new CleverTapEndpoint(uri, this, remaining, config);
        // a bad option fails this route's start (see CleverTapEndpoint#connect), not the whole application's
        EndpointOptions.bindOrRefuse("clevertap:" + remaining, parameters, "clevertap:upload", () -> {
            setProperties(config, parameters);
            setProperties(endpoint, parameters);
        }, endpoint::validate, endpoint::refuse);
        return endpoint;
    }

    /**
     * The account's sender. Its in-flight cap is the account's, so two routes asking one account for different
     * caps are refused (the second to start) rather than one of them silently getting the other's.
     */
    synchronized HttpSender sender(CleverTapConfiguration config) {
        int cap = config.getMaxConcurrentRequests();
        HttpSender sender = senders.computeIfAbsent(config.getAccountId(), account -> {
            // exactly cap threads, an unbounded queue, and a refusal once shut down: Camel's default profile runs
            // work on the caller past a full queue (over the cap) and silently drops it once shut down (a run
            // would wait for that request's answer for ever)
            ExecutorService pool = getCamelContext().getExecutorServiceManager().newThreadPool(this, "clevertap-" + account,
                    new org.apache.camel.builder.ThreadPoolProfileBuilder("clevertap-" + account).poolSize(cap)
                            .maxPoolSize(cap).maxQueueSize(Integer.MAX_VALUE)   // (0 or less: no queue at all)
                            .rejectedPolicy(org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy.Abort).build());
            return new HttpSender("CleverTap", httpClient(), pool, cap);
        });
        if (sender.concurrency() != cap) {
            throw new IllegalStateException("clevertap: maxConcurrentRequests=" + cap + " differs from the "
                    + sender.concurrency() + " another running route uses for this CleverTap account; the cap is per"
                    + " account (CleverTap counts every request to it), so give every route of the account the same value"
                    + " or set it once as rowcast.destinations.clevertap.max-concurrent-requests");
        }
        users.merge(config.getAccountId(), 1, Integer::sum);
        return sender;
    }

    /** An endpoint that took the account's sender stopped; the last one's stop lets the sender go. */
    synchronized void release(CleverTapConfiguration config) {
        if (users.merge(config.getAccountId(), -1, Integer::sum) <= 0) {
            users.remove(config.getAccountId());
            HttpSender sender = senders.remove(config.getAccountId());
            if (sender != null) {
                sender.shutdown();
            }
        }
    }

    private synchronized HttpClient httpClient() {
        if (httpClient == null) {
            httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return httpClient;
    }

    String baseUrl(CleverTapConfiguration config) {
        if (config.getBaseUrl() != null && !config.getBaseUrl().isBlank()) {
            return config.getBaseUrl();
        }
        if (baseUrlSupplier != null) {
            return baseUrlSupplier.get();
        }
        return CleverTapRegion.baseUrl(config.getRegion());
    }

    @Override
    protected void doStop() throws Exception {
        senders.clear();
        super.doStop();
    }

    public CleverTapConfiguration getConfiguration() { return configuration; }
    public void setConfiguration(CleverTapConfiguration configuration) { this.configuration = configuration; }
    public void setBaseUrlSupplier(Supplier<String> baseUrlSupplier) { this.baseUrlSupplier = baseUrlSupplier; }
}
