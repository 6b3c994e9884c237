package io.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Complete answers: Anthropic's documented response bodies in, SDK-valid Message objects out. */
class AnthropicResponsesTest {
  private final AnthropicCodec codec = new AnthropicCodec();

  @Test
  void decodesTheDocumentedTextResponse() {
    ChatResponse r = codec.decodeResponse(Buffer.buffer("""
        {
          "content": [{"text": "Hi! My name is Claude.", "type": "text"}],
          "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
          "model": "claude-sonnet-4-5-20250929",
          "role": "assistant",
          "stop_reason": "end_turn",
          "stop_sequence": null,
          "type": "message",
          "usage": {"input_tokens": 2095, "output_tokens": 503}
        }"""));
    assertThat(r.id).isEqualTo("msg_013Zva2CMHLNnXjNJJKqJ2EF");
    assertThat(r.model).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.text()).isEqualTo("Hi! My name is Claude.");
    assertThat(r.finishReason).isEqualTo(FinishReason.STOP);
    assertThat(r.stopSequence).isNull();
    assertThat(r.usage).isEqualTo(new Usage(2095, 503));
  }

  @Test
  void decodesToolUseThinkingAndCacheUsage() throws Exception {
    ChatResponse r = codec.decodeResponse(Buffer.buffer("""
        {
          "id": "msg_01Aq9w938a90dw8q", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
          "content": [
            {"type": "thinking", "thinking": "The user wants weather.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
            {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
            {"type": "text", "text": "I'll check the current weather in San Francisco for you."},
            {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA"}},
            {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"query": "x"}}
          ],
          "stop_reason": "tool_use", "stop_sequence": null,
          "usage": {"input_tokens": 21, "cache_creation_input_tokens": 188086, "cache_read_input_tokens": 0, "output_tokens": 393}
        }"""));
    assertThat(r.content).hasSize(4);
    assertThat(r.content.get(0)).isEqualTo(new Part.Thinking("The user wants weather.", "EqQBCgIYAhIM1gbcDa9GJwZA2b3h", null));
    assertThat(((Part.Thinking) r.content.get(1)).redactedData()).isEqualTo("EmwKAhgBEgy3va3pzix");
    Part.ToolCall call = r.toolCalls().get(0);
    assertThat(call.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(Json.parse(call.arguments())).isEqualTo(Json.parse("{\"location\":\"San Francisco, CA\"}"));
    assertThat(r.finishReason).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage).as("input includes cache tokens canonically").isEqualTo(new Usage(188107, 393, 0, 188086, 0));
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, STOP", "max_tokens, LENGTH", "stop_sequence, STOP_SEQUENCE", "tool_use, TOOL_CALLS",
      "refusal, CONTENT_FILTER"})
  void stopReasonsMapBothWays(String stopReason, FinishReason reason) throws Exception {
    String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
        + "\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
    ChatResponse decoded = codec.decodeResponse(Buffer.buffer(body));
    assertThat(decoded.finishReason).isEqualTo(reason);
    assertThat(Json.parse(codec.encodeResponse(decoded, new ChatRequest())).get("stop_reason").asText()).isEqualTo(stopReason);
  }

  @Test
  void oneHourCacheWritesAndTheServiceTierRoundTrip() throws Exception {
    ChatResponse r = codec.decodeResponse(Buffer.buffer("""
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":20,"cache_creation_input_tokens":3000,"cache_read_input_tokens":0,
           "cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},
           "output_tokens":5,"service_tier":"priority"}}"""));
    assertThat(r.usage).isEqualTo(new Usage(3020, 5, 0, 3000, 0, 2000, "priority"));
    var usage = Json.parse(codec.encodeResponse(r, new ChatRequest()).toString()).get("usage");
    assertThat(usage.get("input_tokens").asLong()).isEqualTo(20);
    assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").asLong()).isEqualTo(1000);
    assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong()).isEqualTo(2000);
  }

  @Test
  void reasonsWithoutAnAnthropicWordEndTheTurn() {
    String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
        + "\"stop_reason\":\"pause_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
    assertThat(codec.decodeResponse(Buffer.buffer(body)).finishReason).isEqualTo(FinishReason.OTHER);
    ChatResponse other = new ChatResponse();
    other.finishReason = FinishReason.OTHER;
    assertThat(Json.parseUpstream(codec.encodeResponse(other, new ChatRequest())).get("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void encodesAnSdkValidMessageWithUsageWithoutCacheTokens() throws Exception {
    ChatResponse r = new ChatResponse();
    r.id = "chatcmpl-123";
    r.model = "gpt-4o-2024-08-06";
    r.content.add(new Part.Thinking("hmm", "sig", null));
    r.content.add(new Part.Text("Let me look."));
    r.content.add(new Part.ToolCall("call_1", "lookup", "{\"q\":\"junction\"}"));
    r.finishReason = FinishReason.TOOL_CALLS;
    r.usage = new Usage(1200, 40, 1000, 0, 0);
    ChatRequest req = new ChatRequest();
    req.model = "gpt-4o";

    Buffer body = codec.encodeResponse(r, req);
    Message m = AnthropicSdkCheck.message(body);

    assertThat(m.id()).isEqualTo("chatcmpl-123");
    assertThat(m.model().asString()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(m.content()).hasSize(3);
    assertThat(m.content().get(0).asThinking().signature()).isEqualTo("sig");
    assertThat(m.content().get(1).asText().text()).isEqualTo("Let me look.");
    assertThat(m.content().get(2).asToolUse().name()).isEqualTo("lookup");
    assertThat(Json.parse(body).at("/content/2/input")).isEqualTo(Json.parse("{\"q\":\"junction\"}"));
    assertThat(m.usage().inputTokens()).as("Anthropic input excludes cache reads").isEqualTo(200);
    assertThat(m.usage().cacheReadInputTokens()).contains(1000L);
    assertThat(m.usage().outputTokens()).isEqualTo(40);
  }

  @Test
  void encodesMissingIdsModelAndBrokenToolArguments() throws Exception {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.ToolCall(null, "f", "{not json"));
    r.finishReason = FinishReason.STOP_SEQUENCE;
    r.stopSequence = "###";
    ChatRequest req = new ChatRequest();
    req.model = "smart";
    Buffer body = codec.encodeResponse(r, req);
    Message m = AnthropicSdkCheck.message(body);
    assertThat(m.id()).startsWith("msg_");
    assertThat(m.model().asString()).isEqualTo("smart");
    assertThat(m.content().get(0).asToolUse().id()).startsWith("toolu_");
    assertThat(Json.parse(body).at("/content/0/input/_raw_arguments").asText()).isEqualTo("{not json");
    assertThat(m.stopSequence()).contains("###");
  }

  @Test
  void toolCallsEndingInAPlainStopBecomeToolUse() throws Exception {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.ToolCall("call_1", "f", "{}"));
    r.finishReason = FinishReason.STOP;
    ChatRequest req = new ChatRequest();
    req.model = "gemini-2.5-pro";
    assertThat(AnthropicSdkCheck.message(codec.encodeResponse(r, req)).stopReason()).contains(StopReason.TOOL_USE);
    r.finishReason = FinishReason.LENGTH;
    assertThat(AnthropicSdkCheck.message(codec.encodeResponse(r, req)).stopReason()).contains(StopReason.MAX_TOKENS);
  }

  @Test
  void garbageFromUpstreamIsA502() {
    assertThatThrownBy(() -> codec.decodeResponse(Buffer.buffer("<html>oops</html>")))
        .isInstanceOf(GatewayException.class).satisfies(e -> assertThat(((GatewayException) e).status).isEqualTo(502));
    assertThatThrownBy(() -> codec.decodeResponse(Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}")))
        .isInstanceOf(GatewayException.class).satisfies(e -> assertThat(((GatewayException) e).status).isEqualTo(502));
  }

  @Test
  void countTokensAnswers() {
    assertThat(codec.decodeCountTokensResponse(Buffer.buffer("{\"input_tokens\":2095}"))).isEqualTo(2095);
    assertThat(codec.encodeCountTokensResponse(14).toString()).isEqualTo("{\"input_tokens\":14}");
    assertThatThrownBy(() -> codec.decodeCountTokensResponse(Buffer.buffer("{\"tokens\":1}")))
        .isInstanceOf(GatewayException.class);
  }
}
