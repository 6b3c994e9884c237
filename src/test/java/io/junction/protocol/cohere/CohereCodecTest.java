package io.junction.protocol.cohere;

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
import io.junction.protocol.ResponseFormat;
import io.junction.protocol.Role;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CohereCodecTest {
  final CohereCodec codec = new CohereCodec();

  static JsonNode json(String s) throws Exception { return Json.parse(s.replace('\'', '"')); }

  JsonNode encode(ChatRequest req) throws Exception { return Json.parse(codec.encodeRequest(req, "command-a-03-2025")); }

  static ChatRequest chat(Message... messages) {
    ChatRequest r = new ChatRequest();
    r.messages.addAll(List.of(messages));
    return r;
  }

  @Test
  void encodesMessagesAndSamplingParameters() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("Hi")), Message.of(Role.ASSISTANT, new Part.Text("Hello!")),
        Message.of(Role.USER, new Part.Text("Tell me a joke")));
    req.system.add(new Part.Text("Be brief."));
    req.system.add(new Part.Text("Be kind."));
    req.maxTokens = 200;
    req.temperature = 0.3;
    req.topP = 0.8;
    req.topK = 40;
    req.stop.add("\n\n");
    req.seed = 42L;
    req.frequencyPenalty = 0.1;
    req.presencePenalty = 0.2;
    req.stream = true;
    assertThat(encode(req)).isEqualTo(json("""
        {'model':'command-a-03-2025','messages':[
          {'role':'system','content':'Be brief.\\n\\nBe kind.'},
          {'role':'user','content':'Hi'},{'role':'assistant','content':'Hello!'},{'role':'user','content':'Tell me a joke'}],
         'max_tokens':200,'temperature':0.3,'p':0.8,'k':40,'stop_sequences':['\\n\\n'],'seed':42,
         'frequency_penalty':0.1,'presence_penalty':0.2,'stream':true}"""));
  }

  @Test
  void encodesAToolRoundTrip() throws Exception {
    ChatRequest req = chat(
        Message.of(Role.USER, new Part.Text("Weather in Paris and Rome?")),
        Message.of(Role.ASSISTANT, new Part.Text("I will look both up."),
            new Part.ToolCall("get_weather_1", "get_weather", "{\"city\":\"Paris\"}"),
            new Part.ToolCall("get_weather_2", "get_weather", "")),
        Message.of(Role.USER, new Part.ToolResult("get_weather_1", "get_weather", List.of(new Part.Text("18C")), false),
            new Part.ToolResult("get_weather_2", "get_weather", List.of(new Part.Text("24C")), false),
            new Part.Text("Which is warmer?")));
    req.tools.add(new Tool("get_weather", "Current weather", json("{'type':'object','properties':{'city':{'type':'string'}}}")));
    req.tools.add(new Tool("no_params", null, null));
    assertThat(encode(req)).isEqualTo(json("""
        {'model':'command-a-03-2025','messages':[
          {'role':'user','content':'Weather in Paris and Rome?'},
          {'role':'assistant','tool_plan':'I will look both up.','tool_calls':[
            {'id':'get_weather_1','type':'function','function':{'name':'get_weather','arguments':'{\\"city\\":\\"Paris\\"}'}},
            {'id':'get_weather_2','type':'function','function':{'name':'get_weather','arguments':'{}'}}]},
          {'role':'tool','tool_call_id':'get_weather_1','content':'18C'},
          {'role':'tool','tool_call_id':'get_weather_2','content':'24C'},
          {'role':'user','content':'Which is warmer?'}],
         'tools':[{'type':'function','function':{'name':'get_weather','description':'Current weather',
            'parameters':{'type':'object','properties':{'city':{'type':'string'}}}}},
           {'type':'function','function':{'name':'no_params','parameters':{'type':'object'}}}],
         'stream':false}"""));
  }

  @Test
  void mapsToolChoices() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")));
    req.tools.add(new Tool("a", "A", json("{'type':'object'}")));
    req.tools.add(new Tool("b", "B", json("{'type':'object'}")));
    req.toolChoice = ToolChoice.AUTO;
    assertThat(encode(req).has("tool_choice")).isFalse();
    req.toolChoice = ToolChoice.REQUIRED;
    assertThat(encode(req).get("tool_choice").asText()).isEqualTo("REQUIRED");
    req.toolChoice = ToolChoice.NONE;
    assertThat(encode(req).get("tool_choice").asText()).isEqualTo("NONE");
    req.toolChoice = ToolChoice.tool("b");
    JsonNode forced = encode(req);
    assertThat(forced.get("tool_choice").asText()).isEqualTo("REQUIRED");
    assertThat(forced.get("tools")).hasSize(1);
    assertThat(forced.at("/tools/0/function/name").asText()).isEqualTo("b");
    req.toolChoice = ToolChoice.tool("missing");
    assertThatThrownBy(() -> codec.encodeRequest(req, "m"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param).isEqualTo("tool_choice"));
  }

  @Test
  void encodesImagesAsImageUrlParts() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("Compare"), Part.Image.ofUrl("https://example.com/a.png"),
        Part.Image.ofBase64("image/png", "iVBORw0KGgo=")));
    assertThat(encode(req).at("/messages/0/content")).isEqualTo(json("""
        [{'type':'text','text':'Compare'},
         {'type':'image_url','image_url':{'url':'https://example.com/a.png'}},
         {'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0KGgo='}}]"""));
  }

  @Test
  void encodesResponseFormatAndThinking() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")));
    req.responseFormat = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "answer", json("{'type':'object'}"), true);
    req.reasoning = new Reasoning("high", null, true);
    // Thinking is for Cohere's reasoning model; command-a-03-2025 takes none (see ModelLimitsTest).
    JsonNode body = Json.parse(codec.encodeRequest(req, "command-a-reasoning-08-2025"));
    assertThat(body.get("response_format")).isEqualTo(json("{'type':'json_object','json_schema':{'type':'object'}}"));
    assertThat(body.get("thinking")).isEqualTo(json("{'type':'enabled','token_budget':16384}"));
    req.responseFormat = ResponseFormat.JSON;
    req.reasoning = new Reasoning("none", null, false);
    body = Json.parse(codec.encodeRequest(req, "command-a-reasoning-08-2025"));
    assertThat(body.get("response_format")).isEqualTo(json("{'type':'json_object'}"));
    assertThat(body.get("thinking")).isEqualTo(json("{'type':'disabled'}"));
  }

  @Test
  void replaysAssistantThinking() throws Exception {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")),
        Message.of(Role.ASSISTANT, new Part.Thinking("Let me think.", null, null), new Part.Text("Answer.")));
    assertThat(encode(req).at("/messages/1")).isEqualTo(json("""
        {'role':'assistant','content':[{'type':'thinking','thinking':'Let me think.'},{'type':'text','text':'Answer.'}]}"""));
  }

  @Test
  void rejectsSeveralChoices() {
    ChatRequest req = chat(Message.of(Role.USER, new Part.Text("x")));
    req.n = 3;
    assertThatThrownBy(() -> codec.encodeRequest(req, "m"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param).isEqualTo("n"));
  }

  @Test
  void decodesATextAnswer() {
    ChatResponse r = codec.decodeResponse(Buffer.buffer("""
        {"id":"c14c80c3-18eb-4519-9460-6c92edd8cfb4","finish_reason":"COMPLETE",
         "message":{"role":"assistant","content":[{"type":"thinking","thinking":"Simple."},{"type":"text","text":"LLMs are neural networks."}]},
         "usage":{"billed_units":{"input_tokens":5,"output_tokens":418},"tokens":{"input_tokens":71,"output_tokens":420}}}"""));
    assertThat(r.id).isEqualTo("c14c80c3-18eb-4519-9460-6c92edd8cfb4");
    assertThat(r.content).containsExactly(new Part.Thinking("Simple.", null, null), new Part.Text("LLMs are neural networks."));
    assertThat(r.finishReason).isEqualTo(FinishReason.STOP);
    assertThat(r.usage).isEqualTo(new Usage(5, 418));
  }

  @Test
  void decodesToolCallsWithTheirPlan() {
    ChatResponse r = codec.decodeResponse(Buffer.buffer("""
        {"id":"7a3c","finish_reason":"TOOL_CALL","message":{"role":"assistant",
          "tool_plan":"I will check the weather.",
          "tool_calls":[{"id":"get_weather_ab12","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
         "usage":{"tokens":{"input_tokens":30,"output_tokens":12}}}"""));
    assertThat(r.content).containsExactly(new Part.Text("I will check the weather."),
        new Part.ToolCall("get_weather_ab12", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(r.finishReason).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.usage).as("raw token counts when nothing is billed").isEqualTo(new Usage(30, 12));
  }

  @ParameterizedTest
  @CsvSource({"COMPLETE,STOP", "MAX_TOKENS,LENGTH", "STOP_SEQUENCE,STOP_SEQUENCE", "TOOL_CALL,TOOL_CALLS", "ERROR,ERROR", "TIMEOUT,OTHER"})
  void mapsFinishReasons(String wire, FinishReason canonical) {
    assertThat(CohereCodec.finishReason(wire)).isEqualTo(canonical);
    if (!wire.equals("TIMEOUT")) assertThat(CohereCodec.wireFinishReason(canonical)).isEqualTo(wire);
  }

  @Test
  void garbageAnswersAre502() {
    for (String body : List.of("", "not json", "{\"id\":\"x\"}", "{\"message\":\"str\"}")) {
      assertThatThrownBy(() -> codec.decodeResponse(Buffer.buffer(body)))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status).isEqualTo(502));
    }
  }

  @Test
  void extractsErrorMessagesWithoutThrowing() {
    assertThat(codec.errorMessage(400, Buffer.buffer("{\"id\":\"e1\",\"message\":\"invalid request: model 'x' not found\"}")))
        .isEqualTo("invalid request: model 'x' not found");
    assertThat(codec.errorMessage(429, Buffer.buffer("<html>"))).isEqualTo("Cohere returned HTTP 429");
    assertThat(codec.errorMessage(500, Buffer.buffer())).isEqualTo("Cohere returned HTTP 500");
  }
}
