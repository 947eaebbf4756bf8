package io.rowcast.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rowcast.state.StateStore.RowState;
import io.rowcast.sync.SyncTrigger.UnknownSyncException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ledger and the operations over HTTP, by route id:
 * {@code GET /syncs/{id}/runs}, {@code GET /syncs/{id}/rows?status=failed|dead|rejected|delivered|deleted&limit=n},
 * {@code GET /syncs/{id}/rejections?run=n}, {@code POST /syncs/{id}/runs} (run now), {@code POST /syncs/{id}/resync}, {@code POST /syncs/{id}/reset},
 * {@code POST /syncs/{id}/retry-dead}. A run already in progress answers 409.
 */
@RestController
@RequestMapping("/syncs/{routeId}")
public class SyncController {

    private static final Map<String, List<String>> STATUSES = Map.of(
            "failed", List.of("rejected", "dead"), "rejected", List.of("rejected"), "dead", List.of("dead"),
            "delivered", List.of("delivered"), "deleted", List.of("deleted"));

    private final SyncTrigger syncs;

    public SyncController(SyncTrigger syncs) { this.syncs = syncs; }

    @GetMapping("/runs")
    public List<RunRecord> runs(@PathVariable String routeId, @RequestParam(defaultValue = "20") int limit) {
        return syncs.runs(routeId, Math.min(positive(limit), 1000));
    }

    @GetMapping("/rows")
    public ResponseEntity<?> rows(@PathVariable String routeId, @RequestParam(defaultValue = "failed") String status,
                                  @RequestParam(defaultValue = "1000") int limit) {
        List<String> statuses = STATUSES.get(status);
        if (statuses == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "unknown status '" + status + "'; use one of "
                    + Set.copyOf(STATUSES.keySet())));
        }
        List<RowState> rows = syncs.rows(routeId, statuses, Math.min(positive(limit), 100_000));
        return ResponseEntity.ok(rows);
    }

    /** Why rows were refused in a run (the latest run with refusals by default): each key's code and reason. */
    @GetMapping("/rejections")
    public List<io.rowcast.state.StateStore.RejectionRecord> rejections(@PathVariable String routeId,
                                                                        @RequestParam(required = false) Long run,
                                                                        @RequestParam(defaultValue = "1000") int limit) {
        return syncs.rejections(routeId, run, Math.min(positive(limit), 100_000));
    }

    @PostMapping("/runs")
    public ResponseEntity<?> run(@PathVariable String routeId) {
        return outcome(syncs.run(routeId));
    }

    @PostMapping("/resync")
    public ResponseEntity<?> resync(@PathVariable String routeId) {
        return outcome(syncs.resync(routeId));
    }

    @PostMapping("/reset")
    public ResponseEntity<?> reset(@PathVariable String routeId) {
        return outcome(syncs.reset(routeId));
    }

    @PostMapping("/retry-dead")
    public ResponseEntity<?> retryDead(@PathVariable String routeId) {
        return syncs.retryDead(routeId).<ResponseEntity<?>>map(n -> ResponseEntity.ok(Map.of("routeId", routeId, "revived", n)))
                .orElseGet(SyncController::busy);
    }

    private static ResponseEntity<?> outcome(java.util.Optional<RunRecord> run) {
        return run.<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(SyncController::busy);
    }

    private static ResponseEntity<?> busy() {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "a run of this sync is already in progress"));
    }

    private static int positive(int limit) {
        if (limit < 1) {
            throw new BadParameterException("limit must be 1 or more, not " + limit);
        }
        return limit;
    }

    /** A request parameter out of range. */
    static final class BadParameterException extends RuntimeException {
        BadParameterException(String message) { super(message); }
    }

    @ExceptionHandler(UnknownSyncException.class)
    public ResponseEntity<Map<String, String>> unknown(UnknownSyncException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(BadParameterException.class)
    public ResponseEntity<Map<String, String>> badParameter(BadParameterException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** A parameter of the wrong type ({@code run=abc}). */
    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    public ResponseEntity<Map<String, String>> mistyped(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e) {
        return error(HttpStatus.BAD_REQUEST, "parameter '" + e.getName() + "' must be " + (e.getRequiredType() == null
                ? "another value" : "a " + e.getRequiredType().getSimpleName().toLowerCase(java.util.Locale.ROOT))
                + ", not '" + e.getValue() + "'");
    }

    /** The state store could not be read or written: try again later. (Its messages carry no credentials.) */
    @ExceptionHandler(io.rowcast.state.StateStore.StateStoreException.class)
    public ResponseEntity<Map<String, String>> unavailable(RuntimeException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /**
     * Anything else an operation met (a warehouse snapshot another sync owns, the warehouse unreachable during a
     * resync): a server error, with the reason rather than a bare 500. (Rowcast's messages mask credentials.)
     */
    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<Map<String, String>> failed(RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(SyncController.class).error("A sync operation over HTTP failed", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage() != null ? e.getMessage() : e.toString());
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("error", String.valueOf(message)));
    }
}
