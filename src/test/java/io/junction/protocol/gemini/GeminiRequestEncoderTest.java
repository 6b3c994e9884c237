package io.junction.protocol.gemini;

import static io.junction.protocol.gemini.GeminiRequestDecoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.ResponseFormat;
import io.junction.protocol.Role;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical requests (as an OpenAI or Anthropic client would produce them) encoded for Gemini. */
class GeminiRequestEncoderTest {
  private final GeminiCodec codec = new GeminiCodec();

  private JsonNode encode(ChatRequest req, String model) {
    try {
      return Json.parse(codec.encodeRequest(req, model));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** An OpenAI conversation: parallel tool calls, then tool messages that carry only tool_call_id. */
  private static ChatRequest openAiToolConversation() {
    ChatRequest req = new ChatRequest();
    req.system.add(new Part.Text("Be brief."));
    req.messages.add(Message.of(Role.USER, new Part.Text("Weather in Paris and Rome?")));
    req.messages.add(Message.of(Role.ASSISTANT,
        new Part.ToolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}"),
        new Part.ToolCall("call_def", "get_weather", "{\"city\":\"Rome\"}")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_abc", null, List.of(new Part.Text("18C")), false)));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_def", null, List.of(new Part.Text("{\"temp\":21}")), false)));
    req.tools.add(new Tool("get_weather", "Current weather", json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")));
    req.toolChoice = ToolChoice.tool("get_weather");
    return req;
  }

  @Test
  void encodesAnOpenAiToolConversation() {
    ChatRequest req = openAiToolConversation();
    req.temperature = 0.5;
    req.topP = 0.8;
    req.topK = 20;
    req.maxTokens = 100;
    req.stop.add("STOP!");
    req.n = 1;
    req.seed = 7L;
    req.presencePenalty = 0.1;
    req.frequencyPenalty = 0.2;
    req.responseFormat = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "w", json("{\"type\":\"object\"}"), true);

    assertThat(encode(req, "gemini-2.5-flash")).isEqualTo(json("""
        {"contents":[
          {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
          {"role":"model","parts":[
            {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
            {"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},
          {"role":"user","parts":[
            {"functionResponse":{"name":"get_weather","response":{"output":"18C"}}},
            {"functionResponse":{"name":"get_weather","response":{"temp":21}}}]}],
         "systemInstruction":{"parts":[{"text":"Be brief."}]},
         "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Current weather",
           "parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}}}}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}},
         "generationConfig":{"temperature":0.5,"topP":0.8,"topK":20,"maxOutputTokens":100,"stopSequences":["STOP!"],
           "seed":7,"presencePenalty":0.1,"frequencyPenalty":0.2,
           "responseMimeType":"application/json","responseJsonSchema":{"type":"object"}}}"""));
  }

  @Test
  void toolChoiceModes() {
    ChatRequest req = openAiToolConversation();
    req.toolChoice = ToolChoice.AUTO;
    assertThat(encode(req, "gemini-2.5-flash").at("/toolConfig/functionCallingConfig")).isEqualTo(json("{\"mode\":\"AUTO\"}"));
    req.toolChoice = ToolChoice.NONE;
    assertThat(encode(req, "gemini-2.5-flash").at("/toolConfig/functionCallingConfig")).isEqualTo(json("{\"mode\":\"NONE\"}"));
    req.toolChoice = ToolChoice.REQUIRED;
    assertThat(encode(req, "gemini-2.5-flash").at("/toolConfig/functionCallingConfig")).isEqualTo(json("{\"mode\":\"ANY\"}"));
  }

  @Test
  void aToolResultForAnUnknownCallIsRejected() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_zzz", null, List.of(new Part.Text("x")), false)));
    assertThatThrownBy(() -> codec.encodeRequest(req, "gemini-2.5-flash"))
        .isInstanceOf(GatewayException.class).hasMessageContaining("call_zzz")
        .extracting(e -> ((GatewayException) e).param).isEqualTo("messages[0]");
  }

  @Test
  void severalCandidatesAreRefusedBecauseOnlyOneIsDecoded() {
    ChatRequest req = openAiToolConversation();
    req.n = 2;
    assertThatThrownBy(() -> codec.encodeRequest(req, "gemini-2.5-flash")).isInstanceOf(GatewayException.class)
        .extracting(e -> ((GatewayException) e).param).isEqualTo("n");
  }

  @Test
  void toolArgumentsMustBeAJsonObject() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("c1", "f", "[1,2]")));
    assertThatThrownBy(() -> codec.encodeRequest(req, "gemini-2.5-flash")).isInstanceOf(GatewayException.class)
        .extracting(e -> ((GatewayException) e).status).isEqualTo(400);
  }

  @Test
  void gemini3GetsTheDocumentedStandInSignatureOnlyWhereOneIsMissing() {
    ChatRequest req = openAiToolConversation();
    JsonNode gemini3 = encode(req, "gemini-3-pro-preview");
    assertThat(gemini3.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo("skip_thought_signature_validator");
    assertThat(gemini3.at("/contents/1/parts/1").has("thoughtSignature")).isFalse();
    assertThat(encode(req, "gemini-2.5-flash").at("/contents/1/parts/0").has("thoughtSignature")).isFalse();

    // A real signature (kept by an Anthropic client as an empty signed thinking block) is replayed as is.
    req.messages.get(1).parts.addFirst(new Part.Thinking("", "cmVhbC1zaWc=", null));
    JsonNode replayed = encode(req, "gemini-3-pro-preview");
    assertThat(replayed.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo("cmVhbC1zaWc=");
    assertThat(replayed.at("/contents/1/parts").size()).isEqualTo(2);
  }

  @Test
  void signedThoughtsAreReplayedAndUnsignedOnesDropped() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER, new Part.Text("hi")));
    req.messages.add(Message.of(Role.ASSISTANT, new Part.Thinking("unsigned musing", null, null),
        new Part.Thinking("signed musing", "c2ln", null), new Part.Text("Hello")));
    assertThat(encode(req, "gemini-2.5-pro").at("/contents/1/parts")).isEqualTo(json("""
        [{"thought":true,"text":"signed musing","thoughtSignature":"c2ln"},{"text":"Hello"}]"""));
  }

  @Test
  void reasoningBecomesALevelOnGemini3AndABudgetBefore() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER, new Part.Text("hi")));
    req.reasoning = new Reasoning("high", null, true);
    assertThat(encode(req, "gemini-3-flash-preview").at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"thinkingLevel\":\"HIGH\",\"includeThoughts\":true}"));
    assertThat(encode(req, "gemini-2.5-flash").at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"thinkingBudget\":16384,\"includeThoughts\":true}"));
    req.reasoning = new Reasoning(null, 3000, false);
    assertThat(encode(req, "gemini-3-flash-preview").at("/generationConfig/thinkingConfig")).isEqualTo(json("{\"thinkingBudget\":3000}"));
    req.reasoning = new Reasoning("none", null, false);
    assertThat(encode(req, "gemini-2.5-flash").at("/generationConfig/thinkingConfig")).isEqualTo(json("{\"thinkingBudget\":0}"));
  }

  @Test
  void emptyTextAndEmptyTurnsAreLeftOut() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER, new Part.Text("hi"), new Part.Text("")));
    req.messages.add(Message.of(Role.ASSISTANT, new Part.Text("")));
    req.messages.add(Message.of(Role.USER, new Part.Text("still there?")));
    assertThat(encode(req, "gemini-2.5-flash").get("contents")).isEqualTo(json("""
        [{"role":"user","parts":[{"text":"hi"},{"text":"still there?"}]}]"""));
  }

  @Test
  void imagesBecomeInlineDataOrFileData() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER,
        Part.Image.ofUrl("data:image/webp;base64,UklGRg=="),
        Part.Image.ofUrl("https://example.com/photo.PNG?size=large"),
        Part.Image.ofBase64("image/gif", "R0lGOD=="),
        new Part.Image("gs://bucket/doc", "application/pdf", null, null)));
    assertThat(encode(req, "gemini-2.5-flash").at("/contents/0/parts")).isEqualTo(json("""
        [{"inlineData":{"mimeType":"image/webp","data":"UklGRg=="}},
         {"fileData":{"mimeType":"image/png","fileUri":"https://example.com/photo.PNG?size=large"}},
         {"inlineData":{"mimeType":"image/gif","data":"R0lGOD=="}},
         {"fileData":{"mimeType":"application/pdf","fileUri":"gs://bucket/doc"}}]"""));
  }

  @Test
  void aGeminiRequestSurvivesTheRoundTrip() {
    JsonNode original = json("""
        {"contents":[{"role":"user","parts":[{"text":"hi"}]},
          {"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":[1,2]}}}]},
          {"role":"user","parts":[{"functionResponse":{"name":"f","response":{"output":"ok"}}}]}],
         "systemInstruction":{"parts":[{"text":"sys"}]},
         "tools":[{"functionDeclarations":[{"name":"f","parametersJsonSchema":{"type":"object"}}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},
         "generationConfig":{"temperature":1.0,"maxOutputTokens":10,"thinkingConfig":{"thinkingBudget":512}}}""");
    assertThat(encode(codec.decodeRequest(original, "gemini-2.5-flash"), "gemini-2.5-flash")).isEqualTo(original);
  }
}
