package io.junction.conformance;

import static io.junction.conformance.Fixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.conformance.Fixtures.Call;
import io.junction.conformance.Fixtures.ImageSeen;
import io.junction.conformance.Fixtures.ResultSeen;
import io.junction.conformance.Fixtures.ToolSeen;
import io.junction.conformance.Fixtures.WireRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;
import io.junction.provider.AwsSigV4;
import io.junction.testing.MockAnthropicServer;
import io.junction.testing.MockBedrockServer;
import io.junction.testing.MockCohereServer;
import io.junction.testing.MockGeminiServer;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockResponsesServer;
import io.junction.testing.MockUpstreamBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One upstream provider type of the matrix: its mock, how to script an answer on it, and how to
 * read what it received back into a {@link WireRequest} from the provider's own fields.
 */
abstract class Upstream implements AutoCloseable {
  /** Provider name in the gateway config, also the {@code provider/} prefix clients use. */
  final String name;
  /** The model the upstream must receive. */
  final String upstreamModel;

  Upstream(String name, String upstreamModel) {
    this.name = name;
    this.upstreamModel = upstreamModel;
  }

  /** The model name clients ask for: an explicit {@code provider/model}. */
  String clientModel() { return name + "/" + upstreamModel; }

  abstract ProviderConfig config();

  /** Whether the calls scripted next are streamed: only mocks that cannot tell from the request (Gemini's, per reply) care. */
  void streamed(boolean stream) {}

  /** The next chat call is answered with {@code text} and {@link #usage()}. */
  abstract void scriptText(String text);

  /** The next chat call is answered with a call of get_weather({"city":"Paris"}), id {@link #callId()}. */
  abstract void scriptToolCall();

  /** The next streamed chat call sends some text, then breaks before the stream's end. */
  abstract void scriptBrokenStream();

  /** The next streamed chat call gets a 200 and headers, then the stream ends without one event. */
  abstract void scriptEmptyStream();

  /** The tool call id this upstream's scripted tool call carries (null if its wire has none). */
  abstract String callId();

  /** The tool result as this upstream must receive it: matched to the call by id, or by name where the wire has no ids. */
  ResultSeen expectedResult() { return new ResultSeen(callId(), null, Fixtures.TOOL_RESULT); }

  /** Usage each scripted answer reports, in canonical terms (input includes cached tokens). */
  abstract Usage usage();

  abstract int requestCount();

  /** The chat request {@code fromEnd} calls before the last one (0 = the last). */
  abstract WireRequest request(int fromEnd);

  @Override
  public abstract void close();

  @Override
  public String toString() { return name; }

  /** {@code c} with adapter options added. */
  static ProviderConfig withOptions(ProviderConfig c, Map<String, String> options) {
    Map<String, String> all = new java.util.HashMap<>(c.options());
    all.putAll(options);
    return new ProviderConfig(c.name(), c.type(), c.preset(), c.baseUrl(), c.apiKeys(), c.dispatch(), c.weight(), c.models(),
        c.timeoutMs(), c.connectTimeoutMs(), c.firstByteTimeoutMs(), c.idleTimeoutMs(), c.maxRetries(), c.headers(), c.enabled(), all);
  }

  static String text(JsonNode n) { return n == null || n.isMissingNode() || n.isNull() ? null : n.asText(); }

  // ---- OpenAI Chat Completions

  static final class OpenAi extends Upstream {
    final MockOpenAiServer mock;

    OpenAi(Vertx vertx) {
      super("openai", "gpt-4o");
      mock = new MockOpenAiServer(vertx);
    }

    /** A Chat Completions server only (responses_api off): Responses clients are translated to it. */
    @Override
    ProviderConfig config() {
      return withOptions(ProviderConfig.simple(name, "openai", mock.baseUrl(), List.of(MockOpenAiServer.KEY), List.of()),
          Map.of("responses_api", "false"));
    }

    @Override void scriptText(String text) { mock.enqueue(MockOpenAiServer.Reply.text(text)); }

    /** The mock calls the first offered tool by itself whenever the last message is not a tool result. */
    @Override void scriptToolCall() { mock.enqueue(MockOpenAiServer.Reply.text("unused: the mock answers offered tools with a call")); }

    @Override void scriptBrokenStream() { mock.enqueue(MockOpenAiServer.Reply.mode(MockOpenAiServer.Reply.Mode.CUT_MID_STREAM)); }

    @Override void scriptEmptyStream() { mock.enqueue(MockOpenAiServer.Reply.mode(MockOpenAiServer.Reply.Mode.EMPTY_STREAM)); }

    @Override String callId() { return "call_mock1"; }

    @Override Usage usage() { return new Usage(12, 5, 2, 0, 0); }

    @Override int requestCount() { return mock.received.size(); }

    @Override
    WireRequest request(int fromEnd) {
      JsonNode body = mock.received.get(mock.received.size() - 1 - fromEnd).body();
      String system = null;
      List<String> userTexts = new ArrayList<>();
      List<Call> calls = new ArrayList<>();
      List<ResultSeen> results = new ArrayList<>();
      List<ImageSeen> images = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        JsonNode content = m.path("content");
        switch (m.path("role").asText()) {
          case "system", "developer" -> system = content.asText();
          case "user" -> {
            if (content.isTextual()) userTexts.add(content.asText());
            for (JsonNode p : content) {
              if (p.path("type").asText().equals("text")) userTexts.add(p.path("text").asText());
              if (p.path("type").asText().equals("image_url")) images.add(dataUrl(p.path("image_url").path("url").asText()));
            }
          }
          case "assistant" -> {
            for (JsonNode c : m.path("tool_calls")) {
              calls.add(new Call(c.path("id").asText(), c.path("function").path("name").asText(), json(c.path("function").path("arguments").asText())));
            }
          }
          case "tool" -> results.add(new ResultSeen(m.path("tool_call_id").asText(), null, content.asText()));
          default -> throw new AssertionError("unexpected role in " + m);
        }
      }
      List<ToolSeen> tools = new ArrayList<>();
      for (JsonNode t : body.path("tools")) {
        JsonNode fn = t.path("function");
        tools.add(new ToolSeen(fn.path("name").asText(), text(fn.path("description")), fn.path("parameters")));
      }
      return new WireRequest(body.path("model").asText(), system, userTexts, tools, calls, results, images);
    }

    @Override public void close() { mock.close(); }
  }

  /** {@code data:image/png;base64,AAAA} split into media type and data; anything else is kept whole as the "type". */
  static ImageSeen dataUrl(String url) {
    int semi = url.indexOf(";base64,");
    return url.startsWith("data:") && semi > 0 ? new ImageSeen(url.substring(5, semi), url.substring(semi + 8)) : new ImageSeen(url, null);
  }

  // ---- Anthropic Messages

  static final class Anthropic extends Upstream {
    final MockAnthropicServer mock;

    Anthropic(Vertx vertx) {
      super("anthropic", "claude-sonnet-4-5");
      mock = new MockAnthropicServer(vertx);
    }

    @Override ProviderConfig config() { return ProviderConfig.simple(name, "anthropic", mock.baseUrl(), List.of(MockAnthropicServer.KEY), List.of()); }

    /** Anthropic counts input without cache reads: 20 + 3 cached = 23 canonical input tokens. */
    @Override void scriptText(String text) { mock.enqueue(MockAnthropicServer.Reply.text(text).usage(20, 7).cache(3, 0)); }

    @Override
    void scriptToolCall() {
      mock.enqueue(MockAnthropicServer.Reply.empty().toolUse(callId(), Fixtures.TOOL_NAME, Fixtures.TOOL_ARGUMENTS).usage(20, 7).cache(3, 0));
    }

    @Override void scriptBrokenStream() { mock.enqueue(MockAnthropicServer.Reply.text("Sunny and").cutAfterContent()); }

    @Override void scriptEmptyStream() { mock.enqueue(MockAnthropicServer.Reply.empty().noEvents()); }

    @Override String callId() { return "toolu_01ConformanceMatrix"; }

    @Override Usage usage() { return new Usage(23, 7, 3, 0, 0); }

    @Override int requestCount() { return mock.requests().size(); }

    @Override
    WireRequest request(int fromEnd) {
      List<MockAnthropicServer.Recorded> all = mock.requests();
      JsonNode body = all.get(all.size() - 1 - fromEnd).body();
      JsonNode sys = body.path("system");
      String system = sys.isTextual() ? sys.asText() : sys.isArray() ? blocksText(sys) : null;
      List<String> userTexts = new ArrayList<>();
      List<Call> calls = new ArrayList<>();
      List<ResultSeen> results = new ArrayList<>();
      List<ImageSeen> images = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        JsonNode content = m.path("content");
        boolean user = m.path("role").asText().equals("user");
        if (content.isTextual() && user) userTexts.add(content.asText());
        for (JsonNode b : content) {
          switch (b.path("type").asText()) {
            case "text" -> { if (user) userTexts.add(b.path("text").asText()); }
            case "image" -> images.add(new ImageSeen(b.path("source").path("media_type").asText(), b.path("source").path("data").asText()));
            case "tool_use" -> calls.add(new Call(b.path("id").asText(), b.path("name").asText(), b.path("input")));
            case "tool_result" -> {
              JsonNode c = b.path("content");
              results.add(new ResultSeen(b.path("tool_use_id").asText(), null, c.isTextual() ? c.asText() : blocksText(c)));
            }
            default -> { }
          }
        }
      }
      List<ToolSeen> tools = new ArrayList<>();
      for (JsonNode t : body.path("tools")) tools.add(new ToolSeen(t.path("name").asText(), text(t.path("description")), t.path("input_schema")));
      return new WireRequest(body.path("model").asText(), system, userTexts, tools, calls, results, images);
    }

    private static String blocksText(JsonNode blocks) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode b : blocks) sb.append(b.path("text").asText());
      return sb.toString();
    }

    @Override public void close() { mock.close(); }
  }

  /** Shared by the mocks that take a scripted canonical {@link ChatResponse} (Cohere, Bedrock). */
  static ChatResponse answer(Usage usage, Part... parts) {
    ChatResponse r = new ChatResponse();
    r.content.addAll(List.of(parts));
    r.usage = usage;
    r.finishReason = parts.length > 0 && parts[0] instanceof Part.ToolCall ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    return r;
  }

  // ---- Cohere v2

  static final class Cohere extends Upstream {
    static final String KEY = "co-conformance-key";
    final MockCohereServer mock;

    Cohere(Vertx vertx) {
      super("cohere", "command-a-03-2025");
      mock = MockCohereServer.start(vertx, KEY);
    }

    @Override ProviderConfig config() { return ProviderConfig.simple(name, "cohere", mock.baseUrl(), List.of(KEY), List.of()); }

    @Override void scriptText(String text) { mock.answer(answer(usage(), new Part.Text(text))); }

    @Override void scriptToolCall() { mock.answer(answer(usage(), new Part.ToolCall(callId(), Fixtures.TOOL_NAME, Fixtures.TOOL_ARGUMENTS))); }

    /** Cohere's events up to some text deltas, then the connection drops before message-end. */
    @Override
    void scriptBrokenStream() {
      String sse = MockCohereServer.sse(answer(usage(), new Part.Text(Fixtures.ANSWER)));
      mock.cut("text/event-stream", Buffer.buffer(sse.substring(0, sse.indexOf("event: content-end"))));
    }

    @Override void scriptEmptyStream() { mock.raw(200, "text/event-stream"); }

    @Override String callId() { return "get_weather_k7r3m2q9x1"; }

    @Override Usage usage() { return new Usage(30, 9); }

    @Override int requestCount() { return mock.received.size(); }

    @Override
    WireRequest request(int fromEnd) {
      JsonNode body = mock.received.get(mock.received.size() - 1 - fromEnd).json();
      String system = null;
      List<String> userTexts = new ArrayList<>();
      List<Call> calls = new ArrayList<>();
      List<ResultSeen> results = new ArrayList<>();
      List<ImageSeen> images = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        JsonNode content = m.path("content");
        switch (m.path("role").asText()) {
          case "system" -> system = content.asText();
          case "user" -> {
            if (content.isTextual()) userTexts.add(content.asText());
            for (JsonNode p : content) {
              if (p.path("type").asText().equals("text")) userTexts.add(p.path("text").asText());
              if (p.path("type").asText().equals("image_url")) images.add(dataUrl(p.path("image_url").path("url").asText()));
            }
          }
          case "assistant" -> {
            for (JsonNode c : m.path("tool_calls")) {
              calls.add(new Call(c.path("id").asText(), c.path("function").path("name").asText(), json(c.path("function").path("arguments").asText())));
            }
          }
          case "tool" -> results.add(new ResultSeen(m.path("tool_call_id").asText(), null, toolContent(content)));
          default -> throw new AssertionError("unexpected role in " + m);
        }
      }
      List<ToolSeen> tools = new ArrayList<>();
      for (JsonNode t : body.path("tools")) {
        JsonNode fn = t.path("function");
        tools.add(new ToolSeen(fn.path("name").asText(), text(fn.path("description")), fn.path("parameters")));
      }
      return new WireRequest(body.path("model").asText(), system, userTexts, tools, calls, results, images);
    }

    /** A tool message's content: a string, or a list of text / document items. */
    private static String toolContent(JsonNode content) {
      if (content.isTextual()) return content.asText();
      StringBuilder sb = new StringBuilder();
      for (JsonNode item : content) sb.append(item.has("text") ? item.path("text").asText() : item.path("document").path("data").asText());
      return sb.toString();
    }

    @Override public void close() { mock.close(); }
  }

  // ---- Bedrock Converse

  static final class Bedrock extends Upstream {
    static final String KEY = "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String REGION = "eu-west-1";
    final MockBedrockServer mock;

    Bedrock(Vertx vertx) {
      super("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0");
      mock = MockBedrockServer.start(vertx, AwsSigV4.Credentials.parse(KEY), REGION);
    }

    @Override
    ProviderConfig config() { return withOptions(ProviderConfig.simple(name, "bedrock", mock.baseUrl(), List.of(KEY), List.of()), Map.of("region", REGION)); }

    @Override void scriptText(String text) { mock.answer(answer(usage(), new Part.Text(text))); }

    @Override void scriptToolCall() { mock.answer(answer(usage(), new Part.ToolCall(callId(), Fixtures.TOOL_NAME, Fixtures.TOOL_ARGUMENTS))); }

    /** ConverseStream frames up to the text deltas, then the connection drops: no contentBlockStop, messageStop or metadata. */
    @Override
    void scriptBrokenStream() {
      List<Buffer> frames = MockBedrockServer.frames(answer(usage(), new Part.Text(Fixtures.ANSWER)));
      mock.cut("application/vnd.amazon.eventstream", frames.subList(0, frames.size() - 3).toArray(Buffer[]::new));
    }

    @Override void scriptEmptyStream() { mock.raw(200, "application/vnd.amazon.eventstream"); }

    @Override String callId() { return "tooluse_Kx7aQ2rTzW9mN4bVcL1eYg"; }

    /** Bedrock counts input without cache reads, like Anthropic. */
    @Override Usage usage() { return new Usage(40, 11, 4, 0, 0); }

    @Override int requestCount() { return mock.received.size(); }

    @Override
    WireRequest request(int fromEnd) {
      var received = mock.received.get(mock.received.size() - 1 - fromEnd);
      JsonNode body = received.json();
      StringBuilder system = new StringBuilder();
      for (JsonNode s : body.path("system")) system.append(s.path("text").asText());
      List<String> userTexts = new ArrayList<>();
      List<Call> calls = new ArrayList<>();
      List<ResultSeen> results = new ArrayList<>();
      List<ImageSeen> images = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        boolean user = m.path("role").asText().equals("user");
        for (JsonNode b : m.path("content")) {
          if (b.has("text") && user) userTexts.add(b.get("text").asText());
          if (b.has("image")) images.add(new ImageSeen("image/" + b.at("/image/format").asText(), b.at("/image/source/bytes").asText()));
          if (b.has("toolUse")) calls.add(new Call(b.at("/toolUse/toolUseId").asText(), b.at("/toolUse/name").asText(), b.at("/toolUse/input")));
          if (b.has("toolResult")) {
            StringBuilder content = new StringBuilder();
            for (JsonNode c : b.at("/toolResult/content")) content.append(c.path("text").asText());
            results.add(new ResultSeen(b.at("/toolResult/toolUseId").asText(), null, content.toString()));
          }
        }
      }
      List<ToolSeen> tools = new ArrayList<>();
      for (JsonNode t : body.at("/toolConfig/tools")) {
        JsonNode spec = t.path("toolSpec");
        tools.add(new ToolSeen(spec.path("name").asText(), text(spec.path("description")), spec.at("/inputSchema/json")));
      }
      String model = java.net.URLDecoder.decode(received.path().split("/")[2], java.nio.charset.StandardCharsets.UTF_8);
      return new WireRequest(model, system.isEmpty() ? null : system.toString(), userTexts, tools, calls, results, images);
    }

    @Override public void close() { mock.close(); }
  }

  // ---- Gemini generateContent

  static final class Gemini extends Upstream {
    static final String KEY = "AIza-conformance-upstream";
    final MockGeminiServer mock;

    Gemini(Vertx vertx) {
      super("gemini", "gemini-2.5-flash");
      mock = MockUpstreamBase.await(MockGeminiServer.start(vertx, KEY, upstreamModel));
    }

    @Override ProviderConfig config() { return ProviderConfig.simple(name, "gemini", mock.baseUrl(), List.of(KEY), List.of()); }

    private boolean stream;

    @Override void streamed(boolean stream) { this.stream = stream; }

    /** Streamed, the text comes in two chunks as Gemini sends it: usage so far on the first, finishReason and final usage on the last. */
    @Override
    void scriptText(String text) {
      if (!stream) {
        mock.reply(MockGeminiServer.Reply.json(response(textPart(text))));
        return;
      }
      int cut = text.indexOf(' ') + 1;
      String first = "{\"candidates\":[{\"content\":{\"parts\":[" + textPart(text.substring(0, cut)) + "],\"role\":\"model\"},\"index\":0}],"
          + "\"usageMetadata\":{\"promptTokenCount\":50,\"totalTokenCount\":50,\"cachedContentTokenCount\":6},\"modelVersion\":\"gemini-2.5-flash\"}";
      mock.reply(MockGeminiServer.Reply.stream(first, response(textPart(text.substring(cut)))));
    }

    private static String textPart(String text) { return "{\"text\":" + Json.text(Json.NODES.textNode(text)) + "}"; }

    /** Gemini's Developer API sends function calls without ids. */
    @Override void scriptToolCall() { mock.reply(MockGeminiServer.Reply.json(response("{\"functionCall\":{\"name\":\"get_weather\",\"args\":" + Fixtures.TOOL_ARGUMENTS + "}}"))); }

    /** Two chunks of text, then the connection drops before a finishReason. */
    @Override
    void scriptBrokenStream() {
      String chunk = "data: {\"candidates\":[{\"content\":{\"parts\":[%s],\"role\":\"model\"},\"index\":0}]}\r\n\r\n";
      mock.reply(new MockGeminiServer.Reply.Cut("text/event-stream", chunk.formatted(textPart("Sunny ")) + chunk.formatted(textPart("and"))));
    }

    @Override void scriptEmptyStream() { mock.reply(MockGeminiServer.Reply.raw(200, "text/event-stream", "")); }

    /** promptTokenCount includes the cached tokens, as canonical input does. */
    private static String response(String part) {
      return "{\"candidates\":[{\"content\":{\"parts\":[" + part + "],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
          + "\"usageMetadata\":{\"promptTokenCount\":50,\"candidatesTokenCount\":13,\"totalTokenCount\":63,\"cachedContentTokenCount\":6},"
          + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"conformance-1\"}";
    }

    @Override String callId() { return null; }

    @Override ResultSeen expectedResult() { return new ResultSeen(null, Fixtures.TOOL_NAME, Fixtures.TOOL_RESULT); }

    @Override Usage usage() { return new Usage(50, 13, 6, 0, 0); }

    @Override int requestCount() { return mock.requests().size(); }

    @Override
    WireRequest request(int fromEnd) {
      List<MockGeminiServer.Received> all = mock.requests();
      MockGeminiServer.Received received = all.get(all.size() - 1 - fromEnd);
      JsonNode body = received.body();
      StringBuilder system = new StringBuilder();
      for (JsonNode p : body.at("/systemInstruction/parts")) system.append(p.path("text").asText());
      List<String> userTexts = new ArrayList<>();
      List<Call> calls = new ArrayList<>();
      List<ResultSeen> results = new ArrayList<>();
      List<ImageSeen> images = new ArrayList<>();
      for (JsonNode content : body.path("contents")) {
        boolean user = !content.path("role").asText("user").equals("model");
        for (JsonNode p : content.path("parts")) {
          if (p.has("text") && user) userTexts.add(p.get("text").asText());
          if (p.has("inlineData")) images.add(new ImageSeen(p.at("/inlineData/mimeType").asText(), p.at("/inlineData/data").asText()));
          if (p.has("functionCall")) calls.add(new Call(text(p.at("/functionCall/id")), p.at("/functionCall/name").asText(), p.at("/functionCall/args")));
          if (p.has("functionResponse")) {
            JsonNode response = p.at("/functionResponse/response");
            results.add(new ResultSeen(text(p.at("/functionResponse/id")), p.at("/functionResponse/name").asText(),
                response.has("output") ? response.get("output").asText() : Json.text(response)));
          }
        }
      }
      List<ToolSeen> tools = new ArrayList<>();
      for (JsonNode t : body.path("tools")) {
        for (JsonNode d : t.path("functionDeclarations")) {
          tools.add(new ToolSeen(d.path("name").asText(), text(d.path("description")), d.has("parametersJsonSchema") ? d.get("parametersJsonSchema") : d.path("parameters")));
        }
      }
      return new WireRequest(received.model(), system.isEmpty() ? null : system.toString(), userTexts, tools, calls, results, images);
    }

    @Override public void close() { MockUpstreamBase.await(mock.close()); }
  }

  // ---- OpenAI Responses API (type openai-responses)

  static final class OpenAiResponses extends Upstream {
    final MockResponsesServer mock;

    OpenAiResponses(Vertx vertx) {
      super("responses", "gpt-5-codex");
      mock = new MockResponsesServer(vertx);
    }

    @Override
    ProviderConfig config() {
      return ProviderConfig.simple(name, "openai-responses", mock.baseUrl() + "/v1", List.of(MockResponsesServer.KEY), List.of());
    }

    private ChatResponse answer(Part part) {
      ChatResponse r = new ChatResponse();
      r.id = "resp_mock_upstream";
      r.content.add(part);
      r.usage = usage();
      return r;
    }

    @Override void scriptText(String text) { mock.answer(answer(new Part.Text(text))); }

    @Override void scriptToolCall() { mock.answer(answer(new Part.ToolCall(callId(), Fixtures.TOOL_NAME, Fixtures.TOOL_ARGUMENTS))); }

    /** Created, in progress, the message added, its part and both deltas, but no done events; then the connection drops. */
    @Override
    void scriptBrokenStream() {
      mock.cut("text/event-stream", MockResponsesServer.firstEvents(answer(new Part.Text("Sunny and 18")),
          Json.object().put("model", upstreamModel), 6));
    }

    @Override void scriptEmptyStream() { mock.raw(200, "text/event-stream"); }

    @Override String callId() { return "call_responses1"; }

    @Override Usage usage() { return new Usage(30, 9, 6, 0, 0); }

    @Override int requestCount() { return mock.received.size(); }

    @Override
    WireRequest request(int fromEnd) {
      JsonNode body = mock.received.get(mock.received.size() - 1 - fromEnd).json();
      String system = text(body.get("instructions"));
      List<String> userTexts = new ArrayList<>();
      List<Call> calls = new ArrayList<>();
      List<ResultSeen> results = new ArrayList<>();
      List<ImageSeen> images = new ArrayList<>();
      JsonNode input = body.path("input");
      if (input.isTextual()) userTexts.add(input.asText());
      for (JsonNode item : input) {
        switch (item.path("type").asText("message")) {
          case "message" -> {
            JsonNode content = item.path("content");
            String role = item.path("role").asText();
            if (role.equals("system") || role.equals("developer")) {
              system = content.isTextual() ? content.asText() : content.path(0).path("text").asText();
            } else if (role.equals("user")) {
              if (content.isTextual()) userTexts.add(content.asText());
              for (JsonNode p : content) {
                if (p.path("type").asText().equals("input_text")) userTexts.add(p.path("text").asText());
                if (p.path("type").asText().equals("input_image")) images.add(dataUrl(p.path("image_url").asText()));
              }
            }
          }
          case "function_call" -> calls.add(new Call(item.path("call_id").asText(), item.path("name").asText(), json(item.path("arguments").asText())));
          case "function_call_output" -> results.add(new ResultSeen(item.path("call_id").asText(), null, item.path("output").asText()));
          default -> { }
        }
      }
      List<ToolSeen> tools = new ArrayList<>();
      for (JsonNode t : body.path("tools")) tools.add(new ToolSeen(t.path("name").asText(), text(t.get("description")), t.path("parameters")));
      return new WireRequest(body.path("model").asText(), system, userTexts, tools, calls, results, images);
    }

    @Override public void close() { mock.close(); }
  }
}
