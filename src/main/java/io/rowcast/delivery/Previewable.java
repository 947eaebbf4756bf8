package io.rowcast.delivery;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A destination endpoint that can show the exact requests it would send, without sending them. */
public interface Previewable {

    /** One request as it would go out: secrets masked; {@code refusals} are records the destination would refuse, and why. */
    record PreviewedRequest(String method, String url, Map<String, String> headers, String body, Map<Integer, String> refusals) { }

    List<PreviewedRequest> preview(List<JsonNode> records);
}
