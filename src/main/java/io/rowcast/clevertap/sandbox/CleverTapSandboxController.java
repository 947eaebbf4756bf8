package io.rowcast.clevertap.sandbox;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.clevertap.CleverTapClient;
import io.rowcast.config.SandboxConfig;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the CleverTap sandbox: {@code POST /sandbox/clevertap/1/upload} like the real API, and what it kept. */
@RestController
@Conditional(SandboxConfig.Enabled.class)
@RequestMapping("/sandbox/clevertap")
public class CleverTapSandboxController {

    private final CleverTapSandbox sandbox;

    public CleverTapSandboxController(CleverTapSandbox sandbox) { this.sandbox = sandbox; }

    @PostMapping("/1/upload")
    public ResponseEntity<String> upload(@RequestHeader(value = CleverTapClient.ACCOUNT_HEADER, required = false) String account,
                                         @RequestHeader(value = CleverTapClient.PASSCODE_HEADER, required = false) String passcode,
                                         @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                         @RequestBody(required = false) String body) {
        CleverTapSandbox.Reply reply = sandbox.upload(account, passcode, contentType, body == null ? "" : body);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON);
        reply.headers().forEach(response::header);
        return response.body(reply.body());
    }

    @PostMapping("/1/delete/profiles.json")
    public ResponseEntity<String> deleteProfiles(
            @RequestHeader(value = CleverTapClient.ACCOUNT_HEADER, required = false) String account,
            @RequestHeader(value = CleverTapClient.PASSCODE_HEADER, required = false) String passcode,
            @RequestBody(required = false) String body) {
        CleverTapSandbox.Reply reply = sandbox.deleteProfiles(account, passcode, body == null ? "" : body);
        return ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }

    /** Everything the sandbox accepted, oldest first. */
    @GetMapping(value = "/records", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<JsonNode> records() { return sandbox.accepted(); }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> summary() {
        return Map.of("accepted", sandbox.accepted().size(), "requests", sandbox.requests(),
                "upload", "/sandbox/clevertap/1/upload", "records", "/sandbox/clevertap/records");
    }

    @DeleteMapping("/records")
    public ResponseEntity<Void> reset() {
        sandbox.reset();
        return ResponseEntity.noContent().build();
    }
}
