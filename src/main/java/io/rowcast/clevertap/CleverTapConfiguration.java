package io.rowcast.clevertap;

import io.rowcast.delivery.DeliveryOptions;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of a {@code clevertap:} endpoint; unset ones come from the component (rowcast.destinations.clevertap.*). */
@UriParams
public class CleverTapConfiguration extends DeliveryOptions {

    @UriParam(label = "security", description = "CleverTap project (account) id")
    @Metadata(required = true)
    private String accountId;
    @UriParam(label = "security", secret = true, description = "CleverTap passcode")
    @Metadata(required = true)
    private String passcode;
    @UriParam(defaultValue = "eu", description = "Region: eu, in1, sg1, us1, aps3 or mec1")
    private String region = "eu";
    @UriParam(label = "advanced", description = "Base URL overriding the region's (tests, sandbox, proxies)")
    private String baseUrl;
    @UriParam(defaultValue = "1000", description = "Records per request; CleverTap takes at most 1000")
    private int batchSize = 1000;

    public String getAccountId() { return accountId; }
    public void setAccountId(String accountId) { this.accountId = accountId; }
    public String getPasscode() { return passcode; }
    public void setPasscode(String passcode) { this.passcode = passcode; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }

    @Override
    public String toString() {
        return "CleverTapConfiguration[accountId=" + accountId + ", region=" + region + ", passcode=****]";
    }
}
