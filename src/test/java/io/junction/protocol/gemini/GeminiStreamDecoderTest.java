package io.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.FinishReason;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code ?alt=sse} streams: {@code data: {…}\r\n\r\n} per GenerateContentResponse chunk. */
class GeminiStreamDecoderTest {

  /** Thought summary, text in two chunks (one with a multi-byte character), then a signed call with the finish. */
  private static final String STREAM = String.join("",
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Thinking about weather\",\"thought\":true}],\"role\":\"model\"},\"index\":0}],",
      "\"usageMetadata\":{\"promptTokenCount\":12,\"totalTokenCount\":12},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-1\"}\r\n\r\n",
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Caf\u00e9 \"}],\"role\":\"model\"},\"index\":0}],",
      "\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":2,\"totalTokenCount\":14},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-1\"}\r\n\r\n",
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"time.\"},",
      "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"c2lnLTE=\"},",
      "{\"functionCall\":{\"id\":\"fc-2\",\"name\":\"get_time\",\"args\":{}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],",
      "\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":9,\"totalTokenCount\":36,\"thoughtsTokenCount\":15,\"cachedContentTokenCount\":4},",
      "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-1\"}\r\n\r\n");

  private static List<StreamEvent> decode(List<byte[]> pieces) {
    StreamDecoder decoder = new GeminiCodec().streamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    for (byte[] piece : pieces) decoder.feed(Buffer.buffer(piece), events::add);
    decoder.finish(events::add);
    return events;
  }

  private static List<StreamEvent> decodeWhole(String body) {
    return decode(List.of(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Splits after every {@code step} bytes, which cuts CRLFs, "data:" prefixes and UTF-8 sequences. */
  private static List<byte[]> split(String body, int step) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += step) {
      byte[] piece = new byte[Math.min(step, bytes.length - i)];
      System.arraycopy(bytes, i, piece, 0, piece.length);
      pieces.add(piece);
    }
    return pieces;
  }

  @Test
  void decodesThoughtsTextCallsUsageAndFinish() {
    List<StreamEvent> events = decodeWhole(STREAM);
    assertThat(events).hasSize(14);
    assertThat(events.get(0)).isEqualTo(new StreamEvent.Start("resp-1", "gemini-2.5-flash", new Usage(12, 0)));
    assertThat(events.get(1)).isEqualTo(new StreamEvent.ThinkingDelta("Thinking about weather"));
    assertThat(events.get(2)).isEqualTo(new StreamEvent.UsageReport(new Usage(12, 0)));
    assertThat(events.get(3)).isEqualTo(new StreamEvent.TextDelta("Caf\u00e9 "));
    assertThat(events.get(4)).isEqualTo(new StreamEvent.UsageReport(new Usage(12, 2)));
    assertThat(events.get(5)).isEqualTo(new StreamEvent.TextDelta("time."));
    assertThat(events.get(6)).isEqualTo(new StreamEvent.ThinkingSignature("c2lnLTE="));
    StreamEvent.ToolCallStart first = (StreamEvent.ToolCallStart) events.get(7);
    assertThat(first.index()).isZero();
    assertThat(first.id()).startsWith("call_");
    assertThat(first.name()).isEqualTo("get_weather");
    assertThat(events.get(8)).isEqualTo(new StreamEvent.ToolCallDelta(0, "{\"city\":\"Paris\"}"));
    assertThat(events.get(9)).isEqualTo(new StreamEvent.ToolCallStart(1, "fc-2", "get_time"));
    assertThat(events.get(10)).isEqualTo(new StreamEvent.ToolCallDelta(1, "{}"));
    assertThat(events.get(11)).isEqualTo(new StreamEvent.UsageReport(new Usage(12, 24, 4, 0, 15)));
    assertThat(events.get(12)).isEqualTo(new StreamEvent.Finish(FinishReason.TOOL_CALLS, null));
    assertThat(events.get(13)).isEqualTo(new StreamEvent.End());
  }

  @Test
  void chunksSplitAnywhereDecodeTheSame() {
    List<StreamEvent> whole = withoutCallIds(decodeWhole(STREAM));
    for (int step : new int[] {1, 2, 3, 5, 7, 64, 333}) {
      assertThat(withoutCallIds(decode(split(STREAM, step)))).as("split every %d bytes", step).isEqualTo(whole);
    }
    // Bare LF line ends decode the same as Google's CRLF.
    assertThat(withoutCallIds(decodeWhole(STREAM.replace("\r\n", "\n")))).isEqualTo(whole);
  }

  /** Synthesized ids are random by design; compare everything else. */
  private static List<StreamEvent> withoutCallIds(List<StreamEvent> events) {
    return events.stream().map(e -> e instanceof StreamEvent.ToolCallStart s && s.id().startsWith("call_")
        ? new StreamEvent.ToolCallStart(s.index(), "call_?", s.name()) : e).toList();
  }

  @Test
  void maxTokensFinishesAsLength() {
    List<StreamEvent> events = decodeWhole("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Once\"}],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\",\"index\":0}]}\r\n\r\n");
    assertThat(events).containsSubsequence(new StreamEvent.TextDelta("Once"), new StreamEvent.Finish(FinishReason.LENGTH, null), new StreamEvent.End());
  }

  @Test
  void aStreamThatStopsWithoutFinishReasonIsAnError() {
    List<StreamEvent> events = decodeWhole("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\ndata: {\"cand");
    assertThat(events.get(events.size() - 1)).isInstanceOf(StreamEvent.Error.class);
    assertThat(events).noneMatch(e -> e instanceof StreamEvent.End || e instanceof StreamEvent.Finish);
  }

  @Test
  void anErrorChunkEndsTheStreamWithItsStatusAndMessage() {
    List<StreamEvent> events = decodeWhole("""
        data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}]}\r
        \r
        data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}\r
        \r
        """);
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Error("UNAVAILABLE", "The model is overloaded. Please try again later."));
    assertThat(events).noneMatch(e -> e instanceof StreamEvent.End);
  }

  @Test
  void aChunkThatIsNotJsonIsAnError() {
    List<StreamEvent> events = decodeWhole("data: {not json}\r\n\r\n");
    assertThat(events).singleElement().isInstanceOf(StreamEvent.Error.class);
  }

  @Test
  void aBlockedPromptFinishesAsContentFilter() {
    List<StreamEvent> events = decodeWhole("data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7}}\r\n\r\n");
    assertThat(events).containsSubsequence(new StreamEvent.Finish(FinishReason.CONTENT_FILTER, null), new StreamEvent.End());
  }
}
