package io.junction.protocol.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Part;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.junction.testing.MockBedrockServer;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class BedrockStreamDecoderTest {

  static final List<StreamEvent> TOOL_STREAM_EVENTS = List.of(
      new StreamEvent.Start("id", null, null),
      new StreamEvent.ThinkingDelta("Hmm."),
      new StreamEvent.ThinkingSignature("EqQB"),
      new StreamEvent.TextDelta("Chec"), new StreamEvent.TextDelta("king"),
      new StreamEvent.ToolCallStart(0, "tooluse_1", "get_weather"),
      new StreamEvent.ToolCallDelta(0, "{\"ci"), new StreamEvent.ToolCallDelta(0, "ty\":"), new StreamEvent.ToolCallDelta(0, "\"Par"),
      new StreamEvent.ToolCallDelta(0, "is\"}"),
      new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
      new StreamEvent.UsageReport(new Usage(120, 30, 100, 0, 0)),
      new StreamEvent.End());

  static Buffer toolStream() {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Thinking("Hmm.", "EqQB", null));
    r.content.add(new Part.Text("Checking"));
    r.content.add(new Part.ToolCall("tooluse_1", "get_weather", "{\"city\":\"Paris\"}"));
    r.finishReason = FinishReason.TOOL_CALLS;
    r.usage = new Usage(120, 30, 100, 0, 0);
    Buffer all = Buffer.buffer();
    MockBedrockServer.frames(r).forEach(all::appendBuffer);
    return all;
  }

  /** Feeds the chunks, finishes, and blanks the generated message id so runs compare equal. */
  static List<StreamEvent> decode(Buffer... chunks) {
    StreamDecoder d = new BedrockCodec().streamDecoder();
    List<StreamEvent> out = new ArrayList<>();
    for (Buffer c : chunks) d.feed(c, out::add);
    d.finish(out::add);
    return out.stream().map(e -> e instanceof StreamEvent.Start s ? new StreamEvent.Start("id", s.model(), s.usage()) : e).toList();
  }

  @Test
  void decodesAWholeStream() {
    assertThat(decode(toolStream())).containsExactlyElementsOf(TOOL_STREAM_EVENTS);
  }

  @Test
  void decodesTheSameAtEverySplitPoint() {
    Buffer all = toolStream();
    for (int i = 0; i <= all.length(); i++) {
      assertThat(decode(all.getBuffer(0, i), all.getBuffer(i, all.length()))).as("split at %d", i)
          .containsExactlyElementsOf(TOOL_STREAM_EVENTS);
    }
  }

  @Test
  void decodesByteByByte() {
    Buffer all = toolStream();
    Buffer[] bytes = new Buffer[all.length()];
    for (int i = 0; i < bytes.length; i++) bytes[i] = all.getBuffer(i, i + 1);
    assertThat(decode(bytes)).containsExactlyElementsOf(TOOL_STREAM_EVENTS);
  }

  @Test
  void aCorruptPayloadIsAnError() {
    Buffer all = toolStream();
    byte[] bytes = all.getBytes();
    bytes[20] ^= 0x01; // inside the first frame's headers: message CRC no longer matches
    List<StreamEvent> events = decode(Buffer.buffer(bytes));
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).isInstanceOfSatisfying(StreamEvent.Error.class, e -> assertThat(e.message()).contains("message CRC"));
  }

  @Test
  void aCorruptPreludeIsAnError() {
    byte[] bytes = toolStream().getBytes();
    bytes[3] ^= 0x01; // total length
    assertThat(decode(Buffer.buffer(bytes))).singleElement()
        .isInstanceOfSatisfying(StreamEvent.Error.class, e -> assertThat(e.message()).contains("prelude CRC"));
  }

  @Test
  void aStreamWithoutMessageStopIsAnError() {
    Buffer partial = MockBedrockServer.eventFrame("messageStart", io.junction.protocol.Json.object().put("role", "assistant"))
        .appendBuffer(MockBedrockServer.eventFrame("contentBlockDelta",
            (com.fasterxml.jackson.databind.node.ObjectNode) io.junction.protocol.Json.object().put("contentBlockIndex", 0)
                .set("delta", io.junction.protocol.Json.object().put("text", "Hi"))));
    List<StreamEvent> events = decode(partial);
    assertThat(events.subList(0, 2)).containsExactly(new StreamEvent.Start("id", null, null), new StreamEvent.TextDelta("Hi"));
    assertThat(events.get(2)).isInstanceOfSatisfying(StreamEvent.Error.class, e -> assertThat(e.message()).contains("without messageStop"));
  }

  @Test
  void aStreamCutInsideAFrameIsAnError() {
    Buffer all = toolStream();
    List<StreamEvent> events = decode(all.getBuffer(0, all.length() - 3));
    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(StreamEvent.Error.class,
        e -> assertThat(e.message()).contains("inside a frame"));
    assertThat(events).doesNotContain(new StreamEvent.End());
  }

  @Test
  void exceptionFramesBecomeErrors() {
    Buffer stream = MockBedrockServer.eventFrame("messageStart", io.junction.protocol.Json.object().put("role", "assistant"))
        .appendBuffer(MockBedrockServer.exceptionFrame("throttlingException", "Too many requests, please wait before trying again."));
    assertThat(decode(stream)).containsExactly(new StreamEvent.Start("id", null, null),
        new StreamEvent.Error("rate_limit_error", "Too many requests, please wait before trying again."));
  }

  @Test
  void skipsHeaderTypesItDoesNotRead() {
    // Every header value type of the format (bool, byte, short, int, long, bytes, timestamp, uuid) before the string ones.
    Buffer headers = Buffer.buffer();
    header(headers, "t", 0, new byte[0]);
    header(headers, "f", 1, new byte[0]);
    header(headers, "b", 2, new byte[] {1});
    header(headers, "s", 3, new byte[] {0, 2});
    header(headers, "i", 4, new byte[] {0, 0, 0, 3});
    header(headers, "l", 5, new byte[] {0, 0, 0, 0, 0, 0, 0, 4});
    header(headers, "y", 6, new byte[] {0, 2, 9, 9});
    header(headers, "d", 8, new byte[8]);
    header(headers, "u", 9, new byte[16]);
    stringHeader(headers, ":message-type", "event");
    stringHeader(headers, ":event-type", "messageStop");
    Buffer stream = frame(headers, "{\"stopReason\":\"max_tokens\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(decode(stream)).containsExactly(new StreamEvent.Start("id", null, null),
        new StreamEvent.Finish(FinishReason.LENGTH, null), new StreamEvent.End());
  }

  @Test
  void anUnknownHeaderTypeIsAFramingError() {
    Buffer headers = Buffer.buffer();
    header(headers, "x", 42, new byte[0]);
    assertThat(decode(frame(headers, new byte[0]))).singleElement()
        .isInstanceOfSatisfying(StreamEvent.Error.class, e -> assertThat(e.message()).contains("header value type 42"));
  }

  private static void header(Buffer b, String name, int type, byte[] value) {
    b.appendUnsignedByte((short) name.length()).appendString(name).appendUnsignedByte((short) type).appendBytes(value);
  }

  private static void stringHeader(Buffer b, String name, String value) {
    header(b, name, 7, Buffer.buffer().appendUnsignedShort(value.length()).appendString(value).getBytes());
  }

  /** Frames by hand (independently of EventStream.encode) so the decoder is checked against the format, not itself. */
  private static Buffer frame(Buffer headers, byte[] payload) {
    Buffer out = Buffer.buffer().appendUnsignedInt(16 + headers.length() + payload.length).appendUnsignedInt(headers.length());
    out.appendUnsignedInt(crc(out.getBytes()));
    out.appendBuffer(headers).appendBytes(payload);
    return out.appendUnsignedInt(crc(out.getBytes()));
  }

  private static long crc(byte[] bytes) {
    CRC32 c = new CRC32();
    c.update(bytes);
    return c.getValue();
  }
}
