package io.junction.protocol.gemini;

import static io.junction.protocol.gemini.GeminiRequestDecoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Gemini clients receive from {@code :streamGenerateContent}, with and without {@code ?alt=sse}. */
class GeminiStreamEncoderTest {
  private final GeminiCodec codec = new GeminiCodec();

  private StreamEncoder encoder(boolean sse) {
    ChatRequest req = new ChatRequest();
    req.model = "gemini-2.5-flash";
    return codec.streamEncoder(req, sse);
  }

  private static final List<StreamEvent> TEXT_STREAM = List.of(
      new StreamEvent.Start("resp-9", "gpt-4o-mini", new Usage(11, 0)),
      new StreamEvent.TextDelta("Hello"),
      new StreamEvent.TextDelta(", world"),
      new StreamEvent.Finish(FinishReason.STOP, null),
      new StreamEvent.UsageReport(new Usage(11, 4)),
      new StreamEvent.End());

  /** Encodes each event on its own, as the pipeline does, recording what each one wrote. */
  private static List<String> encodeEach(StreamEncoder encoder, List<StreamEvent> events) {
    List<String> writes = new ArrayList<>();
    for (StreamEvent event : events) {
      Buffer out = Buffer.buffer();
      encoder.encode(event, out);
      writes.add(out.toString());
    }
    return writes;
  }

  @Test
  void sseFramesEveryChunkAsDataWithCrlfs() {
    List<String> writes = encodeEach(encoder(true), TEXT_STREAM);
    assertThat(String.join("", writes)).isEqualTo(
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gpt-4o-mini\",\"responseId\":\"resp-9\"}\r\n\r\n"
      + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\", world\"}],\"role\":\"model\"},\"index\":0,\"finishReason\":\"STOP\"}],"
      + "\"usageMetadata\":{\"promptTokenCount\":11,\"candidatesTokenCount\":4,\"totalTokenCount\":15},\"modelVersion\":\"gpt-4o-mini\",\"responseId\":\"resp-9\"}\r\n\r\n");
  }

  @Test
  void eachChunkGoesOutWhenTheNextArrivesSoTheLastCarriesContentWithTheFinish() {
    List<String> writes = encodeEach(encoder(true), TEXT_STREAM);
    assertThat(writes.get(1)).isEmpty();
    assertThat(writes.get(2)).contains("Hello").doesNotContain("world");
    assertThat(writes.subList(3, 5)).allMatch(String::isEmpty);
    JsonNode last = json(writes.get(5).substring("data: ".length()).trim());
    // What the Python SDK's chat checks before keeping a streamed turn in its history.
    assertThat(last.at("/candidates/0/content/parts/0/text").asText()).isEqualTo(", world");
    assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void withoutSseTheAnswerIsOneJsonArrayWrittenIncrementally() {
    List<String> writes = encodeEach(encoder(false), TEXT_STREAM);
    assertThat(writes.get(2)).startsWith("[{\"candidates\"");
    assertThat(writes.get(5)).startsWith(",\r\n{\"candidates\"").endsWith("}]");
    JsonNode array = json(String.join("", writes));
    assertThat(array.size()).isEqualTo(2);
    assertThat(array.at("/0/candidates/0/content/parts/0/text").asText()).isEqualTo("Hello");
    assertThat(array.at("/1/candidates/0/content/parts/0/text").asText()).isEqualTo(", world");
    assertThat(array.at("/1/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(array.at("/1/usageMetadata/totalTokenCount").asInt()).isEqualTo(15);
    assertThat(codec.streamContentType(false)).isEqualTo("application/json");
    assertThat(codec.streamContentType((ChatRequest) null)).isEqualTo("text/event-stream");
    assertThat(codec.arrayStreaming().streamContentType(null)).isEqualTo("application/json");
    assertThat(encodeEach(codec.arrayStreaming().streamEncoder(null), TEXT_STREAM).get(2)).startsWith("[{");
  }

  @Test
  void anEmptyAnswerIsStillAValidArray() {
    List<String> writes = encodeEach(encoder(false), List.of(new StreamEvent.Start(null, null, null), new StreamEvent.End()));
    JsonNode array = json(String.join("", writes));
    assertThat(array.size()).isEqualTo(1);
    assertThat(array.at("/0/modelVersion").asText()).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void toolCallsAreBufferedUntilCompleteAndParallelCallsShareAChunk() {
    List<String> writes = encodeEach(encoder(true), List.of(
        new StreamEvent.Start("r", "m", null),
        new StreamEvent.ToolCallStart(0, "call_a", "get_weather"),
        new StreamEvent.ToolCallDelta(0, "{\"ci"),
        new StreamEvent.ToolCallStart(1, "call_b", "get_time"),
        new StreamEvent.ToolCallDelta(0, "ty\":\"Paris\"}"),
        new StreamEvent.ToolCallDelta(1, ""),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
        new StreamEvent.UsageReport(new Usage(20, 12, 0, 0, 0)),
        new StreamEvent.End()));
    assertThat(writes.subList(0, 8)).allMatch(String::isEmpty);
    JsonNode last = json(writes.get(8).substring(6).trim());
    assertThat(last.at("/candidates/0/content/parts")).isEqualTo(json("""
        [{"functionCall":{"id":"call_a","name":"get_weather","args":{"city":"Paris"}}},
         {"functionCall":{"id":"call_b","name":"get_time","args":{}}}]"""));
    assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(last.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(12);
  }

  @Test
  void anAnthropicSignatureClosesItsThoughtPart() {
    List<String> writes = encodeEach(encoder(true), List.of(
        new StreamEvent.Start("r", "m", null),
        new StreamEvent.ThinkingDelta("Weighing options"),
        new StreamEvent.ThinkingSignature("c2ln"),
        new StreamEvent.ToolCallStart(0, "call_a", "f"),
        new StreamEvent.ToolCallDelta(0, "{}"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
        new StreamEvent.End()));
    assertThat(json(writes.get(5).substring(6).trim()).at("/candidates/0/content/parts/0"))
        .isEqualTo(json("{\"text\":\"Weighing options\",\"thought\":true,\"thoughtSignature\":\"c2ln\"}"));
    assertThat(json(writes.get(6).substring(6).trim()).at("/candidates/0/content/parts/0"))
        .isEqualTo(json("{\"functionCall\":{\"id\":\"call_a\",\"name\":\"f\",\"args\":{}}}"));
  }

  @Test
  void aSignatureAfterTextRidesOnTheNextPart() {
    List<String> writes = encodeEach(encoder(true), List.of(
        new StreamEvent.TextDelta("Let me look."),
        new StreamEvent.ThinkingSignature("c2ln"),
        new StreamEvent.ToolCallStart(0, "call_a", "f"),
        new StreamEvent.ToolCallDelta(0, "{}"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
        new StreamEvent.End()));
    assertThat(json(writes.get(5).substring(6).trim()).at("/candidates/0/content/parts/0"))
        .isEqualTo(json("{\"functionCall\":{\"id\":\"call_a\",\"name\":\"f\",\"args\":{}},\"thoughtSignature\":\"c2ln\"}"));
  }

  @Test
  void aTrailingSignatureRidesOnTheLastPart() {
    List<String> writes = encodeEach(encoder(true), List.of(new StreamEvent.ThinkingDelta("hmm"), new StreamEvent.TextDelta("Done."),
        new StreamEvent.ThinkingSignature("c2ln"), new StreamEvent.Finish(FinishReason.STOP, null), new StreamEvent.End()));
    assertThat(json(writes.get(4).substring(6).trim()).at("/candidates/0/content/parts"))
        .isEqualTo(json("[{\"text\":\"Done.\",\"thoughtSignature\":\"c2ln\"}]"));
  }

  @Test
  void failInSseSendsAnErrorPayloadAndNothingAfter() {
    StreamEncoder encoder = encoder(true);
    encodeEach(encoder, List.of(new StreamEvent.Start("r", "m", null), new StreamEvent.TextDelta("Hel")));
    Buffer out = Buffer.buffer();
    encoder.fail(new GatewayException(ErrorKind.OVERLOADED, "upstream overloaded"), out);
    // The held text goes out first: the client gets everything it was owed, then the error.
    assertThat(out.toString()).isEqualTo(
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"m\",\"responseId\":\"r\"}\r\n\r\n"
      + "data: {\"error\":{\"code\":503,\"message\":\"upstream overloaded\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n");
    assertThat(encodeEach(encoder, List.of(new StreamEvent.Finish(FinishReason.STOP, null), new StreamEvent.End()))).allMatch(String::isEmpty);
  }

  @Test
  void failInArrayModeAppendsAnErrorElementAndNoClosingBracket() {
    StreamEncoder encoder = encoder(false);
    List<String> writes = encodeEach(encoder, List.of(new StreamEvent.Start("r", "m", null), new StreamEvent.TextDelta("Hel")));
    Buffer out = Buffer.buffer();
    encoder.fail(new GatewayException(ErrorKind.TIMEOUT, "upstream timed out"), out);
    String body = String.join("", writes) + out;
    assertThat(body).startsWith("[{\"candidates\"").contains("\"Hel\"").doesNotEndWith("]");
    assertThat(body).endsWith(",\r\n{\"error\":{\"code\":504,\"message\":\"upstream timed out\",\"status\":\"DEADLINE_EXCEEDED\"}}");

    Buffer early = Buffer.buffer();
    encoder(false).fail(new GatewayException(ErrorKind.BAD_GATEWAY, "broken"), early);
    assertThat(early.toString()).startsWith("[{\"error\":");
  }

  @Test
  void anUpstreamErrorEventAndUnparseableArgumentsFailTheStream() {
    List<String> writes = encodeEach(encoder(true), List.of(
        new StreamEvent.Start("r", "m", null), new StreamEvent.Error("overloaded_error", "Overloaded"), new StreamEvent.End()));
    assertThat(writes.get(1)).isEqualTo("data: {\"error\":{\"code\":502,\"message\":\"Overloaded\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n");
    assertThat(writes.get(2)).isEmpty();

    List<String> badArgs = encodeEach(encoder(true), List.of(
        new StreamEvent.ToolCallStart(0, "c", "f"), new StreamEvent.ToolCallDelta(0, "{\"a\":"), new StreamEvent.Finish(FinishReason.TOOL_CALLS, null)));
    assertThat(badArgs.get(2)).startsWith("data: {\"error\":{\"code\":502");
  }
}
