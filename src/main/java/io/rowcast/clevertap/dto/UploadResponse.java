package io.rowcast.clevertap.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** CleverTap's answer to an upload: {@code status} success, partial or fail, and the records it refused. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadResponse(String status, Integer processed, List<Unprocessed> unprocessed, String error, Integer code) {

    /** One refused record: CleverTap's code (509, 523, …), its message and the record echoed back. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Unprocessed(String status, Integer code, String error, JsonNode record) { }

    public List<Unprocessed> unprocessedOrEmpty() { return unprocessed == null ? List.of() : unprocessed; }
}
