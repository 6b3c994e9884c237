package io.junction.protocol.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.Role;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockCodecTest {
  final BedrockCodec codec = new BedrockCodec();
  static final String CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  static final String PNG = "iVBORw0KGgo=";

  static JsonNode json(String s) throws Exception { return Json.parse(s.replace('\'', '"')); }

  JsonNode encode(ChatRequest req, String model) throws Exception { return Json.parse(codec.encodeRequest(req, model)); }

  static ChatRequest chat(Message... messages) {
    ChatRequest r = new ChatRequest();
    r.messages.addAll(List.of(messages));
    return r;
  }

  @Test
  void encodesSystemMessagesAndInferenceConfig() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("Hi")));
    req.system.add(new Part.Text("Be brief."));
    req.maxTokens = 100;
    req.temperature = 0.2;
    req.topP = 0.9;
    req.stop.add("END");
    req.seed = 7L;               // Converse has no seed: not sent
    req.presencePenalty = 0.5;   // nor penalties
    assertThat(encode(req, "amazon.nova-pro-v1:0")).isEqualTo(json("""
        {'messages':[{'role':'user','content':[{'text':'Hi'}]}],
         'system':[{'text':'Be brief.'}],
         'inferenceConfig':{'maxTokens':100,'temperature':0.2,'topP':0.9,'stopSequences':['END']}}"""));
  }

  @Test
  void encodesAToolRoundTripWithAlternatingRoles() throws Exception {
    ChatRequest req = chat(
        Message.of(Role.USER, new Part.Text("Weather in Paris?")),
        Message.of(Role.ASSISTANT, new Part.Text("Let me check."), new Part.ToolCall("tu_1", "get_weather", "{\"city\":\"Paris\"}")),
        Message.of(Role.TOOL, new Part.ToolResult("tu_1", "get_weather", List.of(new Part.Text("18C")), false)),
        Message.of(Role.USER, new Part.Text("And tomorrow?")));
    req.tools.add(new Tool("get_weather", "Current weather", json("{'type':'object','properties':{'city':{'type':'string'}}}")));
    req.toolChoice = ToolChoice.AUTO;
    assertThat(encode(req, CLAUDE)).isEqualTo(json("""
        {'messages':[
          {'role':'user','content':[{'text':'Weather in Paris?'}]},
          {'role':'assistant','content':[{'text':'Let me check.'},{'toolUse':{'toolUseId':'tu_1','name':'get_weather','input':{'city':'Paris'}}}]},
          {'role':'user','content':[{'toolResult':{'toolUseId':'tu_1','content':[{'text':'18C'}]}},{'text':'And tomorrow?'}]}],
         'toolConfig':{'tools':[{'toolSpec':{'name':'get_weather','description':'Current weather',
            'inputSchema':{'json':{'type':'object','properties':{'city':{'type':'string'}}}}}}],
           'toolChoice':{'auto':{}}}}"""));
  }

  @Test
  void failedToolResultsSayErrorAndEmptyResultsStillHaveContent() throws Exception {
    ChatRequest req = chat(Message.of(Role.TOOL, new Part.ToolResult("tu_1", "f", List.of(), true)));
    req.tools.add(new Tool("f", null, null));
    JsonNode result = encode(req, CLAUDE).at("/messages/0/content/0/toolResult");
    assertThat(result).isEqualTo(json("{'toolUseId':'tu_1','content':[{'text':''}],'status':'error'}"));
    assertThat(encode(req, CLAUDE).at("/toolConfig/tools/0/toolSpec/inputSchema/json")).isEqualTo(json("{'type':'object'}"));
  }

  @Test
  void mapsToolChoices() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")));
    req.tools.add(new Tool("f", "d", json("{'type':'object'}")));
    req.toolChoice = ToolChoice.REQUIRED;
    assertThat(encode(req, CLAUDE).at("/toolConfig/toolChoice")).isEqualTo(json("{'any':{}}"));
    req.toolChoice = ToolChoice.tool("f");
    assertThat(encode(req, CLAUDE).at("/toolConfig/toolChoice")).isEqualTo(json("{'tool':{'name':'f'}}"));
    req.toolChoice = ToolChoice.NONE;
    assertThat(encode(req, CLAUDE).has("toolConfig")).as("no 'none' in Converse: tools are withheld").isFalse();
    req.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("t", "f", "{}")));
    assertThat(encode(req, CLAUDE).at("/toolConfig/tools/0/toolSpec/name").asText())
        .as("history with tool blocks needs the toolConfig").isEqualTo("f");
    assertThat(encode(req, CLAUDE).at("/toolConfig").has("toolChoice")).isFalse();
  }

  @Test
  void encodesInlineAndDataUrlImages() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("What is this?"),
        Part.Image.ofBase64("image/png", PNG), Part.Image.ofUrl("data:image/jpeg;base64," + PNG)));
    JsonNode content = encode(req, CLAUDE).at("/messages/0/content");
    assertThat(content.get(1)).isEqualTo(json("{'image':{'format':'png','source':{'bytes':'" + PNG + "'}}}"));
    assertThat(content.get(2)).isEqualTo(json("{'image':{'format':'jpeg','source':{'bytes':'" + PNG + "'}}}"));
  }

  @Test
  void rejectsImagesBedrockCannotTake() {
    assertInvalid(chat(Message.of(Role.USER, new Part.Text("x"), Part.Image.ofUrl("https://example.com/cat.png"))),
        "messages[0].content[1]", "by URL");
    assertInvalid(chat(Message.of(Role.USER, Part.Image.ofBase64("image/bmp", PNG))), "messages[0].content[0]", "image/bmp");
    assertInvalid(chat(Message.of(Role.USER, Part.Image.ofBase64("image/png", "not base64!"))), "messages[0].content[0]", "base64");
  }

  @Test
  void rejectsToolArgumentsThatAreNotAnObject() {
    assertInvalid(chat(Message.of(Role.USER, new Part.Text("x")), Message.of(Role.ASSISTANT, new Part.ToolCall("t", "f", "[1,"))),
        "messages[1].content[0].arguments", "JSON object");
  }

  @Test
  void rejectsSeveralChoices() {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")));
    req.n = 2;
    assertInvalid(req, "n", "'n'");
  }

  private void assertInvalid(ChatRequest req, String param, String messagePart) {
    assertThatThrownBy(() -> codec.encodeRequest(req, CLAUDE)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status).isEqualTo(400);
      assertThat(e.param).isEqualTo(param);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }

  @Test
  void sendsClaudeThinkingAndTopKAsAdditionalFieldsAndReplaysSignedReasoning() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")),
        Message.of(Role.ASSISTANT, new Part.Thinking("hmm", "sig==", null), new Part.Thinking("unsigned", null, null),
            new Part.Thinking(null, null, "cmVkYWN0ZWQ="), new Part.Text("ok")),
        Message.of(Role.USER, new Part.Text("more")));
    req.reasoning = new Reasoning(null, 4000, true);
    req.topK = 40;
    JsonNode body = encode(req, "us.anthropic.claude-3-7-sonnet-20250219-v1:0"); // a Claude that thinks
    assertThat(body.get("additionalModelRequestFields")).isEqualTo(json("{'top_k':40,'thinking':{'type':'enabled','budget_tokens':4000}}"));
    assertThat(body.at("/messages/1/content")).isEqualTo(json("""
        [{'reasoningContent':{'reasoningText':{'text':'hmm','signature':'sig=='}}},
         {'reasoningContent':{'redactedContent':'cmVkYWN0ZWQ='}},{'text':'ok'}]"""));
    assertThat(encode(req, "amazon.nova-pro-v1:0").has("additionalModelRequestFields")).isFalse();
  }

  @Test
  void cacheControlBecomesACachePoint() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")));
    req.system.add(new Part.Text("long prompt", json("{'type':'ephemeral'}")));
    assertThat(encode(req, CLAUDE).get("system")).isEqualTo(json("[{'text':'long prompt'},{'cachePoint':{'type':'default'}}]"));
  }

  @Test
  void aOneHourCacheControlKeepsItsTtlOnTheCachePoint() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("question", json("{'type':'ephemeral','ttl':'1h'}"))));
    assertThat(encode(req, CLAUDE).get("messages").get(0).get("content"))
        .isEqualTo(json("[{'text':'question'},{'cachePoint':{'type':'default','ttl':'1h'}}]"));
  }

  @Test
  void decodesTextToolUseReasoningAndUsage() throws Exception {
    ChatResponse r = codec.decodeResponse(Buffer.buffer("""
        {"output":{"message":{"role":"assistant","content":[
          {"reasoningContent":{"reasoningText":{"text":"User wants weather.","signature":"EqQB"}}},
          {"text":"Checking."},
          {"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"get_weather","input":{"city":"Paris"}}}]}},
         "stopReason":"tool_use",
         "usage":{"inputTokens":20,"outputTokens":30,"totalTokens":150,"cacheReadInputTokens":100,"cacheWriteInputTokens":0},
         "metrics":{"latencyMs":512}}"""));
    assertThat(r.content).containsExactly(new Part.Thinking("User wants weather.", "EqQB", null), new Part.Text("Checking."),
        new Part.ToolCall("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(r.finishReason).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage).isEqualTo(new Usage(120, 30, 100, 0, 0));
    assertThat(r.id).startsWith("msg_bdrk_");
  }

  @ParameterizedTest
  @CsvSource({"end_turn,STOP", "tool_use,TOOL_CALLS", "max_tokens,LENGTH", "stop_sequence,STOP_SEQUENCE",
      "guardrail_intervened,CONTENT_FILTER", "content_filtered,CONTENT_FILTER", "model_context_window_exceeded,LENGTH", "brand_new,OTHER"})
  void mapsStopReasons(String wire, FinishReason canonical) {
    assertThat(BedrockCodec.finishReason(wire)).isEqualTo(canonical);
    if (!wire.equals("brand_new") && !wire.equals("guardrail_intervened") && !wire.equals("model_context_window_exceeded")) {
      assertThat(BedrockCodec.stopReason(canonical)).isEqualTo(wire);
    }
  }

  @Test
  void usageRoundTripsThroughBedrocksShape() {
    Usage u = new Usage(150, 30, 100, 20, 0);
    assertThat(BedrockCodec.usageNode(u).get("inputTokens").asLong()).isEqualTo(30);
    assertThat(BedrockCodec.usage(BedrockCodec.usageNode(u))).isEqualTo(u);
  }

  @Test
  void garbageAnswersAre502() {
    for (String body : List.of("", "<html>", "{\"output\":{}}", "[1]")) {
      assertThatThrownBy(() -> codec.decodeResponse(Buffer.buffer(body)))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status).isEqualTo(502));
    }
  }

  @Test
  void extractsErrorMessagesWithoutThrowing() {
    assertThat(codec.errorMessage(400, Buffer.buffer("{\"message\":\"Malformed input request\"}"))).isEqualTo("Malformed input request");
    assertThat(codec.errorMessage(403, Buffer.buffer("{\"Message\":\"User is not authorized\"}"))).isEqualTo("User is not authorized");
    assertThat(codec.errorMessage(502, Buffer.buffer("<html>bad gateway</html>"))).isEqualTo("Bedrock returned HTTP 502");
    assertThat(codec.errorMessage(500, Buffer.buffer())).isEqualTo("Bedrock returned HTTP 500");
    assertThat(codec.errorMessage(500, Buffer.buffer("{\"message\":42}"))).isEqualTo("Bedrock returned HTTP 500");
  }
}
