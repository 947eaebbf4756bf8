package io.rowcast.clevertap;

import io.rowcast.delivery.DeletingEndpoint;
import io.rowcast.delivery.Previewable;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

@UriEndpoint(firstVersion = "0.1.0", scheme = "clevertap", title = "CleverTap", syntax = "clevertap:operation",
        producerOnly = true, category = {Category.SAAS})
public class CleverTapEndpoint extends DefaultEndpoint implements DeletingEndpoint, Previewable {

    @UriPath(enums = "upload", description = "The API operation: upload (events and profiles)")
    @Metadata(required = true)
    private final String operation;
    @UriParam
    private final CleverTapConfiguration configuration;
    private CleverTapClient client;

    public CleverTapEndpoint(String uri, CleverTapComponent component, String operation, CleverTapConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    /** What is wrong with the route's options, if anything: the route's start fails with it. */
    private String refused;

    void refuse(String why) { this.refused = why; }

    void validate() {
        if (configuration.getBatchSize() < 1 || configuration.getBatchSize() > 1000) {
            throw new IllegalArgumentException("clevertap: batchSize must be between 1 and 1000 (CleverTap's limit per request)");
        }
        if (configuration.getMaxConcurrentRequests() < 1 || configuration.getMaxConcurrentRequests() > 15) {
            throw new IllegalArgumentException("clevertap: maxConcurrentRequests must be between 1 and 15 (CleverTap allows 15 per account)");
        }
        configuration.validate("clevertap");
        if (configuration.getBaseUrl() == null || configuration.getBaseUrl().isBlank()) {
            CleverTapRegion.baseUrl(configuration.getRegion());
        }
    }

    /** Checked as the route's producer starts, so missing credentials fail that route's start, not the application's. */
    synchronized void connect() {
        if (client != null) {
            return;
        }
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        if (configuration.getAccountId() == null || configuration.getAccountId().isBlank()
                || configuration.getPasscode() == null || configuration.getPasscode().isBlank()) {
            throw new IllegalStateException("CleverTap credentials are missing: set rowcast.destinations.clevertap.account-id"
                    + " and .passcode (ROWCAST_DESTINATIONS_CLEVERTAP_ACCOUNT_ID and _PASSCODE), or enable the sandbox");
        }
        // a secret mounted from a file often ends in a line break, which no HTTP header may carry
        configuration.setAccountId(configuration.getAccountId().strip());
        configuration.setPasscode(configuration.getPasscode().strip());
        if (hasControlCharacter(configuration.getAccountId()) || hasControlCharacter(configuration.getPasscode())) {
            throw new IllegalStateException("The CleverTap account id or passcode contains a control character (a line"
                    + " break inside it?); set rowcast.destinations.clevertap.account-id and .passcode without one");
        }
        CleverTapComponent component = (CleverTapComponent) getComponent();
        client = new CleverTapClient(() -> component.baseUrl(configuration), configuration, component.sender(configuration));
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (client != null) {
            ((CleverTapComponent) getComponent()).release(configuration);
        }
        client = null;
        super.doStop();
    }

    @Override
    public Producer createProducer() { return new CleverTapProducer(this); }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("clevertap: is a destination; use it in 'to', not in 'from'");
    }

    /** The upload requests for these records, passcode masked; refusals predicted with the sandbox's rules. */
    @Override
    public java.util.List<PreviewedRequest> preview(java.util.List<com.fasterxml.jackson.databind.JsonNode> records) {
        java.util.List<PreviewedRequest> requests = new java.util.ArrayList<>();
        int size = configuration.getBatchSize();
        for (int from = 0; from < records.size(); from += size) {
            var chunk = records.subList(from, Math.min(records.size(), from + size));
            java.net.http.HttpRequest request = client().uploadRequest(chunk);
            java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
            request.headers().map().forEach((name, values) -> headers.put(name,
                    name.equalsIgnoreCase(CleverTapClient.PASSCODE_HEADER) ? "****" : String.join(", ", values)));
            java.util.Map<Integer, String> refusals = new java.util.LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                String problem = io.rowcast.clevertap.sandbox.CleverTapSandbox.validate(chunk.get(i));
                if (problem != null) {
                    refusals.put(from + i, "CleverTap would refuse it: " + problem);
                }
            }
            requests.add(new PreviewedRequest(request.method(), request.uri().toString(), headers,
                    CleverTapClient.uploadBody(chunk), refusals));
        }
        return requests;
    }

    CleverTapClient client() {
        connect();
        return client;
    }
    public CleverTapConfiguration getConfiguration() { return configuration; }
    public String getOperation() { return operation; }
}
