package io.rowcast.clevertap.dto;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The upload body, {@code {"d":[record, ...]}}: at most 1000 events and profiles. */
public record UploadRequest(List<JsonNode> d) { }
