package io.junction.protocol.gemini;

import static io.junction.protocol.gemini.GeminiRequestDecoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class GeminiResponsesTest {
  private final GeminiCodec codec = new GeminiCodec();

  /** A gemini-2.5-flash answer with includeThoughts, cached context and a signed call (shape per ai.google.dev/api). */
  private static final String THINKING_TOOL_ANSWER = """
      {"candidates":[{"content":{"parts":[
          {"text":"The user wants the weather.","thought":true},
          {"text":"Checking."},
          {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"CiQBVKhc7w=="}],
        "role":"model"},"finishReason":"STOP","index":0}],
       "usageMetadata":{"promptTokenCount":120,"candidatesTokenCount":15,"totalTokenCount":175,
         "cachedContentTokenCount":100,"thoughtsTokenCount":40,
         "promptTokensDetails":[{"modality":"TEXT","tokenCount":120}]},
       "modelVersion":"gemini-2.5-flash","responseId":"aGVsbG8td29ybGQ"}""";

  @Test
  void decodesThoughtsTextSignedCallsAndUsage() {
    ChatResponse r = codec.decodeResponse(Buffer.buffer(THINKING_TOOL_ANSWER));
    assertThat(r.id).isEqualTo("aGVsbG8td29ybGQ");
    assertThat(r.model).isEqualTo("gemini-2.5-flash");
    assertThat(r.content).hasSize(4);
    assertThat(r.content.get(0)).isEqualTo(new Part.Thinking("The user wants the weather.", null, null));
    assertThat(r.content.get(1)).isEqualTo(new Part.Text("Checking."));
    assertThat(r.content.get(2)).isEqualTo(new Part.Thinking("", "CiQBVKhc7w==", null));
    Part.ToolCall call = (Part.ToolCall) r.content.get(3);
    assertThat(call.id()).matches("call_[0-9a-f]{24}");
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(r.finishReason).isEqualTo(FinishReason.TOOL_CALLS);
    // Input includes the cached tokens; output counts thoughts, as OpenAI's completion_tokens does.
    assertThat(r.usage).isEqualTo(new Usage(120, 55, 100, 0, 40));
  }

  @Test
  void keepsGeminiCallIdsAndMakesMissingOnesUnique() {
    ChatResponse withId = codec.decodeResponse(Buffer.buffer("""
        {"candidates":[{"content":{"parts":[{"functionCall":{"id":"fc-7","name":"f","args":{}}}],"role":"model"},"finishReason":"STOP"}]}"""));
    assertThat(withId.toolCalls().get(0).id()).isEqualTo("fc-7");
    String twoCalls = """
        {"candidates":[{"content":{"parts":[{"functionCall":{"name":"f"}},{"functionCall":{"name":"f"}}],"role":"model"},"finishReason":"STOP"}]}""";
    ChatResponse first = codec.decodeResponse(Buffer.buffer(twoCalls));
    ChatResponse second = codec.decodeResponse(Buffer.buffer(twoCalls));
    assertThat(first.toolCalls()).extracting(Part.ToolCall::arguments).containsExactly("{}", "{}");
    assertThat(java.util.stream.Stream.concat(first.toolCalls().stream(), second.toolCalls().stream()).map(Part.ToolCall::id).distinct()).hasSize(4);
  }

  @Test
  void aBlockedPromptIsAContentFilterStop() {
    ChatResponse r = codec.decodeResponse(Buffer.buffer("""
        {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"HIGH"}]},
         "usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash"}"""));
    assertThat(r.finishReason).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(r.content).isEmpty();
    assertThat(r.usage).isEqualTo(new Usage(8, 0));
  }

  @ParameterizedTest
  @CsvSource({"STOP,STOP", "MAX_TOKENS,LENGTH", "SAFETY,CONTENT_FILTER", "RECITATION,CONTENT_FILTER",
      "PROHIBITED_CONTENT,CONTENT_FILTER", "SPII,CONTENT_FILTER", "BLOCKLIST,CONTENT_FILTER",
      "MALFORMED_FUNCTION_CALL,ERROR", "UNEXPECTED_TOOL_CALL,ERROR", "LANGUAGE,OTHER", "OTHER,OTHER", "SOMETHING_NEW,OTHER"})
  void finishReasonsFromGemini(String gemini, FinishReason canonical) {
    ChatResponse r = codec.decodeResponse(Buffer.buffer(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}],\"role\":\"model\"},\"finishReason\":\"" + gemini + "\"}]}"));
    assertThat(r.finishReason).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({"STOP,STOP", "STOP_SEQUENCE,STOP", "TOOL_CALLS,STOP", "LENGTH,MAX_TOKENS", "CONTENT_FILTER,SAFETY", "ERROR,OTHER", "OTHER,OTHER"})
  void finishReasonsToGemini(FinishReason canonical, String gemini) {
    ChatResponse r = new ChatResponse();
    r.finishReason = canonical;
    assertThat(Json.parseUpstream(codec.encodeResponse(r, null)).at("/candidates/0/finishReason").asText()).isEqualTo(gemini);
  }

  @Test
  void encodesAnAnswerForGeminiClients() {
    ChatResponse r = new ChatResponse();
    r.id = "chatcmpl-1";
    r.model = "gpt-4o-2024-08-06";
    r.content.add(new Part.Thinking("Pondering", "sig-a", null));
    r.content.add(new Part.Text("Let me check."));
    r.content.add(new Part.Thinking("", "sig-b", null));
    r.content.add(new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
    r.finishReason = FinishReason.TOOL_CALLS;
    r.usage = new Usage(100, 30, 60, 0, 10);
    ChatRequest req = new ChatRequest();
    req.model = "gpt-4o";
    assertThat(Json.parseUpstream(codec.encodeResponse(r, req))).isEqualTo(json("""
        {"candidates":[{"content":{"parts":[
            {"text":"Pondering","thought":true,"thoughtSignature":"sig-a"},
            {"text":"Let me check."},
            {"functionCall":{"id":"call_1","name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"sig-b"}],
          "role":"model"},"finishReason":"STOP","index":0}],
         "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"totalTokenCount":130,
           "cachedContentTokenCount":60,"thoughtsTokenCount":10},
         "modelVersion":"gpt-4o-2024-08-06","responseId":"chatcmpl-1"}"""));
  }

  @Test
  void garbageFromUpstreamIsABadGateway() {
    assertThatThrownBy(() -> codec.decodeResponse(Buffer.buffer("<html>oops"))).isInstanceOf(GatewayException.class)
        .extracting(e -> ((GatewayException) e).status).isEqualTo(502);
    assertThatThrownBy(() -> codec.decodeResponse(Buffer.buffer("[1]"))).isInstanceOf(GatewayException.class)
        .extracting(e -> ((GatewayException) e).status).isEqualTo(502);
  }
}
