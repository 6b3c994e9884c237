package io.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.FinishReason;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic SSE (samples shaped like the streaming docs) into canonical events, however the bytes are cut. */
class AnthropicStreamDecoderTest {

  static final String TOOL_STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-opus-4-6","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", let's check the weather for San Francisco, CA:"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: content_block_start
      data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisc"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"o, CA\\", \\"unit\\": \\"fahrenheit\\"}"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":1}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  /** Thinking with multi-byte characters, so byte cuts land inside UTF-8 sequences. */
  static final String THINKING_STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":2000,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"1071 = 2 × 462 + 147 — Euclid ✓ 🧮"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: content_block_start
      data: {"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":1}

      event: content_block_start
      data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"GCD is 21 — ünïcödé"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":2}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":310}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  static List<StreamEvent> decode(byte[]... chunks) {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    for (byte[] c : chunks) decoder.feed(Buffer.buffer(c), events::add);
    decoder.finish(events::add);
    return events;
  }

  static List<StreamEvent> decode(String sse) { return decode(sse.getBytes(StandardCharsets.UTF_8)); }

  @Test
  void decodesTextAndAToolCall() {
    assertThat(decode(TOOL_STREAM)).containsExactly(
        new StreamEvent.Start("msg_014p7gG3wDgGV9EUtLvnow3U", "claude-opus-4-6", new Usage(472, 2)),
        new StreamEvent.TextDelta("Okay"),
        new StreamEvent.TextDelta(", let's check the weather for San Francisco, CA:"),
        new StreamEvent.ToolCallStart(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather"),
        new StreamEvent.ToolCallDelta(0, "{\"location\":"),
        new StreamEvent.ToolCallDelta(0, " \"San Francisc"),
        new StreamEvent.ToolCallDelta(0, "o, CA\", \"unit\": \"fahrenheit\"}"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
        new StreamEvent.UsageReport(new Usage(472, 89)),
        new StreamEvent.End());
  }

  @Test
  void decodesThinkingSignaturesRedactedBlocksAndCacheUsage() {
    assertThat(decode(THINKING_STREAM)).containsExactly(
        new StreamEvent.Start("msg_01", "claude-sonnet-4-5", new Usage(2012, 1, 2000, 0, 0)),
        new StreamEvent.ThinkingDelta("1071 = 2 × 462 + 147 — Euclid ✓ 🧮"),
        new StreamEvent.ThinkingSignature("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"),
        new StreamEvent.RedactedThinking("EmwKAhgBEgy3va3pzix"),
        new StreamEvent.TextDelta("GCD is 21 — ünïcödé"),
        new StreamEvent.Finish(FinishReason.STOP, null),
        new StreamEvent.UsageReport(new Usage(2012, 310, 2000, 0, 0)),
        new StreamEvent.End());
  }

  @Test
  void everyTwoWayCutGivesTheSameEvents() {
    for (String sse : List.of(TOOL_STREAM, THINKING_STREAM)) {
      byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
      List<StreamEvent> whole = decode(bytes);
      for (int cut = 1; cut < bytes.length; cut++) {
        byte[] a = java.util.Arrays.copyOfRange(bytes, 0, cut);
        byte[] b = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
        assertThat(decode(a, b)).as("cut at byte %d", cut).isEqualTo(whole);
      }
    }
  }

  @Test
  void byteByByteAndCrlfGiveTheSameEvents() {
    byte[] bytes = THINKING_STREAM.getBytes(StandardCharsets.UTF_8);
    byte[][] single = new byte[bytes.length][];
    for (int i = 0; i < bytes.length; i++) single[i] = new byte[] {bytes[i]};
    assertThat(decode(single)).isEqualTo(decode(bytes));
    assertThat(decode(THINKING_STREAM.replace("\n", "\r\n"))).isEqualTo(decode(bytes));
  }

  @Test
  void aStreamWithoutMessageStopEndsInAnError() {
    String truncated = TOOL_STREAM.substring(0, TOOL_STREAM.indexOf("event: message_stop"));
    List<StreamEvent> events = decode(truncated);
    assertThat(events).doesNotContain(new StreamEvent.End());
    assertThat(events.get(events.size() - 1)).isInstanceOf(StreamEvent.Error.class);
    assertThat(decode("")).singleElement().isInstanceOf(StreamEvent.Error.class);
  }

  @Test
  void anErrorEventIsPassedOnOnce() {
    String sse = TOOL_STREAM.substring(0, TOOL_STREAM.indexOf("event: content_block_stop")) + """
        event: error
        data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

        """;
    List<StreamEvent> events = decode(sse);
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Error("overloaded_error", "Overloaded"));
    assertThat(events.stream().filter(e -> e instanceof StreamEvent.Error)).hasSize(1);
  }

  @Test
  void unknownEventsAndDeltasAreSkippedAndGarbageIsAnError() {
    String sse = """
        event: message_start
        data: {"type":"message_start","message":{"id":"m","model":"x","usage":{"input_tokens":1,"output_tokens":0}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}

        event: brand_new_event
        data: {"type":"brand_new_event"}

        event: content_block_delta
        data: {not json

        """;
    List<StreamEvent> events = decode(sse);
    assertThat(events).hasSize(2);
    assertThat(events.get(1)).isInstanceOf(StreamEvent.Error.class);
  }

  @Test
  void messageDeltaUsageWithInputReplacesTheStartValues() {
    String sse = """
        event: message_start
        data: {"type":"message_start","message":{"id":"m","model":"x","usage":{"input_tokens":0,"output_tokens":0}}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":30,"cache_read_input_tokens":70,"output_tokens":9}}

        event: message_stop
        data: {"type":"message_stop"}

        """;
    assertThat(decode(sse)).contains(new StreamEvent.Finish(FinishReason.LENGTH, null),
        new StreamEvent.UsageReport(new Usage(100, 9, 70, 0, 0)));
  }
}
