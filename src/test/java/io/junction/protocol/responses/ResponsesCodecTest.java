package io.junction.protocol.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Role;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.StreamTap;
import io.junction.protocol.Tool;
import io.junction.protocol.Usage;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ResponsesCodecTest {
  /** Codex CLI 0.171.0's first request, captured byte for byte (a copy of the shared fixture). */
  public static byte[] codexFixture() {
    try (var in = ResponsesCodecTest.class.getResourceAsStream("/fixtures/codex-0.171.0-responses-request.json")) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
  final ResponsesCodec codec = ResponsesCodec.INSTANCE;

  static JsonNode json(String s) {
    try {
      return Json.parse(s);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode codexRequest() throws Exception {
    return Json.parse(Buffer.buffer(codexFixture()));
  }

  @Test
  void decodesCodexRequest() throws Exception {
    ChatRequest r = codec.decodeRequest(codexRequest(), null);
    assertThat(r.model).isEqualTo("claude-sonnet-4-6");
    assertThat(r.stream).isTrue();
    // Two developer messages become the system prompt; the two user messages one user turn.
    assertThat(r.systemText()).startsWith("You are a coding agent running in the Codex CLI").contains("<skills_instructions>");
    assertThat(r.messages).singleElement().satisfies(m -> {
      assertThat(m.role).isEqualTo(Role.USER);
      assertThat(m.text()).contains("<environment_context>").endsWith("say hi");
    });
    // Function tools as they are; the namespace's tools flattened as multi_agent_v1__<name>; web_search dropped.
    assertThat(r.tools).extracting(Tool::name).contains("exec_command", "write_stdin", "multi_agent_v1__close_agent")
        .doesNotContain("web_search");
    Tool close = r.tools.stream().filter(t -> t.name().equals("multi_agent_v1__close_agent")).findFirst().orElseThrow();
    assertThat(close.namespace()).isEqualTo("multi_agent_v1");
    assertThat(r.reasoning).as("a summary setting alone asks for no reasoning").isNull();
  }

  @Test
  void codexRequestTranslatesToAnthropicAndChat() throws Exception {
    ChatRequest r = codec.decodeRequest(codexRequest(), null);
    JsonNode anthropic = Json.parse(AnthropicCodec.INSTANCE.encodeRequest(r, "claude-sonnet-4-6"));
    assertThat(anthropic.path("system").toString()).contains("Codex CLI");
    assertThat(anthropic.path("messages")).hasSize(1);
    List<String> names = new ArrayList<>();
    anthropic.path("tools").forEach(t -> names.add(t.path("name").asText()));
    assertThat(names).contains("exec_command", "multi_agent_v1__close_agent").allMatch(n -> n.matches("[a-zA-Z0-9_-]{1,128}"));
    JsonNode chat = Json.parse(OpenAiCodec.INSTANCE.encodeRequest(r, "gpt-4o"));
    assertThat(chat.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(chat.path("tools").size()).isEqualTo(anthropic.path("tools").size());
  }

  @Test
  void itemsBecomeCanonicalTurns() {
    ChatRequest r = codec.decodeRequest(json("""
        {"model":"m","instructions":"be brief","input":[
          {"role":"user","content":"weather?"},
          {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"think"}],"encrypted_content":"ENC"},
          {"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
          {"type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":"*** Begin Patch"},
          {"type":"function_call_output","call_id":"c1","output":"sunny"},
          {"type":"custom_tool_call_output","call_id":"c2","output":"done"},
          {"type":"web_search_call","id":"ws_1","status":"completed"}],
         "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}},
                  {"type":"custom","name":"apply_patch","format":{"type":"grammar","syntax":"lark","definition":"start: x"}}],
         "tool_choice":{"type":"function","name":"get_weather"},"max_output_tokens":100,
         "text":{"format":{"type":"json_schema","name":"w","schema":{"type":"object"},"strict":true}},
         "reasoning":{"effort":"high","summary":"auto"}}"""), null);
    assertThat(r.systemText()).isEqualTo("be brief");
    assertThat(r.messages).extracting(m -> m.role).containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL);
    assertThat(r.messages.get(1).parts).containsExactly(new Part.Thinking("think", "ENC", null),
        new Part.ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"), new Part.ToolCall("c2", "apply_patch", "{\"input\":\"*** Begin Patch\"}"));
    assertThat(r.messages.get(2).parts).containsExactly(new Part.ToolResult("c1", "get_weather", List.of(new Part.Text("sunny")), false),
        new Part.ToolResult("c2", "apply_patch", List.of(new Part.Text("done")), false));
    Tool patch = r.tools.get(1);
    assertThat(patch.custom()).isTrue();
    assertThat(patch.description()).contains("lark").contains("start: x");
    assertThat(patch.parameters().path("required").get(0).asText()).isEqualTo("input");
    assertThat(r.toolChoice.name()).isEqualTo("get_weather");
    assertThat(r.maxTokens).isEqualTo(100);
    assertThat(r.responseFormat.schema()).isEqualTo(json("{\"type\":\"object\"}"));
    assertThat(r.reasoning.effort()).isEqualTo("high");
  }

  @Test
  void wrongTypesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> codec.decodeRequest(json("{\"model\":\"m\"}"), null))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param).isEqualTo("input"));
    assertThatThrownBy(() -> codec.decodeRequest(json("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\"}]}"), null))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param).isEqualTo("input[0]"));
    assertThatThrownBy(() -> codec.decodeRequest(json("{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":\"9\"}"), null))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param).isEqualTo("max_output_tokens"));
  }

  static ChatRequest toolRequest(boolean stream) {
    return ResponsesCodec.INSTANCE.decodeRequest(json("""
        {"model":"m","input":"hi","stream":%s,"tools":[
          {"type":"function","name":"get_weather","parameters":{"type":"object"}},
          {"type":"custom","name":"apply_patch"},
          {"type":"namespace","name":"crm","description":"d","tools":[{"type":"function","name":"find","parameters":{}}]}]}
        """.formatted(stream)), null);
  }

  @Test
  void answerEncodesEveryItemType() {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Thinking("hmm", "SIG", null));
    r.content.add(new Part.Text("Hello "));
    r.content.add(new Part.Text("there"));
    r.content.add(new Part.ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"));
    r.content.add(new Part.ToolCall("c2", "apply_patch", "{\"input\":\"PATCH\"}"));
    r.content.add(new Part.ToolCall("c3", "crm__find", "{}"));
    r.finishReason = FinishReason.TOOL_CALLS;
    r.usage = new Usage(100, 20, 30, 0, 5);
    ChatRequest req = toolRequest(false);
    JsonNode out = json(codec.encodeResponse(r, req).toString());
    assertThat(out.path("object").asText()).isEqualTo("response");
    assertThat(out.path("id").asText()).startsWith("resp_");
    assertThat(out.path("status").asText()).isEqualTo("completed");
    JsonNode items = out.path("output");
    assertThat(items).extracting(i -> i.path("type").asText())
        .containsExactly("reasoning", "message", "function_call", "custom_tool_call", "function_call");
    assertThat(items.get(0).path("encrypted_content").asText()).isEqualTo("SIG");
    assertThat(items.get(0).path("summary").get(0).path("text").asText()).isEqualTo("hmm");
    assertThat(items.get(1).path("content").get(0).path("text").asText()).isEqualTo("Hello there");
    assertThat(items.get(2).path("call_id").asText()).isEqualTo("c1");
    assertThat(items.get(3).path("input").asText()).isEqualTo("PATCH");
    assertThat(items.get(4).path("name").asText()).isEqualTo("find");
    assertThat(items.get(4).path("namespace").asText()).isEqualTo("crm");
    assertThat(out.path("usage")).isEqualTo(json("""
        {"input_tokens":100,"input_tokens_details":{"cached_tokens":30},"output_tokens":20,
         "output_tokens_details":{"reasoning_tokens":5},"total_tokens":120}"""));
    assertThat(out.path("tools").size()).as("tools echoed as sent").isEqualTo(3);
  }

  @Test
  void truncatedAnswerIsIncomplete() {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Text("cut"));
    r.finishReason = FinishReason.LENGTH;
    JsonNode out = json(codec.encodeResponse(r, toolRequest(false)).toString());
    assertThat(out.path("status").asText()).isEqualTo("incomplete");
    assertThat(out.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
  }

  static String encode(ChatRequest req, List<StreamEvent> events, ResponseCapture capture) {
    StreamEncoder enc = (capture == null ? ResponsesCodec.INSTANCE : ResponsesCodec.capturing(capture)).streamEncoder(req);
    Buffer out = Buffer.buffer();
    events.forEach(e -> enc.encode(e, out));
    return out.toString();
  }

  @Test
  void streamHasTheFullTypedEventSequence() {
    ResponseCapture capture = new ResponseCapture();
    capture.want();
    String sse = encode(toolRequest(true), List.of(
        new StreamEvent.Start("x", "m", new Usage(10, 0)),
        new StreamEvent.ThinkingDelta("let me "), new StreamEvent.ThinkingDelta("think"), new StreamEvent.ThinkingSignature("SIG"),
        new StreamEvent.TextDelta("Hel"), new StreamEvent.TextDelta("lo"),
        new StreamEvent.ToolCallStart(0, "c1", "get_weather"), new StreamEvent.ToolCallDelta(0, "{\"city\":"),
        new StreamEvent.ToolCallDelta(0, "\"Paris\"}"),
        new StreamEvent.ToolCallStart(1, "c2", "apply_patch"), new StreamEvent.ToolCallDelta(1, "{\"input\":\"P\\nQ\"}"),
        new StreamEvent.ToolCallStart(2, "c3", "crm__find"), new StreamEvent.ToolCallDelta(2, "{}"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null), new StreamEvent.UsageReport(new Usage(10, 7, 4, 0, 2)),
        new StreamEvent.End()), capture);
    JsonNode response = ResponsesEvents.checkComplete(sse);
    assertThat(response.path("status").asText()).isEqualTo("completed");
    assertThat(response.path("output")).extracting(i -> i.path("type").asText())
        .containsExactly("reasoning", "message", "function_call", "custom_tool_call", "function_call");
    assertThat(response.path("output").get(0).path("summary").get(0).path("text").asText()).isEqualTo("let me think");
    assertThat(response.path("output").get(0).path("encrypted_content").asText()).isEqualTo("SIG");
    assertThat(response.path("output").get(1).path("content").get(0).path("text").asText()).isEqualTo("Hello");
    assertThat(response.path("output").get(2).path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(response.path("output").get(3).path("input").asText()).isEqualTo("P\nQ");
    assertThat(response.path("output").get(4).path("namespace").asText()).isEqualTo("crm");
    assertThat(response.path("usage").path("output_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(2);
    assertThat(response.path("usage").path("input_tokens_details").path("cached_tokens").asLong()).isEqualTo(4);
    List<String> types = ResponsesEvents.parse(sse).stream().map(ResponsesEvents.Event::name).toList();
    assertThat(types).startsWith("response.created", "response.in_progress", "response.output_item.added",
        "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta");
    assertThat(types).contains("response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.custom_tool_call_input.done");
    // What a capturing codec keeps is exactly what the client got last.
    assertThat(Json.text(capture.response())).isEqualTo(Json.text(response));
  }

  @Test
  void brokenStreamEndsInResponseFailed() {
    String sse = encode(toolRequest(true), List.of(new StreamEvent.Start("x", "m", null), new StreamEvent.TextDelta("Hel"),
        new StreamEvent.Error("api_error", "Upstream stream ended before it was complete")), null);
    JsonNode failed = ResponsesEvents.checkFailed(sse);
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("error").path("message").asText()).contains("ended before it was complete");
  }

  // ---- upstream side

  @Test
  void upstreamRequestIsAResponsesRequest() {
    ChatRequest r = new ChatRequest();
    r.system.add(new Part.Text("sys"));
    r.messages.add(Message.of(Role.USER, new Part.Text("hi")));
    r.messages.add(Message.of(Role.ASSISTANT, new Part.Thinking("t", "ENC", null), new Part.Text("calling"),
        new Part.ToolCall("c1", "get_weather", "{}")));
    r.messages.add(Message.of(Role.TOOL, new Part.ToolResult("c1", "get_weather", List.of(new Part.Text("sunny")), false)));
    r.tools.add(new Tool("get_weather", "w", json("{\"type\":\"object\"}")));
    r.maxTokens = 5;
    r.stream = true;
    JsonNode b = json(codec.encodeRequest(r, "gpt-5-codex").toString());
    assertThat(b.path("model").asText()).isEqualTo("gpt-5-codex");
    assertThat(b.path("instructions").asText()).isEqualTo("sys");
    assertThat(b.path("store").asBoolean(true)).isFalse();
    assertThat(b.path("max_output_tokens").asInt()).as("OpenAI's minimum").isEqualTo(16);
    assertThat(b.path("input")).extracting(i -> i.path("type").asText())
        .containsExactly("message", "reasoning", "message", "function_call", "function_call_output");
    assertThat(b.path("input").get(1).path("encrypted_content").asText()).isEqualTo("ENC");
    assertThat(b.path("input").get(4).path("output").asText()).isEqualTo("sunny");
    assertThat(b.path("tools").get(0).path("type").asText()).isEqualTo("function");
  }

  @Test
  void upstreamStreamDecodesToCanonicalEvents() {
    String sse = """
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","model":"gpt-5","status":"in_progress","output":[]}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}

        event: response.reasoning_summary_text.delta
        data: {"type":"response.reasoning_summary_text.delta","sequence_number":2,"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"hm"}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"hm"}],"encrypted_content":"ENC"}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":4,"output_index":1,"item":{"id":"fc_1","type":"function_call","call_id":"c1","name":"find","namespace":"crm","arguments":""}}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":5,"item_id":"fc_1","output_index":1,"delta":"{}"}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":6,"output_index":2,"item":{"id":"ctc_1","type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":""}}

        event: response.custom_tool_call_input.delta
        data: {"type":"response.custom_tool_call_input.delta","sequence_number":7,"item_id":"ctc_1","output_index":2,"delta":"P"}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":8,"output_index":2,"item":{"id":"ctc_1","type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":"P"}}

        event: response.completed
        data: {"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","status":"completed","output":[],"usage":{"input_tokens":9,"input_tokens_details":{"cached_tokens":1},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":2},"total_tokens":12}}}

        """;
    List<StreamEvent> events = new ArrayList<>();
    var dec = codec.streamDecoder();
    // Fed in 7-byte pieces: events split anywhere.
    byte[] bytes = sse.getBytes();
    for (int i = 0; i < bytes.length; i += 7) dec.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7))), events::add);
    dec.finish(events::add);
    assertThat(events).containsExactly(new StreamEvent.Start("resp_1", "gpt-5", null), new StreamEvent.ThinkingDelta("hm"),
        new StreamEvent.ThinkingSignature("ENC"), new StreamEvent.ToolCallStart(0, "c1", "crm__find"), new StreamEvent.ToolCallDelta(0, "{}"),
        new StreamEvent.ToolCallStart(1, "c2", "apply_patch"), new StreamEvent.ToolCallDelta(1, "{\"input\":\"P\"}"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null), new StreamEvent.UsageReport(new Usage(9, 3, 1, 0, 2)), new StreamEvent.End());
  }

  @Test
  void upstreamStreamWithoutTerminalEventIsAnError() {
    List<StreamEvent> events = new ArrayList<>();
    var dec = codec.streamDecoder();
    dec.feed(Buffer.buffer("event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}\n\n"), events::add);
    dec.finish(events::add);
    assertThat(events.get(events.size() - 1)).isInstanceOf(StreamEvent.Error.class);
  }

  @Test
  void passthroughTapHoldsBackTheTerminalEventAndCapturesTheResponse() {
    ResponseCapture capture = new ResponseCapture();
    capture.want();
    var tap = ResponsesCodec.capturing(capture).relayTap(null);
    String created = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_9\"}}\n\n";
    String done = "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1,\"response\":{\"id\":\"resp_9\",\"usage\":{\"input_tokens\":3,\"output_tokens\":4}}}\n\n";
    String all = created + done;
    StringBuilder relayed = new StringBuilder();
    for (int i = 0; i < all.length(); i += 11) relayed.append(tap.relay(Buffer.buffer(all.substring(i, Math.min(all.length(), i + 11)))));
    assertThat(relayed.toString()).isEqualTo(created);
    assertThat(tap.complete()).isTrue();
    assertThat(tap.usage()).isEqualTo(new Usage(3, 4));
    assertThat(capture.response().path("id").asText()).isEqualTo("resp_9");
    assertThat(tap.finish().toString()).isEqualTo(done);
  }

  @Test
  void aCaptureNobodyWantsKeepsNothing() {
    ResponseCapture capture = new ResponseCapture();
    ResponsesCodec c = ResponsesCodec.capturing(capture);
    c.relayed(Buffer.buffer("{\"id\":\"resp_1\",\"object\":\"response\"}"));
    StreamTap upstream = ResponsesCodec.INSTANCE.passthroughTap(false);
    assertThat(c.relayTap(upstream)).isSameAs(upstream);
    assertThat(capture.response()).isNull();
  }

  @Test
  void usageOfARelayedResponse() {
    ObjectNode r = Json.object().put("id", "resp_1").put("object", "response");
    r.putObject("usage").put("input_tokens", 5).put("output_tokens", 6).putObject("input_tokens_details").put("cached_tokens", 2);
    assertThat(codec.usageOf(Json.buffer(r))).isEqualTo(new Usage(5, 6, 2, 0, 0));
    assertThatThrownBy(() -> codec.usageOf(Buffer.buffer("{\"id\":"))).isInstanceOf(GatewayException.class);
  }
}
