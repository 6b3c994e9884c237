package io.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.ResponseFormat;
import io.junction.protocol.Role;
import io.junction.protocol.ToolChoice;
import org.junit.jupiter.api.Test;

/** Client requests as the Google GenAI SDKs send them (camelCase REST JSON, checked against ai.google.dev/api). */
class GeminiRequestDecoderTest {
  private final GeminiCodec codec = new GeminiCodec();

  static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ChatRequest decode(String body) { return codec.decodeRequest(json(body), "gemini-2.5-flash"); }

  private static GatewayException rejected(Runnable call) {
    try {
      call.run();
    } catch (GatewayException e) {
      assertThat(e.status).isEqualTo(400);
      return e;
    }
    throw new AssertionError("expected a 400");
  }

  @Test
  void decodesAFullRequest() {
    ChatRequest req = decode("""
        {"contents":[
           {"role":"user","parts":[{"text":"What is in this picture, and the weather in Paris?"},
             {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
             {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/cat.jpg"}}]},
           {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
           {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"18C, sunny"}}}]}],
         "systemInstruction":{"parts":[{"text":"Be brief."},{"text":"Use metric units."}]},
         "tools":[{"functionDeclarations":[
           {"name":"get_weather","description":"Current weather",
            "parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING","nullable":true}},"required":["city"],"propertyOrdering":["city"]}},
           {"name":"lookup","parametersJsonSchema":{"type":"object","properties":{"q":{"type":"string"}}}}]},
           {"googleSearch":{}}],
         "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}},
         "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}],
         "generationConfig":{"temperature":0.2,"topP":0.9,"topK":40,"maxOutputTokens":256,"stopSequences":["END"],
           "candidateCount":1,"seed":42,"presencePenalty":0.1,"frequencyPenalty":0.3,
           "thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}""");

    assertThat(req.model).isEqualTo("gemini-2.5-flash");
    assertThat(req.systemText()).isEqualTo("Be brief.\n\nUse metric units.");
    assertThat(req.messages).extracting(m -> m.role).containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
    assertThat(req.messages.get(0).parts).containsExactly(
        new Part.Text("What is in this picture, and the weather in Paris?"),
        Part.Image.ofBase64("image/png", "iVBORw0KGgo="),
        new Part.Image("https://example.com/cat.jpg", "image/jpeg", null, null));
    assertThat(req.messages.get(1).parts).containsExactly(new Part.ToolCall("call_0", "get_weather", "{\"city\":\"Paris\"}"));
    Part.ToolResult result = (Part.ToolResult) req.messages.get(2).parts.get(0);
    assertThat(result.toolCallId()).isEqualTo("call_0");
    assertThat(result.name()).isEqualTo("get_weather");
    assertThat(result.text()).as("Gemini's output key holds the result").isEqualTo("18C, sunny");
    assertThat(result.isError()).isFalse();

    assertThat(req.tools).hasSize(2);
    assertThat(req.tools.get(0).parameters()).isEqualTo(json("""
        {"type":"object","properties":{"city":{"type":["string","null"]}},"required":["city"]}"""));
    assertThat(req.tools.get(1).parameters()).isEqualTo(json("{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}"));
    assertThat(req.toolChoice).isEqualTo(ToolChoice.tool("get_weather"));
    assertThat(req.temperature).isEqualTo(0.2);
    assertThat(req.topP).isEqualTo(0.9);
    assertThat(req.topK).isEqualTo(40);
    assertThat(req.maxTokens).isEqualTo(256);
    assertThat(req.stop).containsExactly("END");
    assertThat(req.n).isEqualTo(1);
    assertThat(req.seed).isEqualTo(42L);
    assertThat(req.presencePenalty).isEqualTo(0.1);
    assertThat(req.frequencyPenalty).isEqualTo(0.3);
    assertThat(req.reasoning).isEqualTo(new Reasoning(null, 1024, true));
  }

  /** The system-instruction curl sample from ai.google.dev: proto (snake_case) names and lone objects for lists. */
  @Test
  void acceptsGooglesCurlSampleSpelling() {
    JsonNode body = json("""
        {"system_instruction":{"parts":{"text":"You are a cat. Your name is Neko."}},
         "contents":{"parts":[{"text":"Hello there"},{"inline_data":{"mime_type":"image/jpeg","data":"/9j/4AAQ"}}]},
         "tools":[{"function_declarations":[{"name":"purr","parameters_json_schema":{"type":"object","properties":{"snake_case_arg":{"type":"string"}}}}]}],
         "tool_config":{"function_calling_config":{"mode":"ANY","allowed_function_names":["purr"]}},
         "generation_config":{"max_output_tokens":64,"stop_sequences":["meow"],"thinking_config":{"thinking_budget":0}}}""");
    String before = body.toString();
    ChatRequest req = codec.decodeRequest(body, "gemini-2.5-flash");
    assertThat(req.systemText()).isEqualTo("You are a cat. Your name is Neko.");
    assertThat(req.messages.get(0).parts).containsExactly(new Part.Text("Hello there"), Part.Image.ofBase64("image/jpeg", "/9j/4AAQ"));
    // Free-form schemas keep their own names.
    assertThat(req.tools.get(0).parameters().at("/properties").has("snake_case_arg")).isTrue();
    assertThat(req.toolChoice).isEqualTo(ToolChoice.tool("purr"));
    assertThat(req.maxTokens).isEqualTo(64);
    assertThat(req.stop).containsExactly("meow");
    assertThat(req.reasoning).isEqualTo(new Reasoning(null, 0, false));
    assertThat(body.toString()).as("the client's body is not rewritten").isEqualTo(before);
    assertThat(codec.decodeCountTokens(json("{\"generate_content_request\":{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}}"), "m")
        .messages).hasSize(1);
  }

  @Test
  void modelComesFromThePathElseFromTheBody() {
    assertThat(codec.decodeRequest(json("{\"model\":\"models/gemini-2.0-flash\",\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"), null).model)
        .isEqualTo("gemini-2.0-flash");
    assertThat(codec.decodeRequest(json("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"), "models/gemini-2.5-pro").model)
        .isEqualTo("gemini-2.5-pro");
  }

  @Test
  void functionResponsesPairWithCallsByIdElseByNameInOrder() {
    ChatRequest req = decode("""
        {"contents":[
          {"role":"user","parts":[{"text":"weather in Paris and Rome, then time"}]},
          {"role":"model","parts":[
            {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
            {"functionCall":{"name":"get_weather","args":{"city":"Rome"}}},
            {"functionCall":{"id":"t-1","name":"get_time","args":{}}}]},
          {"role":"user","parts":[
            {"functionResponse":{"id":"t-1","name":"get_time","response":{"output":"noon"}}},
            {"functionResponse":{"name":"get_weather","response":{"output":"18C"}}},
            {"functionResponse":{"name":"get_weather","response":{"error":"timeout"}}}]}]}""");
    assertThat(req.messages.get(1).parts).extracting(p -> ((Part.ToolCall) p).id()).containsExactly("call_0", "call_1", "t-1");
    assertThat(req.messages.get(2).parts).extracting(p -> ((Part.ToolResult) p).toolCallId()).containsExactly("t-1", "call_0", "call_1");
    assertThat(((Part.ToolResult) req.messages.get(2).parts.get(2)).isError()).isTrue();
  }

  @Test
  void functionResponsesUnwrapTheOutputAndErrorKeysOnly() {
    ChatRequest req = decode("""
        {"contents":[
          {"role":"user","parts":[{"text":"go"}]},
          {"role":"model","parts":[
            {"functionCall":{"name":"a","args":{}}},{"functionCall":{"name":"b","args":{}}},
            {"functionCall":{"name":"c","args":{}}},{"functionCall":{"name":"d","args":{}}}]},
          {"role":"user","parts":[
            {"functionResponse":{"name":"a","response":{"output":"18C"}}},
            {"functionResponse":{"name":"b","response":{"output":{"temp":18}}}},
            {"functionResponse":{"name":"c","response":{"error":"timeout"}}},
            {"functionResponse":{"name":"d","response":{"output":"18C","unit":"C"}}}]}]}""");
    assertThat(req.messages.get(2).parts).extracting(p -> ((Part.ToolResult) p).text())
        .containsExactly("18C", "{\"temp\":18}", "timeout", "{\"output\":\"18C\",\"unit\":\"C\"}");
  }

  @Test
  void aFunctionResponseWithoutACallIsRejected() {
    GatewayException e = rejected(() -> decode("""
        {"contents":[{"role":"model","parts":[{"functionCall":{"name":"a","args":{}}}]},
          {"role":"user","parts":[{"functionResponse":{"name":"a","response":{}}},{"functionResponse":{"name":"a","response":{}}}]}]}"""));
    assertThat(e.param).isEqualTo("contents[1].parts[1].functionResponse");
    assertThat(e.getMessage()).contains("no earlier functionCall");
  }

  @Test
  void thoughtsAndSignaturesBecomeThinkingParts() {
    ChatRequest req = decode("""
        {"contents":[{"role":"user","parts":[{"text":"hi"}]},
          {"role":"model","parts":[{"text":"Let me think","thought":true},
            {"functionCall":{"name":"f","args":{"x":1}},"thoughtSignature":"c2lnLTE="}]},
          {"role":"user","parts":[{"functionResponse":{"name":"f","response":{"output":2}}}]}]}""");
    assertThat(req.messages.get(1).parts).containsExactly(
        new Part.Thinking("Let me think", null, null),
        new Part.Thinking("", "c2lnLTE=", null),
        new Part.ToolCall("call_0", "f", "{\"x\":1}"));
  }

  @Test
  void structuredOutputAndThinkingLevel() {
    ChatRequest req = decode("""
        {"contents":[{"parts":[{"text":"hi"}]}],
         "generationConfig":{"responseMimeType":"application/json",
           "responseSchema":{"type":"ARRAY","items":{"type":"OBJECT","properties":{"name":{"type":"STRING"}}}},
           "thinkingConfig":{"thinkingLevel":"low"}}}""");
    assertThat(req.responseFormat.kind()).isEqualTo(ResponseFormat.Kind.JSON_SCHEMA);
    assertThat(req.responseFormat.schema()).isEqualTo(json("""
        {"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}}"""));
    assertThat(req.reasoning).isEqualTo(new Reasoning("low", null, false));

    ChatRequest jsonMode = decode("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"responseMimeType\":\"application/json\",\"thinkingConfig\":{\"thinkingBudget\":-1}}}");
    assertThat(jsonMode.responseFormat).isEqualTo(ResponseFormat.JSON);
    assertThat(jsonMode.reasoning).isEqualTo(new Reasoning(null, null, false));
  }

  @Test
  void toolConfigModes() {
    String base = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"toolConfig\":{\"functionCallingConfig\":%s}}";
    assertThat(decode(base.formatted("{\"mode\":\"AUTO\"}")).toolChoice).isEqualTo(ToolChoice.AUTO);
    assertThat(decode(base.formatted("{\"mode\":\"VALIDATED\"}")).toolChoice).isEqualTo(ToolChoice.AUTO);
    assertThat(decode(base.formatted("{\"mode\":\"NONE\"}")).toolChoice).isEqualTo(ToolChoice.NONE);
    assertThat(decode(base.formatted("{\"mode\":\"ANY\"}")).toolChoice).isEqualTo(ToolChoice.REQUIRED);
    assertThat(decode(base.formatted("{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"a\",\"b\"]}")).toolChoice).isEqualTo(ToolChoice.REQUIRED);
    assertThat(rejected(() -> decode(base.formatted("{\"mode\":\"SOMETIMES\"}"))).param).isEqualTo("toolConfig.functionCallingConfig.mode");
  }

  @Test
  void badInputsNameTheirField() {
    assertThat(rejected(() -> decode("{}")).param).isEqualTo("contents");
    assertThat(rejected(() -> decode("{\"contents\":[]}")).param).isEqualTo("contents");
    assertThat(rejected(() -> decode("{\"contents\":\"hi\"}")).param).isEqualTo("contents");
    assertThat(rejected(() -> decode("{\"contents\":{}}")).param).isEqualTo("contents[0].parts");
    assertThat(rejected(() -> decode("{\"contents\":[\"hi\"]}")).param).isEqualTo("contents[0]");
    assertThat(rejected(() -> decode("{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}")).param).isEqualTo("contents[0].role");
    assertThat(rejected(() -> decode("{\"contents\":[{\"role\":\"user\"}]}")).param).isEqualTo("contents[0].parts");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"executableCode\":{\"code\":\"1\"}}]}]}")).param).isEqualTo("contents[0].parts[0].executableCode");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{}]}]}")).param).isEqualTo("contents[0].parts[0]");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"a\",\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"x\"}}]}]}")).param).isEqualTo("contents[0].parts[0]");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":5}]}]}")).param).isEqualTo("contents[0].parts[0].text");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\"}}]}]}")).param).isEqualTo("contents[0].parts[0].inlineData.data");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]}]}")).param).isEqualTo("contents[0].parts[0].functionCall");
    assertThat(rejected(() -> decode("{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"args\":{}}}]}]}")).param).isEqualTo("contents[0].parts[0].functionCall.name");
    assertThat(rejected(() -> decode("{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":[1]}}]}]}")).param).isEqualTo("contents[0].parts[0].functionCall.args");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"temperature\":\"hot\"}}")).param).isEqualTo("generationConfig.temperature");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"maxOutputTokens\":1.5}}")).param).isEqualTo("generationConfig.maxOutputTokens");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"responseMimeType\":\"text/x.enum\"}}")).param).isEqualTo("generationConfig.responseMimeType");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"thinkingConfig\":{\"thinkingLevel\":\"extreme\"}}}")).param).isEqualTo("generationConfig.thinkingConfig.thinkingLevel");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"tools\":[{\"functionDeclarations\":[{\"description\":\"no name\"}]}]}")).param).isEqualTo("tools[0].functionDeclarations[0].name");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"tools\":[{\"teleport\":{}}]}")).param).isEqualTo("tools[0].teleport");
    assertThat(rejected(() -> decode("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"systemInstruction\":\"be nice\"}")).param).isEqualTo("systemInstruction");
    assertThatThrownBy(() -> codec.decodeRequest(json("[1]"), "m")).isInstanceOf(GatewayException.class);
  }

  @Test
  void countTokensTakesContentsOrAWholeRequest() {
    ChatRequest bare = codec.decodeCountTokens(json("{\"contents\":[{\"parts\":[{\"text\":\"count me\"}]}]}"), "gemini-2.5-flash");
    assertThat(bare.messages.get(0).text()).isEqualTo("count me");
    ChatRequest wrapped = codec.decodeCountTokens(json("""
        {"generateContentRequest":{"model":"models/gemini-2.5-flash","contents":[{"parts":[{"text":"hi"}]}],
         "systemInstruction":{"parts":[{"text":"sys"}]}}}"""), "gemini-2.5-flash");
    assertThat(wrapped.systemText()).isEqualTo("sys");
    assertThat(rejected(() -> codec.decodeCountTokens(json("{}"), "m")).param).isEqualTo("contents");
    GatewayException nested = rejected(() -> codec.decodeCountTokens(json("{\"generateContentRequest\":{\"contents\":[{\"role\":\"bot\",\"parts\":[{\"text\":\"x\"}]}]}}"), "m"));
    assertThat(nested.param).isEqualTo("generateContentRequest.contents[0].role");
    assertThat(nested.getMessage()).contains("'generateContentRequest.contents[0].role'");
  }
}
