package io.rowcast.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code rowcast.*} setting. Spring's relaxed binding maps each to an environment
 * variable too ({@code rowcast.warehouse.url} is {@code ROWCAST_WAREHOUSE_URL}).
 */
@ConfigurationProperties("rowcast")
public class RowcastProperties {

    /** Folder for the embedded warehouse, the embedded state store and other local files. */
    private String dataDir = "./data";
    /** Folder the mapping endpoints read their files from. */
    private String mappingsDir = "mappings";
    /** Run every sync once as soon as its route starts, then on its schedule. */
    private boolean runOnStart = true;
    /** Whether the Quartz schedules fire (the CLI turns them off). */
    private boolean schedulerEnabled = true;
    /**
     * How long a sync's lease in the state store lasts unless renewed (every quarter of it): how long a
     * killed process keeps others from running its syncs.
     */
    private Duration lease = Duration.ofMinutes(2);
    /**
     * The bearer token the HTTP API's operations (POST: run, resync, reset, retry-dead) require
     * ({@code ROWCAST_API_TOKEN}, from a Kubernetes Secret); blank: they are open, and a warning says so at start.
     */
    private String apiToken;

    private final Database warehouse = new Database();
    private final Database state = new Database();
    private final Sandbox sandbox = new Sandbox();
    private final Destinations destinations = new Destinations();

    public static class Database {
        /** JDBC URL; blank means the embedded default. */
        private String url;
        private String username;
        private String password;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public boolean isEmbedded() { return url == null || url.isBlank(); }
    }

    public static class Sandbox {
        /** Serve the sandbox destinations; null means "on for the demo: no credentials, the embedded warehouse". */
        private Boolean enabled;

        public Boolean getEnabled() { return enabled; }
        public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    }

    public static class Destinations {
        private final CleverTap clevertap = new CleverTap();

        public CleverTap getClevertap() { return clevertap; }
    }

    /** Delivery settings every HTTP destination shares. */
    public static class Delivery {
        /** Attempts per request, the first included, for 429, 5xx, time-outs and connection errors. */
        private int maxAttempts = 6;
        /** First back-off; each retry doubles it, with full jitter. */
        private Duration initialBackoff = Duration.ofMillis(500);
        /** Longest back-off between retries (a server's Retry-After is honoured up to 15 minutes). */
        private Duration maxBackoff = Duration.ofSeconds(60);
        /** Time-out of one HTTP request. */
        private Duration requestTimeout = Duration.ofSeconds(30);
        /** Requests in flight at once per account. */
        private int maxConcurrentRequests = 5;

        public int getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
        public Duration getInitialBackoff() { return initialBackoff; }
        public void setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; }
        public Duration getMaxBackoff() { return maxBackoff; }
        public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
        public Duration getRequestTimeout() { return requestTimeout; }
        public void setRequestTimeout(Duration requestTimeout) { this.requestTimeout = requestTimeout; }
        public int getMaxConcurrentRequests() { return maxConcurrentRequests; }
        public void setMaxConcurrentRequests(int maxConcurrentRequests) { this.maxConcurrentRequests = maxConcurrentRequests; }
    }

    public static class CleverTap extends Delivery {
        /** CleverTap project (account) id. */
        private String accountId;
        /** CleverTap passcode; secret. */
        private String passcode;
        /** Data-centre region: eu (default), in1, sg1, us1, aps3 or mec1. */
        private String region = "eu";
        /** Overrides the region's URL (tests, sandbox, proxies). */
        private String baseUrl;

        public String getAccountId() { return accountId; }
        public void setAccountId(String accountId) { this.accountId = accountId; }
        public String getPasscode() { return passcode; }
        public void setPasscode(String passcode) { this.passcode = passcode; }
        public String getRegion() { return region; }
        public void setRegion(String region) { this.region = region; }
        public String getBaseUrl() { return baseUrl; }
        public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
        public boolean hasCredentials() {
            return accountId != null && !accountId.isBlank() && passcode != null && !passcode.isBlank();
        }
        /** Neither the account id nor the passcode is set (one without the other is a mistake, not a demo). */
        public boolean hasNoCredentials() {
            return (accountId == null || accountId.isBlank()) && (passcode == null || passcode.isBlank());
        }
        @Override public String toString() { return "CleverTap[accountId=" + accountId + ", region=" + region + "]"; }
    }

    /**
     * True when the sandbox destinations should be served: as set, or else for the demo only, no CleverTap
     * credentials and the embedded warehouse. A real warehouse without credentials (a Secret that did not
     * mount) must not quietly "deliver" its rows to the sandbox: its CleverTap routes fail to start instead.
     */
    public boolean sandboxEnabled() {
        return sandbox.enabled != null ? sandbox.enabled
                : destinations.clevertap.hasNoCredentials() && (warehouse.getUrl() == null || warehouse.getUrl().isBlank());
    }

    public String getDataDir() { return dataDir; }
    public void setDataDir(String dataDir) { this.dataDir = dataDir; }
    public String getMappingsDir() { return mappingsDir; }
    public void setMappingsDir(String mappingsDir) { this.mappingsDir = mappingsDir; }
    public String getApiToken() { return apiToken; }
    public void setApiToken(String apiToken) { this.apiToken = apiToken; }
    public Duration getLease() { return lease; }
    public void setLease(Duration lease) {
        // renewed every quarter of it: a lease much shorter than a state store round trip is lost between renewals
        if (lease == null || lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("rowcast.lease must be at least 1s (it is renewed every quarter of it), not "
                    + lease);
        }
        this.lease = lease;
    }
    public boolean isRunOnStart() { return runOnStart; }
    public void setRunOnStart(boolean runOnStart) { this.runOnStart = runOnStart; }
    public boolean isSchedulerEnabled() { return schedulerEnabled; }
    public void setSchedulerEnabled(boolean schedulerEnabled) { this.schedulerEnabled = schedulerEnabled; }
    public Database getWarehouse() { return warehouse; }
    public Database getState() { return state; }
    public Sandbox getSandbox() { return sandbox; }
    public Destinations getDestinations() { return destinations; }
}
