package io.rowcast.clevertap;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.clevertap.dto.UploadRequest;
import io.rowcast.clevertap.dto.UploadResponse;
import io.rowcast.delivery.FatalDeliveryException;
import io.rowcast.delivery.HttpSender;
import io.rowcast.delivery.Outcome;
import io.rowcast.mapping.Json;

/** Calls {@code POST /1/upload} and turns CleverTap's answer into one outcome per record. */
public class CleverTapClient {

    public static final String ACCOUNT_HEADER = "X-CleverTap-Account-Id";
    public static final String PASSCODE_HEADER = "X-CleverTap-Passcode";

    private final Supplier<String> baseUrl;
    private final CleverTapConfiguration config;
    private final HttpSender sender;

    public CleverTapClient(Supplier<String> baseUrl, CleverTapConfiguration config, HttpSender sender) {
        this.baseUrl = baseUrl;
        this.config = config;
        this.sender = sender;
    }

    public HttpRequest uploadRequest(List<JsonNode> records) {
        return post("/1/upload", uploadBody(records));
    }

    /** A POST to the account's API with its credentials. */
    private HttpRequest post(String path, String body) {
        try {
            return HttpRequest.newBuilder(URI.create(baseUrl.get().replaceAll("/+$", "") + path))
                    .timeout(Duration.ofMillis(config.getRequestTimeoutMillis()))
                    .header(ACCOUNT_HEADER, config.getAccountId())
                    .header(PASSCODE_HEADER, config.getPasscode())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        } catch (IllegalArgumentException e) {
            // the JDK quotes an invalid header's value: the passcode must not reach a log or the ledger
            throw new IllegalArgumentException(redact(String.valueOf(e.getMessage())));
        }
    }

    public static String uploadBody(List<JsonNode> records) {
        return Json.write(new UploadRequest(records));
    }

    /** At most this many identities per delete request (CleverTap's documented limit). */
    public static final int MAX_DELETE = 100;

    public HttpRequest deleteRequest(List<String> identities) {
        return post("/1/delete/profiles.json", Json.write(java.util.Map.of("identity", identities)));
    }

    /**
     * Deletes profiles by identity (at most {@value #MAX_DELETE}). CleverTap answers for the request as a
     * whole, so every identity shares the request's outcome.
     */
    public CompletableFuture<List<Outcome>> delete(List<String> identities) {
        return sender.send(deleteRequest(identities), config.retryPolicy()).thenApply(response -> {
            int status = response.statusCode();
            if (status < 200 || status >= 300) {
                throw new FatalDeliveryException(redact(fatalMessage(status, errorText(response.body()))));
            }
            String result = Json.parse(response.body()).path("status").asText("");
            Outcome outcome = result.equals("success") ? Outcome.accept()
                    : Outcome.rejected("DELETE_" + result.toUpperCase(java.util.Locale.ROOT),
                    "CleverTap did not confirm the delete: " + response.body());
            return java.util.Collections.nCopies(identities.size(), outcome);
        });
    }

    /** Outcomes in the order of {@code records}; fails with {@link FatalDeliveryException} on 400, 401, 403. */
    public CompletableFuture<List<Outcome>> upload(List<JsonNode> records) {
        return sender.send(uploadRequest(records), config.retryPolicy()).thenApply(response -> outcomes(records, response));
    }

    private List<Outcome> outcomes(List<JsonNode> records, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new FatalDeliveryException(redact(fatalMessage(status, errorText(response.body()))));
        }
        UploadResponse body;
        try {
            body = Json.MAPPER.readValue(response.body(), UploadResponse.class);
        } catch (Exception e) {
            throw new FatalDeliveryException("CleverTap answered HTTP " + status + " with a body that is not its upload"
                    + " response; check rowcast.destinations.clevertap.base-url points at the CleverTap API");
        }
        Outcome[] outcomes = new Outcome[records.size()];
        List<UploadResponse.Unprocessed> unattributed = new ArrayList<>();
        for (UploadResponse.Unprocessed u : body.unprocessedOrEmpty()) {
            int index = indexOf(records, outcomes, u.record());
            Outcome rejected = Outcome.rejected(String.valueOf(u.code()), u.error() == null ? "refused by CleverTap" : u.error());
            if (index >= 0) {
                outcomes[index] = rejected;
            } else {
                unattributed.add(u);
            }
        }
        long named = Arrays.stream(outcomes).filter(java.util.Objects::nonNull).count();
        // refused records CleverTap did not name: fewer processed than named refusals account for, or a failed
        // answer with nothing named at all
        boolean unnamedRefusals = !unattributed.isEmpty()
                || body.processed() != null && records.size() - body.processed() > named
                || body.processed() == null && named == 0 && !"success".equals(body.status())
                // fail: nothing was processed (unless the answer counts some processed: then trust the count)
                || "fail".equals(body.status()) && named < records.size() && (body.processed() == null || body.processed() == 0);
        if (unnamedRefusals) {
            // we cannot tell which records those were, so none of the remaining ones count as delivered and all go
            // again next run (at least once, never lost)
            String first = unattributed.isEmpty() ? "CleverTap answered status " + body.status() + ", processed "
                    + body.processed() + " of " + records.size()
                    : "first: " + unattributed.get(0).code() + " " + unattributed.get(0).error();
            Outcome unknown = Outcome.rejected("UNATTRIBUTED", "record(s) of this request were refused without being named ("
                    + first + "); sent again next run");
            Arrays.setAll(outcomes, i -> outcomes[i] == null ? unknown : outcomes[i]);
        }
        Arrays.setAll(outcomes, i -> outcomes[i] == null ? Outcome.accept() : outcomes[i]);
        return Arrays.asList(outcomes);
    }

    /** Numbers compare by value: the echo may come back as another numeric node type (int for long, 5.0 for 5.00). */
    private static final java.util.Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /** The first record equal to the echoed one and not yet matched. */
    private static int indexOf(List<JsonNode> records, Outcome[] outcomes, JsonNode echoed) {
        if (echoed == null) {
            return -1;
        }
        for (int i = 0; i < records.size(); i++) {
            if (outcomes[i] == null && records.get(i).equals(SAME_VALUE, echoed)) {
                return i;
            }
        }
        return -1;
    }

    private String fatalMessage(int status, String error) {
        String said = "CleverTap answered HTTP " + status + (error == null ? "" : " (" + error + ")");
        return switch (status) {
            case 401 -> said + ": the credentials or the URL are wrong. Check rowcast.destinations.clevertap.account-id,"
                    + " .passcode and .region (a wrong region also answers 401); account id in use: " + config.getAccountId();
            case 403 -> said + ": the passcode may not upload for account " + config.getAccountId()
                    + ". Check the passcode's permissions and any IP allow-list in CleverTap's settings";
            case 400 -> said + ": CleverTap refused the request as malformed. Run 'rowcast preview' to see the exact"
                    + " request and check the mapping";
            default -> said + ": check rowcast.destinations.clevertap.region and .base-url";
        };
    }

    private static String errorText(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            JsonNode error = node.get("error");
            return error == null ? null : error.asText();
        } catch (Exception e) {
            return null;
        }
    }

    private String redact(String message) {
        String passcode = config.getPasscode();
        return passcode == null || passcode.isEmpty() ? message : message.replace(passcode, "****");
    }
}
