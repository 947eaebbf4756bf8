package io.rowcast.clevertap.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowcast.mapping.Json;

/**
 * An in-process CleverTap upload API that validates like the real one (shared/reference/api-contracts.md §1)
 * and keeps what it accepted. The demo serves it over HTTP and the tests use it as their emulator.
 */
public class CleverTapSandbox {

    public static final int MAX_RECORDS = 1000;
    public static final int MAX_CONCURRENT = 15;
    public static final int MAX_EVENT_PROPERTIES = 100;
    /** Epoch seconds beyond this are really milliseconds (the year 5138). */
    private static final long MAX_EPOCH_SECONDS = 99_999_999_999L;
    private static final Set<String> IDENTIFIERS = Set.of("identity", "FBID", "GPID", "objectId");
    private static final Set<String> SYSTEM_EVENTS = Set.of("App Launched", "App Installed", "App Uninstalled",
            "Notification Sent", "Notification Viewed", "Notification Clicked", "UTM Visited", "Stayed", "Reply Received");

    /** A canned answer, for tests that need CleverTap to misbehave. */
    public record Reply(int status, String body, Map<String, String> headers) {
        static Reply json(int status, Object body) { return new Reply(status, Json.write(body), Map.of()); }
    }

    private static final Reply PASS = new Reply(0, "", Map.of());

    private final String accountId;
    private final String passcode;
    private final List<JsonNode> accepted = Collections.synchronizedList(new ArrayList<>());
    private final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Reply> faults = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger maxSeenInFlight = new AtomicInteger();

    private volatile int holdAfter = Integer.MAX_VALUE;
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();

    public CleverTapSandbox(String accountId, String passcode) {
        this.accountId = accountId;
        this.passcode = passcode;
    }

    public Reply upload(String account, String code, String contentType, String body) {
        int number = requests.incrementAndGet();
        int concurrent = inFlight.incrementAndGet();
        maxSeenInFlight.accumulateAndGet(concurrent, Math::max);
        try {
            if (number > holdAfter) {
                held.incrementAndGet();
                awaitRelease();
            }
            Reply fault = nextFault();
            if (fault != null && fault.status() != PASS.status()) {
                return fault;
            }
            if (concurrent > MAX_CONCURRENT) {
                return Reply.json(429, Map.of("status", "fail", "error", "Too many concurrent requests", "code", 429));
            }
            if (!accountId.equals(account) || !passcode.equals(code)) {
                return Reply.json(401, Map.of("status", "fail", "error", "Invalid Credentials", "code", 401));
            }
            if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
                return malformed("Content-Type must be application/json");
            }
            JsonNode request;
            try {
                request = Json.MAPPER.readTree(body);
            } catch (Exception e) {
                return malformed("Malformed request");
            }
            JsonNode d = request == null ? null : request.get("d");
            if (d == null || !d.isArray()) {
                return malformed("Malformed request");
            }
            if (d.size() > MAX_RECORDS) {
                return malformed("Too many records: at most " + MAX_RECORDS + " per request");
            }
            return Reply.json(200, process((ArrayNode) d));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private ObjectNode process(ArrayNode records) {
        ArrayNode unprocessed = Json.NODES.arrayNode();
        int processed = 0;
        for (JsonNode record : records) {
            String problem = validate(record);
            if (problem == null) {
                accepted.add(record);
                processed++;
            } else {
                int code = Integer.parseInt(problem.substring(0, 3));
                unprocessed.addObject().put("status", "fail").put("code", code)
                        .put("error", problem.substring(4)).set("record", record);
            }
        }
        ObjectNode response = Json.NODES.objectNode();
        response.put("status", unprocessed.isEmpty() ? "success" : processed == 0 ? "fail" : "partial");
        response.put("processed", processed);
        response.set("unprocessed", unprocessed);
        return response;
    }

    /** Null when valid, else "code message" with CleverTap's documented per-record codes. */
    public static String validate(JsonNode record) {
        if (!record.isObject()) {
            return "512 Invalid event structure";
        }
        String type = record.path("type").asText("");
        if (!type.equals("event") && !type.equals("profile")) {
            return "524 Data neither event nor profile";
        }
        boolean identified = IDENTIFIERS.stream().anyMatch(k -> record.hasNonNull(k) && !record.get(k).asText().isBlank());
        if (!identified) {
            return "523 Missing identity";
        }
        if (record.has("ts")) {
            JsonNode ts = record.get("ts");
            if (!ts.canConvertToExactIntegral() || !ts.isNumber() || ts.asLong() < 0 || ts.asLong() > MAX_EPOCH_SECONDS) {
                return "525 Timestamp not in UNIX epoch format (seconds)";
            }
        }
        if (type.equals("event")) {
            if (!record.path("evtName").isTextual() || record.get("evtName").asText().isBlank()) {
                return "509 Event name mandatory";
            }
            if (SYSTEM_EVENTS.contains(record.get("evtName").asText())) {
                return "513 Raised a restricted system event";
            }
            JsonNode data = record.get("evtData");
            if (data == null || !data.isObject()) {
                return "512 Invalid event structure";
            }
            if (data.size() > MAX_EVENT_PROPERTIES) {
                return "522 Event properties limit exceeded";
            }
        } else {
            JsonNode data = record.get("profileData");
            if (data == null || !data.isObject()) {
                return "512 Invalid profile structure";
            }
            // (a JSON null gives no phone or email to check)
            if (data.hasNonNull("Phone") && !data.get("Phone").asText().startsWith("+")) {
                return "516 Phone number invalid";
            }
            if (data.hasNonNull("Email") && !data.get("Email").asText().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                return "515 Email invalid";
            }
        }
        return null;
    }

    private static Reply malformed(String error) {
        return Reply.json(400, Map.of("status", "fail", "error", error, "code", 400));
    }

    /**
     * {@code POST /1/delete/profiles.json}: {@code {"identity": "x" | ["x", ...]}} (or {@code guid}), at most 100
     * values; removes the sandbox's profiles with those identities. The answer's shape is assumed
     * ({@code {"status":"success"}}): CleverTap's docs do not show it.
     */
    public Reply deleteProfiles(String account, String code, String body) {
        requests.incrementAndGet();
        Reply fault = nextFault();
        if (fault != null && fault.status() != PASS.status()) {
            return fault;
        }
        if (!accountId.equals(account) || !passcode.equals(code)) {
            return Reply.json(401, Map.of("status", "fail", "error", "Invalid Credentials", "code", 401));
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return malformed("Malformed request");
        }
        JsonNode ids = request == null ? null : request.has("identity") ? request.get("identity") : request.get("guid");
        if (ids == null || (!ids.isTextual() && !ids.isArray())) {
            return malformed("identity or guid is required");
        }
        List<String> values = new ArrayList<>();
        if (ids.isTextual()) {
            values.add(ids.asText());
        } else {
            ids.forEach(v -> values.add(v.asText()));
        }
        if (values.size() > 100) {
            return malformed("At most 100 identities per request");
        }
        synchronized (accepted) {
            accepted.removeIf(r -> r.path("type").asText().equals("profile") && values.contains(r.path("identity").asText()));
        }
        deleted.addAll(values);
        return Reply.json(200, Map.of("status", "success"));
    }

    public List<String> deleted() {
        synchronized (deleted) {
            return List.copyOf(deleted);
        }
    }

    /** Answers the next request with {@code status} (and headers) instead of processing it. */
    public synchronized void failNext(int status, Map<String, String> headers) {
        faults.add(new Reply(status, Json.write(Map.of("status", "fail", "error", "injected " + status, "code", status)), headers));
    }

    /** Processes the next request normally: lets a test place a fault after N good requests. */
    public synchronized void passNext() {
        faults.add(PASS);
    }

    private synchronized Reply nextFault() { return faults.poll(); }

    /**
     * Holds every request after the next {@code n} unanswered until {@link #release()}: a destination that
     * has received them and not answered yet, as when the sending process is killed mid-run.
     */
    public synchronized void holdAfter(int n) {
        gate = new java.util.concurrent.CountDownLatch(1);
        holdAfter = requests.get() + n;
    }

    /** Processes the held requests (and lets later ones through). */
    public synchronized void release() {
        holdAfter = Integer.MAX_VALUE;
        gate.countDown();
    }

    /** Requests held so far by {@link #holdAfter}. */
    public int held() { return held.get(); }

    private void awaitRelease() {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<JsonNode> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    public int requests() { return requests.get(); }

    public int maxSeenInFlight() { return maxSeenInFlight.get(); }

    public synchronized void reset() {
        release();
        held.set(0);
        accepted.clear();
        deleted.clear();
        faults.clear();
        requests.set(0);
        maxSeenInFlight.set(0);
    }
}
