package io.rowcast.clevertap.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.mapping.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sandbox refuses what CleverTap's upload API refuses, with the documented codes. */
class CleverTapSandboxTest {

    private final CleverTapSandbox sandbox = new CleverTapSandbox("ACC", "PASS");

    private static final String JSON = "application/json; charset=utf-8";
    private static final String GOOD = "{\"type\":\"event\",\"identity\":\"u-1\",\"ts\":1793527200,\"evtName\":\"Charged\",\"evtData\":{}}";

    @Test
    void acceptsAValidEventAndKeepsIt() {
        CleverTapSandbox.Reply reply = sandbox.upload("ACC", "PASS", JSON, "{\"d\":[" + GOOD + "]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(Json.parse(reply.body()).path("status").asText()).isEqualTo("success");
        assertThat(sandbox.accepted()).extracting(JsonNode::toString).containsExactly(GOOD);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no identity           | {\"type\":\"event\",\"ts\":1,\"evtName\":\"Charged\",\"evtData\":{}}                      | 523",
        "blank identity        | {\"type\":\"event\",\"identity\":\" \",\"evtName\":\"Charged\",\"evtData\":{}}            | 523",
        "no event name         | {\"type\":\"event\",\"identity\":\"u\",\"evtData\":{}}                                     | 509",
        "no event data         | {\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"Charged\"}                            | 512",
        "ts in milliseconds    | {\"type\":\"event\",\"identity\":\"u\",\"ts\":1793527200000,\"evtName\":\"C\",\"evtData\":{}} | 525",
        "ts as text            | {\"type\":\"event\",\"identity\":\"u\",\"ts\":\"yesterday\",\"evtName\":\"C\",\"evtData\":{}} | 525",
        "neither kind          | {\"type\":\"thing\",\"identity\":\"u\"}                                                   | 524",
        "system event          | {\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"App Launched\",\"evtData\":{}}        | 513",
        "profile phone         | {\"type\":\"profile\",\"identity\":\"u\",\"profileData\":{\"Phone\":\"0123\"}}             | 516",
        "profile email         | {\"type\":\"profile\",\"identity\":\"u\",\"profileData\":{\"Email\":\"nope\"}}             | 515"})
    void refusesABadRecordWithItsCodeAndEchoesIt(String why, String record, int code) {
        CleverTapSandbox.Reply reply = sandbox.upload("ACC", "PASS", JSON, "{\"d\":[" + GOOD + "," + record + "]}");

        JsonNode body = Json.parse(reply.body());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(body.path("status").asText()).isEqualTo("partial");
        assertThat(body.path("processed").asInt()).isEqualTo(1);
        assertThat(body.path("unprocessed").get(0).path("code").asInt()).isEqualTo(code);
        assertThat(body.path("unprocessed").get(0).path("record")).isEqualTo(Json.parse(record));
    }

    /** A NULL column maps to JSON null: no phone or email given, nothing to check (the mapping's drop-nulls aside). */
    @Test
    void aProfileWithNullPhoneAndEmailIsAccepted() {
        String profile = "{\"type\":\"profile\",\"identity\":\"u\",\"profileData\":{\"Phone\":null,\"Email\":null}}";

        CleverTapSandbox.Reply reply = sandbox.upload("ACC", "PASS", JSON, "{\"d\":[" + profile + "]}");

        assertThat(Json.parse(reply.body()).path("status").asText()).isEqualTo("success");
    }

    @Test
    void tooManyEventPropertiesIs522() {
        String data = IntStream.range(0, 101).mapToObj(i -> "\"p" + i + "\":" + i).collect(Collectors.joining(","));
        String record = "{\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"E\",\"evtData\":{" + data + "}}";

        JsonNode body = Json.parse(sandbox.upload("ACC", "PASS", JSON, "{\"d\":[" + record + "]}").body());

        assertThat(body.path("status").asText()).isEqualTo("fail");
        assertThat(body.path("unprocessed").get(0).path("code").asInt()).isEqualTo(522);
    }

    @Test
    void wrongCredentialsAre401() {
        assertThat(sandbox.upload("ACC", "WRONG", JSON, "{\"d\":[]}").status()).isEqualTo(401);
        assertThat(sandbox.upload(null, null, JSON, "{\"d\":[]}").status()).isEqualTo(401);
    }

    @Test
    void moreThanAThousandRecordsOrAMalformedBodyAre400() {
        String many = IntStream.range(0, 1001).mapToObj(i -> GOOD).collect(Collectors.joining(",", "{\"d\":[", "]}"));

        assertThat(sandbox.upload("ACC", "PASS", JSON, many).status()).isEqualTo(400);
        assertThat(sandbox.upload("ACC", "PASS", JSON, "{\"d\":").status()).isEqualTo(400);
        assertThat(sandbox.upload("ACC", "PASS", JSON, "{\"records\":[]}").status()).isEqualTo(400);
        assertThat(sandbox.upload("ACC", "PASS", "text/plain", "{\"d\":[]}").status()).isEqualTo(400);
        assertThat(sandbox.accepted()).isEmpty();
    }
}
