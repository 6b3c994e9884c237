package io.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical events to Anthropic SSE, checked event by event and through the official SDK's accumulator. */
class AnthropicStreamEncoderTest {

  private static Buffer encode(List<StreamEvent> events) {
    AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("requested-model");
    Buffer out = Buffer.buffer();
    events.forEach(e -> encoder.encode(e, out));
    return out;
  }

  private static List<String> names(Buffer sse) {
    return AnthropicSdkCheck.events(sse).stream().map(e -> e[0]).toList();
  }

  /** What an OpenAI upstream produces for a text answer followed by two tool calls, usage last. */
  private static final List<StreamEvent> OPENAI_STYLE = List.of(
      new StreamEvent.Start("chatcmpl-9", "gpt-4o-2024-08-06", null),
      new StreamEvent.TextDelta(""),
      new StreamEvent.TextDelta("Checking "),
      new StreamEvent.TextDelta("both."),
      new StreamEvent.ToolCallStart(0, "call_a", "get_weather"),
      new StreamEvent.ToolCallDelta(0, "{\"city\":"),
      new StreamEvent.ToolCallDelta(0, "\"Paris\"}"),
      new StreamEvent.ToolCallStart(1, "call_b", "get_weather"),
      new StreamEvent.ToolCallDelta(1, "{\"city\":\"Rome\"}"),
      new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
      new StreamEvent.UsageReport(new Usage(120, 33, 100, 0, 0)),
      new StreamEvent.End());

  @Test
  void textThenToolCallsGiveTheAnthropicEventSequence() throws Exception {
    Buffer sse = encode(OPENAI_STYLE);
    assertThat(names(sse)).containsExactly(
        "message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    for (String[] e : AnthropicSdkCheck.events(sse)) {
      assertThat(Json.parse(e[1]).get("type").asText()).as("data type names the event").isEqualTo(e[0]);
    }
    List<String[]> events = AnthropicSdkCheck.events(sse);
    assertThat(Json.parse(events.get(6)[1]).get("content_block"))
        .isEqualTo(Json.parse("{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"get_weather\",\"input\":{}}"));
    assertThat(Json.parse(events.get(13)[1])).isEqualTo(Json.parse("""
        {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
         "usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":33}}"""));

    Message m = AnthropicSdkCheck.accumulate(sse);
    assertThat(m.id()).isEqualTo("chatcmpl-9");
    assertThat(m.content()).hasSize(3);
    assertThat(m.content().get(0).asText().text()).isEqualTo("Checking both.");
    assertThat(m.content().get(1).asToolUse()._input().toString()).isEqualTo("{city=Paris}");
    assertThat(m.content().get(2).asToolUse().id()).isEqualTo("call_b");
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(m.usage().outputTokens()).isEqualTo(33);
  }

  @Test
  void thinkingBlocksCarryTheirSignatureAndRedactedOnesStandAlone() throws Exception {
    Buffer sse = encode(List.of(
        new StreamEvent.Start("msg_1", "claude-sonnet-4-5", new Usage(50, 1)),
        new StreamEvent.ThinkingDelta("Let me think"),
        new StreamEvent.ThinkingDelta(" harder."),
        new StreamEvent.ThinkingSignature("sig=="),
        new StreamEvent.RedactedThinking("opaque"),
        new StreamEvent.TextDelta("42"),
        new StreamEvent.Finish(FinishReason.STOP, null),
        new StreamEvent.UsageReport(new Usage(50, 200)),
        new StreamEvent.End()));
    assertThat(names(sse)).containsExactly("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    List<String[]> events = AnthropicSdkCheck.events(sse);
    assertThat(Json.parse(events.get(5)[1]).get("delta")).isEqualTo(Json.parse("{\"type\":\"signature_delta\",\"signature\":\"sig==\"}"));
    assertThat(Json.parse(events.get(7)[1]).get("index").asInt()).isEqualTo(1);

    Message m = AnthropicSdkCheck.accumulate(sse);
    assertThat(m.content().get(0).asThinking().thinking()).isEqualTo("Let me think harder.");
    assertThat(m.content().get(0).asThinking().signature()).isEqualTo("sig==");
    assertThat(m.content().get(1).asRedactedThinking().data()).isEqualTo("opaque");
    assertThat(m.content().get(2).asText().text()).isEqualTo("42");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
  }

  @Test
  void failEmitsAnErrorEventAndNoMessageStop() throws Exception {
    AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("m");
    Buffer out = Buffer.buffer();
    encoder.encode(new StreamEvent.Start("msg_1", "m", null), out);
    encoder.encode(new StreamEvent.TextDelta("partial"), out);
    encoder.fail(new GatewayException(ErrorKind.OVERLOADED, "Upstream overloaded"), out);
    encoder.encode(new StreamEvent.End(), out);

    List<String[]> events = AnthropicSdkCheck.events(out);
    assertThat(events.stream().map(e -> e[0])).containsExactly("message_start", "ping", "content_block_start", "content_block_delta", "error");
    assertThat(Json.parse(events.get(4)[1])).isEqualTo(Json.parse(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Upstream overloaded\"}}"));
  }

  @Test
  void anUpstreamErrorEventEndsTheStreamTheSameWay() throws Exception {
    Buffer sse = encode(List.of(new StreamEvent.Start("msg_1", "m", null), new StreamEvent.Error("server_error", "boom"),
        new StreamEvent.TextDelta("ignored")));
    List<String[]> events = AnthropicSdkCheck.events(sse);
    assertThat(events.get(events.size() - 1)[0]).isEqualTo("error");
    assertThat(Json.parse(events.get(events.size() - 1)[1]).at("/error/type").asText()).as("unknown types become api_error").isEqualTo("api_error");
    assertThat(names(sse)).doesNotContain("message_stop", "content_block_start");
  }

  @Test
  void aStreamedToolCallEndingInAPlainStopEndsAsToolUse() throws Exception {
    Buffer sse = encode(List.of(new StreamEvent.Start("r1", "gemini-2.5-pro", null),
        new StreamEvent.ToolCallStart(0, "fc_1", "lookup"), new StreamEvent.ToolCallDelta(0, "{}"),
        new StreamEvent.Finish(FinishReason.STOP, null), new StreamEvent.End()));
    assertThat(AnthropicSdkCheck.accumulate(sse).stopReason()).contains(StopReason.TOOL_USE);
  }

  @Test
  void eventsBeforeStartStillOpenWithMessageStartAndTheRequestedModel() throws Exception {
    Buffer sse = encode(List.of(new StreamEvent.TextDelta("hi"), new StreamEvent.End()));
    Message m = AnthropicSdkCheck.accumulate(sse);
    assertThat(m.model().asString()).isEqualTo("requested-model");
    assertThat(m.id()).startsWith("msg_");
    assertThat(m.content().get(0).asText().text()).isEqualTo("hi");
  }

  @Test
  void decodingThenEncodingAnAnthropicStreamKeepsItsContent() throws Exception {
    for (String original : List.of(AnthropicStreamDecoderTest.TOOL_STREAM, AnthropicStreamDecoderTest.THINKING_STREAM)) {
      Buffer reencoded = encode(AnthropicStreamDecoderTest.decode(original));
      Message before = AnthropicSdkCheck.accumulate(Buffer.buffer(original.getBytes(StandardCharsets.UTF_8)));
      Message after = AnthropicSdkCheck.accumulate(reencoded);
      assertThat(after.content()).isEqualTo(before.content());
      assertThat(after.stopReason()).isEqualTo(before.stopReason());
      assertThat(after.usage().outputTokens()).isEqualTo(before.usage().outputTokens());
      assertThat(after.usage().inputTokens()).isEqualTo(before.usage().inputTokens());
    }
  }
  @Test
  void messageStartCarriesTheInputEstimateOnlyWhenTheUpstreamHasNotCountedInputYet() throws Exception {
    List<StreamEvent> openAiStyle = List.of(new StreamEvent.Start("chatcmpl-1", "gpt-4o", null), new StreamEvent.TextDelta("hi"),
        new StreamEvent.Finish(io.junction.protocol.FinishReason.STOP, null), new StreamEvent.UsageReport(new Usage(40, 2)),
        new StreamEvent.End());
    List<String[]> events = AnthropicSdkCheck.events(encodeWithEstimate(openAiStyle, 123));
    com.fasterxml.jackson.databind.JsonNode start = io.junction.protocol.Json.parse(events.get(0)[1]);
    assertThat(start.path("message").path("usage").path("input_tokens").asLong()).isEqualTo(123);
    com.fasterxml.jackson.databind.JsonNode delta = io.junction.protocol.Json.parse(
        events.stream().filter(e -> e[0].equals("message_delta")).findFirst().orElseThrow()[1]);
    assertThat(delta.path("usage").path("input_tokens").asLong()).isEqualTo(40);

    List<StreamEvent> counted = List.of(new StreamEvent.Start("msg_1", "claude-sonnet-4-5", new Usage(50, 1)),
        new StreamEvent.TextDelta("hi"), new StreamEvent.End());
    start = io.junction.protocol.Json.parse(AnthropicSdkCheck.events(encodeWithEstimate(counted, 123)).get(0)[1]);
    assertThat(start.path("message").path("usage").path("input_tokens").asLong()).isEqualTo(50);
  }

  private static Buffer encodeWithEstimate(List<StreamEvent> events, long estimate) {
    AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("requested-model", () -> estimate);
    Buffer out = Buffer.buffer();
    events.forEach(e -> encoder.encode(e, out));
    return out;
  }
}
