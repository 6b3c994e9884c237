package io.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A strict stand-in for api.anthropic.com over real HTTP (loopback, port 0). It checks what the
 * real API checks (x-api-key, anthropic-version, required fields, field types, unknown fields,
 * tool_result pairing, thinking budget rules) and answers scripted {@link Reply}s as a Message
 * object or, when the request says {@code "stream": true}, as the SSE event sequence the real
 * API sends. Every request is recorded, rejected ones included.
 *
 * <pre>{@code
 * MockAnthropicServer mock = new MockAnthropicServer(vertx);   // expects x-api-key: MockAnthropicServer.KEY
 * mock.enqueue(MockAnthropicServer.Reply.text("Hi!").usage(12, 3));
 * ... call mock.baseUrl() + "/v1/messages" ...
 * assertThat(mock.lastRequest().body().get("max_tokens").asInt()).isEqualTo(1024);
 * }</pre>
 */
public final class MockAnthropicServer implements AutoCloseable {
  public static final String KEY = "sk-ant-mock-upstream";
  public static final String VERSION = "2023-06-01";
  /**
   * The API versions accepted: the one Junction's adapter sends, the older 2023-01-01, and the one
   * anthropic-java 3.x puts on every request (it reaches the mock when Junction relays a client's
   * own anthropic-version, CONTRACT §8).
   */
  static final java.util.Set<String> KNOWN_VERSIONS = java.util.Set.of("2023-01-01", VERSION, "2026-10-21");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> MESSAGE_FIELDS = Set.of("model", "messages", "max_tokens", "system", "metadata",
      "stop_sequences", "stream", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier",
      "container", "mcp_servers", "context_management");
  private static final Set<String> COUNT_FIELDS = Set.of("model", "messages", "system", "tools", "tool_choice", "thinking",
      "mcp_servers", "context_management");

  /** One request as received. {@code body} is null when it was not JSON. */
  public record Recorded(HttpMethod method, String path, MultiMap headers, JsonNode body) {}

  private final String apiKey;
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Reply> replies = new ArrayDeque<>();
  private Reply defaultReply = Reply.text("Hello!");
  private List<String> models = List.of("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001");
  private long countTokensAnswer = 42;
  private final HttpServer server;

  public MockAnthropicServer(Vertx vertx) { this(vertx, KEY); }

  public MockAnthropicServer(Vertx vertx, String apiKey) {
    this.apiKey = apiKey;
    this.server = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  /** The host URL, as Anthropic SDKs and Junction's {@code base_url} take it (no /v1). */
  public String baseUrl() { return "http://127.0.0.1:" + server.actualPort(); }

  @Override
  public void close() { await(server.close()); }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("MockAnthropicServer: " + e.getMessage(), e);
    }
  }

  /** Replies are used in order; when none is queued, the default reply answers. */
  public synchronized MockAnthropicServer enqueue(Reply reply) {
    replies.add(reply);
    return this;
  }

  public synchronized MockAnthropicServer defaultReply(Reply reply) {
    defaultReply = reply;
    return this;
  }

  public MockAnthropicServer models(String... ids) {
    models = List.of(ids);
    return this;
  }

  public MockAnthropicServer countTokensAnswer(long inputTokens) {
    countTokensAnswer = inputTokens;
    return this;
  }

  public List<Recorded> requests() { return List.copyOf(requests); }

  public Recorded lastRequest() {
    synchronized (requests) {
      if (requests.isEmpty()) throw new IllegalStateException("MockAnthropicServer received no request");
      return requests.get(requests.size() - 1);
    }
  }

  private synchronized Reply nextReply() {
    Reply r = replies.poll();
    return r != null ? r : defaultReply;
  }

  // ---- request handling

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      JsonNode json = parse(body);
      requests.add(new Recorded(req.method(), req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), json));
      HttpServerResponse resp = req.response();
      try {
        route(req, json, body, resp);
      } catch (Rejection r) {
        error(resp, r.status, r.type, r.getMessage());
      } catch (RuntimeException e) {
        // A bug in the mock must fail the test loudly, not hang it.
        error(resp, 500, "api_error", "MockAnthropicServer failed: " + e);
      }
    });
  }

  private void route(HttpServerRequest req, JsonNode json, Buffer raw, HttpServerResponse resp) {
    String path = req.path();
    boolean known = path.equals("/v1/messages") || path.equals("/v1/messages/count_tokens") || path.equals("/v1/models");
    if (!known) throw new Rejection(404, "not_found_error", "Not Found");
    if (!apiKey.equals(req.getHeader("x-api-key"))) throw new Rejection(401, "authentication_error", "invalid x-api-key");
    String version = req.getHeader("anthropic-version");
    if (version == null) throw invalid("anthropic-version: header is required");
    if (!KNOWN_VERSIONS.contains(version)) throw invalid("anthropic-version: unsupported version '" + version + "'");

    if (path.equals("/v1/models")) {
      if (req.method() != HttpMethod.GET) throw new Rejection(405, "invalid_request_error", "Method Not Allowed");
      ArrayNode data = NODES.arrayNode();
      for (String id : models) data.addObject().put("type", "model").put("id", id).put("display_name", id)
          .put("created_at", "2025-01-01T00:00:00Z");
      ObjectNode page = NODES.objectNode().put("has_more", false);
      page.set("data", data);
      page.put("first_id", models.isEmpty() ? null : models.get(0)).put("last_id", models.isEmpty() ? null : models.get(models.size() - 1));
      json(resp, 200, page);
      return;
    }
    if (req.method() != HttpMethod.POST) throw new Rejection(405, "invalid_request_error", "Method Not Allowed");
    String contentType = req.getHeader("content-type");
    if (contentType == null || !contentType.startsWith("application/json")) throw invalid("content-type must be application/json");
    if (json == null || !json.isObject()) throw invalid(raw.length() == 0 ? "request body is empty" : "request body is not valid JSON");

    boolean countTokens = path.endsWith("/count_tokens");
    validate(json, countTokens);
    if (countTokens) {
      json(resp, 200, NODES.objectNode().put("input_tokens", countTokensAnswer));
      return;
    }
    Reply reply = nextReply();
    if (reply.errorStatus > 0) {
      error(resp, reply.errorStatus, reply.errorType, reply.errorMessage);
    } else if (json.path("stream").asBoolean(false)) {
      stream(resp, reply, json.get("model").asText());
    } else {
      json(resp, 200, reply.message(json.get("model").asText()));
    }
  }

  /** The request checks of the real API that a gateway's encoder could get wrong. */
  private static void validate(JsonNode body, boolean countTokens) {
    Set<String> allowed = countTokens ? COUNT_FIELDS : MESSAGE_FIELDS;
    body.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) throw invalid(f + ": Extra inputs are not permitted");
    });
    if (!body.path("model").isTextual() || body.get("model").asText().isEmpty()) throw invalid("model: Field required");
    int maxTokens = 0;
    if (!countTokens) {
      if (!body.path("max_tokens").isIntegralNumber()) throw invalid("max_tokens: Field required");
      maxTokens = body.get("max_tokens").asInt();
      if (maxTokens < 1) throw invalid("max_tokens: Input should be greater than or equal to 1");
    }
    JsonNode system = body.get("system");
    if (system != null && !system.isTextual()) {
      if (!system.isArray()) throw invalid("system: Input should be a valid string or list");
      for (JsonNode b : system) textBlock(b, "system");
    }
    validateMessages(body.get("messages"));
    validateTools(body);
    JsonNode thinking = body.get("thinking");
    if (thinking != null && "enabled".equals(thinking.path("type").asText())) {
      int budget = thinking.path("budget_tokens").asInt(0);
      if (budget < 1024) throw invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      if (!countTokens && budget >= maxTokens) throw invalid("`max_tokens` must be greater than `thinking.budget_tokens`");
      if (body.has("temperature") && body.get("temperature").asDouble() != 1.0) {
        throw invalid("`temperature` may only be set to 1 when thinking is enabled");
      }
      if (body.has("top_k")) throw invalid("`top_k` cannot be set when thinking is enabled");
      String choice = body.path("tool_choice").path("type").asText("auto");
      if (choice.equals("any") || choice.equals("tool")) throw invalid("Thinking may not be enabled when tool_choice forces tool use.");
    }
  }

  private static void validateMessages(JsonNode messages) {
    if (messages == null || !messages.isArray()) throw invalid("messages: Field required");
    if (messages.isEmpty()) throw invalid("messages: at least one message is required");
    Set<String> previousToolUses = Set.of();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String where = "messages." + i;
      String role = m.path("role").asText();
      if (!role.equals("user") && !role.equals("assistant")) throw invalid(where + ".role: Input should be 'user' or 'assistant'");
      JsonNode content = m.get("content");
      Set<String> toolUses = new HashSet<>();
      if (content == null) throw invalid(where + ".content: Field required");
      if (content.isArray()) {
        if (content.isEmpty() && i < messages.size() - 1) throw invalid(where + ": all messages must have non-empty content");
        for (int j = 0; j < content.size(); j++) {
          JsonNode b = content.get(j);
          String bw = where + ".content." + j;
          switch (b.path("type").asText()) {
            case "text" -> textBlock(b, bw);
            case "image" -> image(b, bw);
            case "tool_use" -> {
              if (!role.equals("assistant")) throw invalid(bw + ": tool_use blocks are only allowed in assistant messages");
              if (!b.path("id").isTextual() || !b.get("id").asText().matches("[a-zA-Z0-9_-]+")) throw invalid(bw + ".id: String should match pattern '^[a-zA-Z0-9_-]+$'");
              if (!b.path("name").isTextual()) throw invalid(bw + ".name: Field required");
              if (!b.path("input").isObject()) throw invalid(bw + ".input: Input should be a valid dictionary");
              toolUses.add(b.get("id").asText());
            }
            case "tool_result" -> {
              if (!role.equals("user")) throw invalid(bw + ": tool_result blocks are only allowed in user messages");
              String id = b.path("tool_use_id").asText();
              if (!previousToolUses.contains(id)) {
                throw invalid(bw + ": unexpected `tool_use_id` found in `tool_result` blocks: " + id
                    + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
              }
              JsonNode c = b.get("content");
              if (c != null && !c.isTextual() && !c.isArray()) throw invalid(bw + ".content: Input should be a valid string or list");
            }
            case "thinking" -> {
              if (!b.path("thinking").isTextual() || !b.path("signature").isTextual()) throw invalid(bw + ".signature: Field required");
            }
            case "redacted_thinking" -> {
              if (!b.path("data").isTextual()) throw invalid(bw + ".data: Field required");
            }
            default -> throw invalid(bw + ".type: Input tag '" + b.path("type").asText() + "' found using 'type' does not match any of the expected tags");
          }
        }
      } else if (!content.isTextual()) {
        throw invalid(where + ".content: Input should be a valid string or list");
      }
      previousToolUses = toolUses;
    }
  }

  private static void validateTools(JsonNode body) {
    JsonNode tools = body.get("tools");
    if (tools != null) {
      if (!tools.isArray()) throw invalid("tools: Input should be a valid list");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode t = tools.get(i);
        if (!t.path("name").isTextual() || !t.get("name").asText().matches("[a-zA-Z0-9_-]{1,128}")) throw invalid("tools." + i + ".name: invalid");
        if (!"object".equals(t.path("input_schema").path("type").asText())) throw invalid("tools." + i + ".input_schema.type: Input should be 'object'");
      }
    }
    JsonNode choice = body.get("tool_choice");
    if (choice != null) {
      if (tools == null || tools.isEmpty()) throw invalid("tool_choice may only be specified while providing tools");
      String type = choice.path("type").asText();
      if (!Set.of("auto", "any", "tool", "none").contains(type)) throw invalid("tool_choice.type: invalid");
      if (type.equals("tool") && !choice.path("name").isTextual()) throw invalid("tool_choice.tool.name: Field required");
    }
  }

  private static void textBlock(JsonNode b, String where) {
    if (!"text".equals(b.path("type").asText())) throw invalid(where + ".type: Input should be 'text'");
    if (!b.path("text").isTextual() || b.get("text").asText().isEmpty()) throw invalid(where + ": text content blocks must be non-empty");
  }

  private static void image(JsonNode b, String where) {
    JsonNode s = b.path("source");
    switch (s.path("type").asText()) {
      case "base64" -> {
        if (!s.path("media_type").asText().matches("image/(jpeg|png|gif|webp)")) throw invalid(where + ".source.base64.media_type: invalid");
        if (!s.path("data").isTextual()) throw invalid(where + ".source.base64.data: Field required");
      }
      case "url" -> {
        if (!s.path("url").isTextual()) throw invalid(where + ".source.url.url: Field required");
      }
      default -> throw invalid(where + ".source: invalid source type");
    }
  }

  // ---- answers

  private static void stream(HttpServerResponse resp, Reply reply, String model) {
    resp.setStatusCode(200).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache").setChunked(true);
    if (reply.noEvents) {
      resp.end();
      return;
    }
    ObjectNode start = NODES.objectNode().put("type", "message_start");
    ObjectNode message = reply.envelope(model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    ((ObjectNode) message.get("usage")).put("output_tokens", 1);
    start.set("message", message);
    sse(resp, "message_start", start);
    sse(resp, "ping", NODES.objectNode().put("type", "ping"));
    for (int i = 0; i < reply.blocks.size(); i++) {
      if (reply.midStreamError != null && i == reply.blocks.size() - 1) {
        sse(resp, "error", errorBody(reply.midStreamError[0], reply.midStreamError[1]));
        resp.end();
        return;
      }
      streamBlock(resp, i, reply.blocks.get(i));
    }
    if (reply.cut) {
      // The connection drops a moment after the content blocks: a stream broken mid-way.
      Vertx.currentContext().owner().setTimer(20, id -> resp.reset());
      return;
    }
    if (reply.midStreamError != null && reply.blocks.isEmpty()) {
      sse(resp, "error", errorBody(reply.midStreamError[0], reply.midStreamError[1]));
      resp.end();
      return;
    }
    ObjectNode delta = NODES.objectNode().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", reply.stopReason()).put("stop_sequence", reply.stopSequence);
    delta.putObject("usage").put("output_tokens", reply.outputTokens);
    sse(resp, "message_delta", delta);
    if (!reply.truncated) sse(resp, "message_stop", NODES.objectNode().put("type", "message_stop"));
    resp.end();
  }

  private static void streamBlock(HttpServerResponse resp, int index, ObjectNode block) {
    String type = block.get("type").asText();
    ObjectNode startBlock = block.deepCopy();
    String deltaType;
    String deltaField;
    String full;
    switch (type) {
      case "text" -> {
        startBlock.put("text", "");
        deltaType = "text_delta";
        deltaField = "text";
        full = block.get("text").asText();
      }
      case "thinking" -> {
        startBlock.put("thinking", "").put("signature", "");
        deltaType = "thinking_delta";
        deltaField = "thinking";
        full = block.get("thinking").asText();
      }
      case "tool_use" -> {
        startBlock.putObject("input");
        deltaType = "input_json_delta";
        deltaField = "partial_json";
        full = block.get("input").toString();
      }
      default -> { // redacted_thinking arrives whole
        deltaType = null;
        deltaField = null;
        full = "";
      }
    }
    ObjectNode start = NODES.objectNode().put("type", "content_block_start").put("index", index);
    start.set("content_block", startBlock);
    sse(resp, "content_block_start", start);
    for (int at = 0; deltaType != null && at < full.length(); at += 4) {
      ObjectNode delta = NODES.objectNode().put("type", "content_block_delta").put("index", index);
      delta.putObject("delta").put("type", deltaType).put(deltaField, full.substring(at, Math.min(full.length(), at + 4)));
      sse(resp, "content_block_delta", delta);
    }
    if (type.equals("thinking")) {
      ObjectNode delta = NODES.objectNode().put("type", "content_block_delta").put("index", index);
      delta.putObject("delta").put("type", "signature_delta").put("signature", block.get("signature").asText());
      sse(resp, "content_block_delta", delta);
    }
    sse(resp, "content_block_stop", NODES.objectNode().put("type", "content_block_stop").put("index", index));
  }

  private static void sse(HttpServerResponse resp, String event, ObjectNode data) {
    resp.write("event: " + event + "\ndata: " + data + "\n\n");
  }

  private static void json(HttpServerResponse resp, int status, JsonNode body) {
    resp.setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
  }

  private static void error(HttpServerResponse resp, int status, String type, String message) {
    resp.setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("request-id", "req_mock").end(errorBody(type, message).toString());
  }

  private static ObjectNode errorBody(String type, String message) {
    ObjectNode body = NODES.objectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    body.put("request_id", "req_mock");
    return body;
  }

  private static JsonNode parse(Buffer body) {
    if (body.length() == 0) return null;
    try {
      return MAPPER.readTree(body.getBytes());
    } catch (Exception e) {
      return null;
    }
  }

  private static Rejection invalid(String message) { return new Rejection(400, "invalid_request_error", message); }

  private static final class Rejection extends RuntimeException {
    final int status;
    final String type;

    Rejection(int status, String type, String message) {
      super(message, null, false, false);
      this.status = status;
      this.type = type;
    }
  }

  /** A scripted answer: content blocks, stop reason, usage; or an HTTP error. */
  public static final class Reply {
    private final List<ObjectNode> blocks = new ArrayList<>();
    private String stopReason;
    private String stopSequence;
    private long inputTokens = 10;
    private long outputTokens = 5;
    private long cacheRead;
    private long cacheWrite;
    private String id = "msg_01MockXFDUDzJo7vJvJ6gYv3";
    private int errorStatus;
    private String errorType;
    private String errorMessage;
    private boolean truncated;
    private String[] midStreamError;
    private boolean noEvents;
    private boolean cut;

    public static Reply text(String text) { return new Reply().addText(text); }

    public static Reply empty() { return new Reply(); }

    public static Reply error(int status, String type, String message) {
      Reply r = new Reply();
      r.errorStatus = status;
      r.errorType = type;
      r.errorMessage = message;
      return r;
    }

    public Reply addText(String text) {
      blocks.add(NODES.objectNode().put("type", "text").put("text", text));
      return this;
    }

    public Reply thinking(String thinking, String signature) {
      blocks.add(NODES.objectNode().put("type", "thinking").put("thinking", thinking).put("signature", signature));
      return this;
    }

    public Reply redactedThinking(String data) {
      blocks.add(NODES.objectNode().put("type", "redacted_thinking").put("data", data));
      return this;
    }

    /** A tool_use block; {@code inputJson} is the input object as JSON text. Sets stop_reason tool_use. */
    public Reply toolUse(String id, String name, String inputJson) {
      ObjectNode b = NODES.objectNode().put("type", "tool_use").put("id", id).put("name", name);
      try {
        b.set("input", MAPPER.readTree(inputJson));
      } catch (Exception e) {
        throw new IllegalArgumentException("tool input must be JSON: " + inputJson, e);
      }
      blocks.add(b);
      if (stopReason == null) stopReason = "tool_use";
      return this;
    }

    public Reply stopReason(String reason) {
      stopReason = reason;
      return this;
    }

    public Reply stopSequence(String sequence) {
      stopReason = "stop_sequence";
      stopSequence = sequence;
      return this;
    }

    /** Anthropic's convention: {@code input} excludes cache tokens. */
    public Reply usage(long input, long output) {
      inputTokens = input;
      outputTokens = output;
      return this;
    }

    public Reply cache(long read, long write) {
      cacheRead = read;
      cacheWrite = write;
      return this;
    }

    public Reply id(String id) {
      this.id = id;
      return this;
    }

    /** Streams end after message_delta, without message_stop. */
    public Reply truncated() {
      truncated = true;
      return this;
    }

    /** Streams send message_start and the content blocks, then the connection drops (no message_delta, no message_stop). */
    public Reply cutAfterContent() {
      cut = true;
      return this;
    }

    /** Streams send the 200 and headers, then end without a single event. */
    public Reply noEvents() {
      noEvents = true;
      return this;
    }

    /** Streams send an error event in place of the last content block and stop there. */
    public Reply midStreamError(String type, String message) {
      midStreamError = new String[] {type, message};
      return this;
    }

    private String stopReason() { return stopReason != null ? stopReason : "end_turn"; }

    private ObjectNode envelope(String model) {
      ObjectNode m = NODES.objectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
      m.putObject("usage").put("input_tokens", inputTokens).put("cache_creation_input_tokens", cacheWrite)
          .put("cache_read_input_tokens", cacheRead).put("output_tokens", outputTokens);
      return m;
    }

    private ObjectNode message(String model) {
      ObjectNode m = envelope(model);
      ArrayNode content = m.putArray("content");
      blocks.forEach(content::add);
      m.put("stop_reason", stopReason()).put("stop_sequence", stopSequence);
      return m;
    }
  }
}
