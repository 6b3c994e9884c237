package io.junction.protocol.anthropic;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonical requests (often from OpenAI clients) written for api.anthropic.com. */
class AnthropicRequestEncoderTest {
  private final AnthropicCodec codec = new AnthropicCodec();

  private JsonNode encode(ChatRequest req, String model) throws Exception {
    return Json.parse(codec.encodeRequest(req, model));
  }

  private static ChatRequest userSays(String text) {
    ChatRequest req = new ChatRequest();
    req.model = "gpt-4o";
    req.messages.add(Message.of(Role.USER, new Part.Text(text)));
    return req;
  }

  /** An OpenAI-style tool round: assistant with empty text and two calls, two tool messages, a follow-up. */
  @Test
  void mapsAnOpenAiStyleToolConversation() throws Exception {
    ChatRequest req = userSays("Weather in Paris and Rome?");
    req.system.add(new Part.Text("You are helpful."));
    req.system.add(new Part.Text("Use metric units."));
    req.tools.add(new Tool("get_weather", "Weather for a city", Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")));
    req.tools.add(new Tool("noop", null, null));
    req.messages.add(Message.of(Role.ASSISTANT, new Part.Text(""),
        new Part.ToolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}"),
        new Part.ToolCall("call_def", "get_weather", "{\"city\":\"Rome\"}")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_abc", null, List.of(new Part.Text("18C")), false)));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_def", null, List.of(new Part.Text("boom")), true)));
    req.messages.add(Message.of(Role.USER, new Part.Text("Thanks")));
    req.temperature = 0.2;
    req.stop.add("END");
    req.user = "u-1";
    req.stream = true;

    JsonNode body = encode(req, "claude-sonnet-4-5-20250929");

    assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(body.get("max_tokens").asInt()).as("default from the model's output limit").isEqualTo(64000);
    assertThat(body.get("system").asText()).isEqualTo("You are helpful.\n\nUse metric units.");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.get("stop_sequences")).isEqualTo(Json.parse("[\"END\"]"));
    assertThat(body.get("metadata")).isEqualTo(Json.parse("{\"user_id\":\"u-1\"}"));
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.get("tools").get(1).get("input_schema")).isEqualTo(Json.parse("{\"type\":\"object\",\"properties\":{}}"));

    JsonNode messages = body.get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(1)).isEqualTo(Json.parse("""
        {"role":"assistant","content":[
          {"type":"tool_use","id":"call_abc","name":"get_weather","input":{"city":"Paris"}},
          {"type":"tool_use","id":"call_def","name":"get_weather","input":{"city":"Rome"}}]}"""));
    assertThat(messages.get(2)).as("both results and the follow-up in one user turn").isEqualTo(Json.parse("""
        {"role":"user","content":[
          {"type":"tool_result","tool_use_id":"call_abc","content":"18C"},
          {"type":"tool_result","tool_use_id":"call_def","content":"boom","is_error":true},
          {"type":"text","text":"Thanks"}]}"""));
  }

  @ParameterizedTest
  @CsvSource({
      "claude-opus-4-1-20250805, 32000",
      "claude-opus-4-20250514, 32000",
      "claude-opus-4-5, 64000",
      "claude-sonnet-4-5-20250929, 64000",
      "claude-haiku-4-5, 64000",
      "claude-3-7-sonnet-latest, 64000",
      "claude-3-5-haiku-20241022, 8192",
      "claude-3-opus-20240229, 4096",
      "claude-next-model, 8192"})
  void defaultsMaxTokensFromTheModel(String model, int expected) throws Exception {
    assertThat(encode(userSays("hi"), model).get("max_tokens").asInt()).isEqualTo(expected);
  }

  @Test
  void keepsTheClientsMaxTokensAndSampling() throws Exception {
    ChatRequest req = userSays("hi");
    req.maxTokens = 300;
    req.topP = 0.5;
    req.topK = 3;
    JsonNode body = encode(req, "claude-sonnet-4-5");
    assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
    assertThat(body.get("top_p").asDouble()).isEqualTo(0.5);
    assertThat(body.get("top_k").asInt()).isEqualTo(3);
  }

  @Test
  void reasoningEffortBecomesAThinkingBudgetAndDropsSamplingThinkingRefuses() throws Exception {
    ChatRequest req = userSays("Prove it.");
    req.reasoning = new Reasoning("high", null, false);
    req.temperature = 0.3;
    req.topK = 5;
    req.topP = 0.5;
    JsonNode body = encode(req, "claude-sonnet-4-5");
    assertThat(body.get("thinking")).isEqualTo(Json.parse("{\"type\":\"enabled\",\"budget_tokens\":16384}"));
    assertThat(body.has("temperature")).isFalse();
    assertThat(body.has("top_k")).isFalse();
    assertThat(body.has("top_p")).isFalse();
  }

  @Test
  void maxTokensStaysAboveTheThinkingBudget() throws Exception {
    ChatRequest req = userSays("hi");
    req.maxTokens = 500;
    req.reasoning = new Reasoning("minimal", null, false);
    JsonNode body = encode(req, "claude-sonnet-4-5");
    assertThat(body.get("thinking").get("budget_tokens").asInt()).isEqualTo(1024);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(1524);
  }

  @Test
  void aForcedToolWinsOverThinkingAndNoneEffortMeansNoThinking() throws Exception {
    ChatRequest forced = userSays("hi");
    forced.tools.add(new Tool("pick", null, Json.parse("{\"type\":\"object\"}")));
    forced.toolChoice = ToolChoice.tool("pick");
    forced.reasoning = new Reasoning(null, 4000, true);
    assertThat(encode(forced, "claude-sonnet-4-5").has("thinking")).isFalse();

    ChatRequest none = userSays("hi");
    none.reasoning = new Reasoning("none", null, false);
    assertThat(encode(none, "claude-sonnet-4-5").has("thinking")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "AUTO     |          | true  | {\"type\":\"auto\"}",
      "AUTO     |          | false | {\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
      "REQUIRED |          | false | {\"type\":\"any\",\"disable_parallel_tool_use\":true}",
      "TOOL     | get_time | true  | {\"type\":\"tool\",\"name\":\"get_time\"}",
      "NONE     |          | false | {\"type\":\"none\"}"})
  void mapsToolChoice(ToolChoice.Mode mode, String name, boolean parallel, String expected) throws Exception {
    ChatRequest req = userSays("hi");
    req.tools.add(new Tool("get_time", null, Json.parse("{\"type\":\"object\"}")));
    req.toolChoice = new ToolChoice(mode, name);
    req.parallelToolCalls = parallel;
    assertThat(encode(req, "claude-haiku-4-5").get("tool_choice")).isEqualTo(Json.parse(expected));
  }

  @Test
  void parallelOffAloneStillSendsAToolChoice() throws Exception {
    ChatRequest req = userSays("hi");
    req.tools.add(new Tool("t", null, null));
    req.parallelToolCalls = false;
    assertThat(encode(req, "claude-haiku-4-5").get("tool_choice")).isEqualTo(Json.parse("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
  }

  @Test
  void cacheControlIsWrittenOnSystemBlocksToolsAndText() throws Exception {
    JsonNode ephemeral = Json.parse("{\"type\":\"ephemeral\"}");
    ChatRequest req = new ChatRequest();
    req.system.add(new Part.Text("Stable instructions", ephemeral));
    req.system.add(new Part.Text("Today is Monday."));
    req.tools.add(new Tool("t", "d", Json.parse("{\"type\":\"object\"}"), ephemeral));
    req.messages.add(Message.of(Role.USER, new Part.Text("long document", ephemeral)));
    JsonNode body = encode(req, "claude-sonnet-4-5");
    assertThat(body.get("system")).isEqualTo(Json.parse("""
        [{"type":"text","text":"Stable instructions","cache_control":{"type":"ephemeral"}},
         {"type":"text","text":"Today is Monday."}]"""));
    assertThat(body.get("tools").get(0).get("cache_control")).isEqualTo(ephemeral);
    assertThat(body.get("messages").get(0).get("content").get(0).get("cache_control")).isEqualTo(ephemeral);
  }

  @Test
  void imagesByUrlInlineAndDataUrl() throws Exception {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER,
        Part.Image.ofUrl("https://example.com/cat.png"),
        Part.Image.ofBase64("image/webp", "UklGRg=="),
        Part.Image.ofUrl("data:image/png;base64,iVBORw0KGgo="),
        new Part.Text("What are these?")));
    JsonNode content = encode(req, "claude-sonnet-4-5").get("messages").get(0).get("content");
    assertThat(content.get(0).get("source")).isEqualTo(Json.parse("{\"type\":\"url\",\"url\":\"https://example.com/cat.png\"}"));
    assertThat(content.get(1).get("source")).isEqualTo(Json.parse("{\"type\":\"base64\",\"media_type\":\"image/webp\",\"data\":\"UklGRg==\"}"));
    assertThat(content.get(2).get("source")).isEqualTo(Json.parse("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}"));
  }

  @Test
  void jsonModeAndSchemaBecomeASystemInstruction() throws Exception {
    ChatRequest req = userSays("List two colors.");
    req.system.add(new Part.Text("Be brief."));
    req.responseFormat = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "colors",
        Json.parse("{\"type\":\"object\",\"properties\":{\"colors\":{\"type\":\"array\"}}}"), true);
    String system = encode(req, "claude-sonnet-4-5").get("system").asText();
    assertThat(system).startsWith("Be brief.\n\n").contains("single valid JSON object").contains("\"colors\":{\"type\":\"array\"}");

    ChatRequest json = userSays("x");
    json.responseFormat = ResponseFormat.JSON;
    assertThat(encode(json, "claude-sonnet-4-5").get("system").asText()).contains("single valid JSON object").doesNotContain("Schema");
  }

  @Test
  void onlySignedThinkingIsSentBack() throws Exception {
    ChatRequest req = userSays("q");
    req.messages.add(Message.of(Role.ASSISTANT,
        new Part.Thinking("from another provider", null, null),
        new Part.Thinking("signed", "sig-1", null),
        new Part.Thinking("", null, "opaque"),
        new Part.Text("answer")));
    JsonNode content = encode(req, "claude-sonnet-4-5").get("messages").get(1).get("content");
    assertThat(content).isEqualTo(Json.parse("""
        [{"type":"thinking","thinking":"signed","signature":"sig-1"},
         {"type":"redacted_thinking","data":"opaque"},
         {"type":"text","text":"answer"}]"""));
  }

  @Test
  void toolIdsFromOtherProvidersAreMadeValidOnBothSides() throws Exception {
    ChatRequest req = userSays("q");
    req.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("fc:1.a", "f", "")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("fc:1.a", "f", List.of(new Part.Text("ok")), false)));
    JsonNode messages = encode(req, "claude-sonnet-4-5").get("messages");
    assertThat(messages.get(1).get("content").get(0).get("id").asText()).isEqualTo("fc_1_a");
    assertThat(messages.get(1).get("content").get(0).get("input")).isEqualTo(Json.object());
    assertThat(messages.get(2).get("content").get(0).get("tool_use_id").asText()).isEqualTo("fc_1_a");
  }

  @Test
  void toolResultsComeFirstInTheirUserTurn() throws Exception {
    ChatRequest req = userSays("q");
    req.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("c1", "f", "{}")));
    req.messages.add(Message.of(Role.USER, new Part.Text("also, hurry")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("c1", "f", List.of(new Part.Text("done")), false)));
    JsonNode turn = encode(req, "claude-sonnet-4-5").get("messages").get(2);
    assertThat(turn.get("content")).extracting(b -> b.get("type").asText()).containsExactly("tool_result", "text");
  }

  @Test
  void rejectsWhatAnthropicCannotExpress() {
    ChatRequest many = userSays("q");
    many.n = 2;
    assertThatThrownBy(() -> encode(many, "claude-sonnet-4-5")).isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).param).isEqualTo("n"));

    ChatRequest badArgs = userSays("q");
    badArgs.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("c1", "f", "[1,2]")));
    assertThatThrownBy(() -> encode(badArgs, "claude-sonnet-4-5")).isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).status).isEqualTo(400));
  }

  @Test
  void countTokensBodyHasOnlyTheFieldsThatEndpointAccepts() throws Exception {
    ChatRequest req = userSays("Hello, world");
    req.maxTokens = 100;
    req.temperature = 0.1;
    req.stream = true;
    req.system.add(new Part.Text("sys"));
    JsonNode body = Json.parse(codec.encodeCountTokensRequest(req, "claude-sonnet-4-5"));
    assertThat(body.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("model", "system", "messages");
  }

  @Test
  void anAnthropicRequestSurvivesDecodeThenEncode() throws Exception {
    String original = """
        {"model":"claude-sonnet-4-5","system":[{"type":"text","text":"S","cache_control":{"type":"ephemeral"}}],
         "messages":[
           {"role":"user","content":[{"type":"text","text":"What's 2+2?"}]},
           {"role":"assistant","content":[{"type":"thinking","thinking":"easy","signature":"c2ln"},
                                          {"type":"tool_use","id":"toolu_01","name":"calc","input":{"expr":"2+2"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"4"}]}],
         "tools":[{"name":"calc","description":"Calculator","input_schema":{"type":"object","properties":{"expr":{"type":"string"}}}}],
         "tool_choice":{"type":"auto","disable_parallel_tool_use":true},
         "thinking":{"type":"enabled","budget_tokens":2000},
         "max_tokens":4000,"stop_sequences":["\\n\\nHuman:"],"metadata":{"user_id":"u"},"stream":true}""";
    ChatRequest decoded = codec.decodeRequest(Json.parse(original), null);
    assertThat(encode(decoded, "claude-sonnet-4-5")).isEqualTo(Json.parse(original));
  }
}
