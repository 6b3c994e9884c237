package io.junction.protocol.cohere;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.FinishReason;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CohereStreamDecoderTest {

  /** A tool-calling stream as Cohere sends it (shapes from docs.cohere.com "Streaming for tool use"), CRLF line ends included. */
  static final String TOOL_STREAM = """
      event: message-start
      data: {"id":"29f14a5a-11de-4cae-9800-25e4747408ea","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

      event: tool-plan-delta
      data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will search"}}}

      event: tool-plan-delta
      data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":" the weather."}}}

      event: tool-call-start
      data: {"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_nsz5zm3w56q3","type":"function","function":{"name":"get_weather","arguments":""}}}}}

      event: tool-call-delta
      data: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\\n    \\"loc"}}}}}

      event: tool-call-delta
      data: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"ation\\": \\"Toronto\\"}"}}}}}

      event: tool-call-end
      data: {"type":"tool-call-end","index":0}

      event: message-end
      data: {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":37,"output_tokens":28},"tokens":{"input_tokens":913,"output_tokens":83}}}}

      """.replace("event: tool-call-end\n", "event: tool-call-end\r\n");

  static final List<StreamEvent> TOOL_EVENTS = List.of(
      new StreamEvent.Start("29f14a5a-11de-4cae-9800-25e4747408ea", null, null),
      new StreamEvent.TextDelta("I will search"), new StreamEvent.TextDelta(" the weather."),
      new StreamEvent.ToolCallStart(0, "get_weather_nsz5zm3w56q3", "get_weather"),
      new StreamEvent.ToolCallDelta(0, "{\n    \"loc"), new StreamEvent.ToolCallDelta(0, "ation\": \"Toronto\"}"),
      new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
      new StreamEvent.UsageReport(new Usage(37, 28)),
      new StreamEvent.End());

  static final String TEXT_STREAM = """
      event: message-start
      data: {"id":"m1","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

      event: content-start
      data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}

      event: content-delta
      data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"Short answer."}}}}

      event: content-end
      data: {"type":"content-end","index":0}

      event: content-start
      data: {"type":"content-start","index":1,"delta":{"message":{"content":{"type":"text","text":""}}}}

      event: content-delta
      data: {"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"Hello"}}},"logprobs":null}

      event: content-delta
      data: {"type":"content-delta","index":1,"delta":{"message":{"content":{"text":" wörld"}}}}

      event: content-end
      data: {"type":"content-end","index":1}

      event: message-end
      data: {"type":"message-end","delta":{"finish_reason":"MAX_TOKENS","usage":{"billed_units":{"input_tokens":3,"output_tokens":2},"tokens":{"input_tokens":70,"output_tokens":2}}}}

      """;

  static List<StreamEvent> decode(Buffer... chunks) {
    StreamDecoder d = new CohereCodec().streamDecoder();
    List<StreamEvent> out = new ArrayList<>();
    for (Buffer c : chunks) d.feed(c, out::add);
    d.finish(out::add);
    return out;
  }

  @Test
  void decodesAToolCallStreamAtEverySplitPoint() {
    Buffer all = Buffer.buffer(TOOL_STREAM);
    for (int i = 0; i <= all.length(); i++) {
      assertThat(decode(all.getBuffer(0, i), all.getBuffer(i, all.length()))).as("split at %d", i).containsExactlyElementsOf(TOOL_EVENTS);
    }
  }

  @Test
  void decodesTextAndThinkingByteByByte() {
    Buffer all = Buffer.buffer(TEXT_STREAM);
    Buffer[] bytes = new Buffer[all.length()];
    for (int i = 0; i < bytes.length; i++) bytes[i] = all.getBuffer(i, i + 1);
    assertThat(decode(bytes)).containsExactly(
        new StreamEvent.Start("m1", null, null),
        new StreamEvent.ThinkingDelta("Short answer."),
        new StreamEvent.TextDelta("Hello"), new StreamEvent.TextDelta(" wörld"),
        new StreamEvent.Finish(FinishReason.LENGTH, null),
        new StreamEvent.UsageReport(new Usage(3, 2)),
        new StreamEvent.End());
  }

  @Test
  void aStreamWithoutMessageEndIsAnError() {
    String cut = TEXT_STREAM.substring(0, TEXT_STREAM.indexOf("event: message-end"));
    List<StreamEvent> events = decode(Buffer.buffer(cut));
    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(StreamEvent.Error.class,
        e -> assertThat(e.message()).contains("without message-end"));
    assertThat(events).doesNotContain(new StreamEvent.End());
  }

  @Test
  void anErrorAtMessageEndIsAnError() {
    String stream = """
        event: message-start
        data: {"id":"m2","type":"message-start","delta":{"message":{"role":"assistant"}}}

        event: message-end
        data: {"type":"message-end","delta":{"error":"internal server error","finish_reason":"ERROR"}}

        """;
    assertThat(decode(Buffer.buffer(stream))).containsExactly(new StreamEvent.Start("m2", null, null),
        new StreamEvent.Error("api_error", "internal server error"));
  }

  @Test
  void aNonJsonEventIsAnError() {
    List<StreamEvent> events = decode(Buffer.buffer("event: message-start\ndata: {oops\n\n"));
    assertThat(events).singleElement().isInstanceOf(StreamEvent.Error.class);
  }

  @Test
  void aToolDeltaForAnUnknownCallIsAnError() {
    String stream = """
        data: {"id":"m3","type":"message-start","delta":{"message":{"role":"assistant"}}}

        data: {"type":"tool-call-delta","index":4,"delta":{"message":{"tool_calls":{"function":{"arguments":"{}"}}}}}

        """;
    List<StreamEvent> events = decode(Buffer.buffer(stream));
    assertThat(events.get(1)).isInstanceOfSatisfying(StreamEvent.Error.class, e -> assertThat(e.message()).contains("never started"));
    assertThat(events).hasSize(2);
  }
}
