package io.junction.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shallow read of a request body, and the byte splices that rename the model. */
class RequestHeadTest {

  static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  static String rewrite(String body, String model, boolean replaceModel, boolean forceUsage) {
    RequestHead h = RequestHead.read(b(body));
    return h.rewrite(b(body), model, replaceModel, forceUsage).toString(StandardCharsets.UTF_8);
  }

  @Test
  void readsOnlyTheTopLevelFieldsRoutingNeeds() {
    RequestHead h = RequestHead.read(b("""
        {"messages":[{"role":"user","content":"{\\"model\\":\\"nested\\"}"}],"model":"gpt-4o","stream":true,
         "user":"u-1","stream_options":{"include_usage":true},"max_tokens":512,"tools":[{"model":"x"}]}"""));
    assertThat(h.model()).isEqualTo("gpt-4o");
    assertThat(h.stream()).isTrue();
    assertThat(h.user()).isEqualTo("u-1");
    assertThat(h.includeUsage()).isTrue();
    assertThat(h.maxOutputTokens()).isEqualTo(512);
  }

  @Test
  void anthropicMetadataUserIdIsTheUser() {
    assertThat(RequestHead.read(b("{\"model\":\"m\",\"metadata\":{\"user_id\":\"abc\"}}")).user()).isEqualTo("abc");
  }

  @Test
  void theModelIsReplacedInPlaceAndNothingElseMoves() {
    String body = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"hi \\u00e9 \\\"q\\\"\"} ],\n  \"model\" :  \"alias\" , \"x_beta\":{\"k\":[1,2.50,null]} }";
    String out = rewrite(body, "gpt-4o-2024-08-06", true, false);
    assertThat(out).isEqualTo(body.replace("\"alias\"", "\"gpt-4o-2024-08-06\""));
  }

  @Test
  void modelNamesAreJsonEscaped() {
    String out = rewrite("{\"model\":\"a\",\"n\":1}", "we\"ird\\name\u0001", true, false);
    assertThat(Json.parseUpstream(io.vertx.core.buffer.Buffer.buffer(out)).path("model").asText()).isEqualTo("we\"ird\\name\u0001");
  }

  @Test
  void aMissingModelIsAddedFirst() {
    assertThat(rewrite("{\"messages\":[]}", "m", true, false)).isEqualTo("{\"model\":\"m\",\"messages\":[]}");
    assertThat(rewrite("{ }", "m", true, false)).isEqualTo("{\"model\":\"m\" }");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"model\":\"a\",\"stream\":true}",
      "{\"model\":\"a\",\"stream\":true,\"stream_options\":{}}",
      "{\"stream_options\":{ },\"model\":\"a\",\"stream\":true}",
      "{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"include_usage\":false}}",
      "{\"stream_options\":{\"include_usage\" : false , \"x\":1},\"model\":\"a\",\"stream\":true}",
      "{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"x\":{\"y\":[1]}}}",
      "{\"stream\":true}",
  })
  void usageReportingIsTurnedOnWhateverTheClientSent(String body) {
    JsonNode out = Json.parseUpstream(io.vertx.core.buffer.Buffer.buffer(rewrite(body, "real", true, true)));
    assertThat(out.path("model").asText()).isEqualTo("real");
    assertThat(out.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(out.path("stream").asBoolean()).isTrue();
    JsonNode in = Json.parseUpstream(io.vertx.core.buffer.Buffer.buffer(body));
    if (in.path("stream_options").has("x")) assertThat(out.path("stream_options").path("x")).isEqualTo(in.path("stream_options").path("x"));
  }

  @Test
  void aBodyAlreadyAskingForUsageIsLeftAsIs() {
    String body = "{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    assertThat(rewrite(body, "a", false, true)).isEqualTo(body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[1,2]", "{\"model\":", "{\"model\":\"a\"} trailing", "{\"model\":7}", "{\"stream\":\"yes\",\"model\":\"a\"}", "nope"})
  void malformedBodiesAre400(String body) {
    assertThatThrownBy(() -> RequestHead.read(b(body))).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.status).isEqualTo(400));
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "{\"model\":\"a\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> RequestHead.read(b(deep))).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.status).isEqualTo(400));
  }
}
