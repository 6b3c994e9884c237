package io.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict stand-in for generativelanguage.googleapis.com on loopback. Like the real API it
 * wants {@code x-goog-api-key} (or {@code ?key=}), a known model in the path and a body with
 * non-empty {@code contents}; it rejects unknown field names and a turn that does not answer every
 * function call of the turn before; it answers errors in Google's shape. Replies are scripted in
 * order ({@link #reply}); with none scripted it answers a short text. Every request is recorded.
 */
public final class MockGeminiServer {

  /** One request as received. {@code body} is null when it was not JSON. */
  public record Received(HttpMethod method, String path, String query, MultiMap headers, JsonNode body) {
    public String model() {
      Matcher m = CALL.matcher(path);
      return m.matches() ? m.group(1) : null;
    }
  }

  /** A scripted answer. */
  public sealed interface Reply {
    /** A whole GenerateContentResponse; a streaming call gets it as a single chunk. */
    record Complete(String json) implements Reply {}

    /** Stream chunks (GenerateContentResponse JSON each), SSE or JSON array as the call asked. */
    record Stream(List<String> chunks) implements Reply {}

    /** Exact bytes, for broken streams and odd bodies. */
    record Raw(int status, String contentType, String body) implements Reply {}

    /** A 200 that sends {@code body}, then drops the connection a moment later: a stream broken mid-way. */
    record Cut(String contentType, String body) implements Reply {}

    static Reply text(String text) {
      return new Complete("""
          {"candidates":[{"content":{"parts":[{"text":%s}],"role":"model"},"finishReason":"STOP","index":0}],
           "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":8},
           "modelVersion":"gemini-2.5-flash","responseId":"mock-response-1"}""".formatted(quote(text)));
    }

    static Reply json(String generateContentResponse) { return new Complete(generateContentResponse); }

    static Reply stream(String... chunks) { return new Stream(List.of(chunks)); }

    static Raw error(int code, String status, String message) {
      return new Raw(code, "application/json", errorBody(code, status, message));
    }

    static Raw raw(int status, String contentType, String body) { return new Raw(status, contentType, body); }

    /** Google's answer to a key it doesn't know: 400 with an ErrorInfo whose reason is API_KEY_INVALID. */
    static Raw badKey() {
      ObjectNode body = MAPPER.createObjectNode();
      String message = "API key not valid. Please pass a valid API key.";
      ObjectNode error = body.putObject("error").put("code", 400).put("message", message).put("status", "INVALID_ARGUMENT");
      error.putArray("details").addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
          .put("reason", "API_KEY_INVALID").put("domain", "googleapis.com")
          .putObject("metadata").put("service", "generativelanguage.googleapis.com");
      error.withArray("details").addObject().put("@type", "type.googleapis.com/google.rpc.LocalizedMessage")
          .put("locale", "en-US").put("message", message);
      return new Raw(400, "application/json", body.toString());
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern CALL = Pattern.compile("^/v1beta/models/([^/:]+):(generateContent|streamGenerateContent|countTokens)$");
  private static final Set<String> ROLES = Set.of("user", "model");
  private static final Pattern SNAKE = Pattern.compile("_([a-z])");
  /** Google rejects unknown field names ("Invalid JSON payload received. Unknown name ..."). */
  private static final Set<String> REQUEST_FIELDS = Set.of("model", "contents", "systemInstruction", "tools", "toolConfig",
      "generationConfig", "safetySettings", "cachedContent");
  private static final Set<String> PART_FIELDS = Set.of("text", "inlineData", "fileData", "functionCall", "functionResponse",
      "thought", "thoughtSignature", "executableCode", "codeExecutionResult", "videoMetadata", "partMetadata", "mediaResolution");
  private static final Set<String> DECLARATION_FIELDS = Set.of("name", "description", "parameters", "parametersJsonSchema",
      "response", "responseJsonSchema", "behavior");
  private static final Set<String> GENERATION_FIELDS = Set.of("temperature", "topP", "topK", "maxOutputTokens", "stopSequences",
      "candidateCount", "seed", "presencePenalty", "frequencyPenalty", "responseMimeType", "responseSchema", "responseJsonSchema",
      "thinkingConfig", "responseModalities", "responseLogprobs", "logprobs", "mediaResolution", "speechConfig");

  private final String apiKey;
  private final Set<String> models;
  private final Deque<Reply> replies = new ArrayDeque<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;

  private MockGeminiServer(String apiKey, Set<String> models) {
    this.apiKey = apiKey;
    this.models = models;
  }

  /** Starts on an ephemeral loopback port, accepting {@code apiKey} and serving {@code models}. */
  public static Future<MockGeminiServer> start(Vertx vertx, String apiKey, String... models) {
    MockGeminiServer mock = new MockGeminiServer(apiKey, Set.of(models));
    return vertx.createHttpServer()
        .requestHandler(mock::handle)
        .listen(0, "127.0.0.1")
        .map(server -> {
          mock.server = server;
          return mock;
        });
  }

  /** What to use as the provider's base_url (the host, as the Gemini SDKs name it). */
  public String baseUrl() { return "http://127.0.0.1:" + server.actualPort(); }

  /** Queues the answer to the next generate/stream call. */
  public synchronized MockGeminiServer reply(Reply reply) {
    replies.add(reply);
    return this;
  }

  public List<Received> requests() { return List.copyOf(received); }

  public Future<Void> close() { return server.close(); }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      JsonNode json = parse(body);
      received.add(new Received(req.method(), req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), json));
      respond(req, body, json);
    });
  }

  private void respond(HttpServerRequest req, Buffer body, JsonNode json) {
    String key = req.getHeader("x-goog-api-key") != null ? req.getHeader("x-goog-api-key") : req.getParam("key");
    if (key == null) {
      send(req, Reply.error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."));
      return;
    }
    if (!key.equals(apiKey)) {
      send(req, Reply.badKey());
      return;
    }
    if (req.method() == HttpMethod.GET && req.path().equals("/v1beta/models")) {
      ObjectNode list = MAPPER.createObjectNode();
      models.stream().sorted().forEach(m -> list.withArray("models").addObject().put("name", "models/" + m)
          .put("displayName", m).putArray("supportedGenerationMethods").add("generateContent").add("countTokens"));
      send(req, Reply.raw(200, "application/json", list.toString()));
      return;
    }
    Matcher call = CALL.matcher(req.path());
    if (req.method() != HttpMethod.POST || !call.matches()) {
      send(req, Reply.error(404, "NOT_FOUND", "Unknown path " + req.method() + " " + req.path()));
      return;
    }
    if (!models.contains(call.group(1))) {
      send(req, Reply.error(404, "NOT_FOUND", "models/" + call.group(1) + " is not found for API version v1beta, or is not supported for generateContent."));
      return;
    }
    String problem = invalidRequest(req, json);
    if (problem != null) {
      send(req, Reply.error(400, "INVALID_ARGUMENT", problem));
      return;
    }
    if (call.group(2).equals("countTokens")) {
      send(req, Reply.raw(200, "application/json", "{\"totalTokens\":" + body.length() / 4 + "}"));
      return;
    }
    boolean stream = call.group(2).equals("streamGenerateContent");
    Reply reply = nextReply();
    switch (reply) {
      case Reply.Raw raw -> send(req, raw);
      case Reply.Cut cut -> {
        req.response().setStatusCode(200).putHeader("content-type", cut.contentType()).setChunked(true).write(cut.body());
        Vertx.currentContext().owner().setTimer(20, id -> req.response().reset());
      }
      case Reply.Complete complete when !stream -> send(req, Reply.raw(200, "application/json", complete.json()));
      case Reply.Complete complete -> stream(req, List.of(complete.json()));
      case Reply.Stream chunks when stream -> stream(req, chunks.chunks());
      case Reply.Stream ignored -> send(req, Reply.error(500, "INTERNAL", "MockGeminiServer: a stream reply was scripted for a non-streaming call"));
    }
  }

  private synchronized Reply nextReply() {
    Reply next = replies.poll();
    return next != null ? next : Reply.text("Hello from MockGeminiServer");
  }

  /** The checks Google makes before generating; null when the body passes. */
  private static String invalidRequest(HttpServerRequest req, JsonNode json) {
    String type = req.getHeader("content-type");
    if (type == null || !type.startsWith("application/json")) return "Content-Type must be application/json";
    if (json == null || !json.isObject()) return "Invalid JSON payload received.";
    JsonNode request = json.has("generateContentRequest") ? json.get("generateContentRequest") : json;
    String unknown = unknownField(request, REQUEST_FIELDS, "");
    if (unknown == null) unknown = unknownField(request.path("generationConfig"), GENERATION_FIELDS, "generation_config.");
    for (JsonNode tool : request.path("tools")) {
      for (JsonNode decl : tool.path("functionDeclarations")) {
        if (unknown == null) unknown = unknownField(decl, DECLARATION_FIELDS, "tools.function_declarations.");
        if (decl.has("parameters") && decl.has("parametersJsonSchema")) {
          return "* GenerateContentRequest.tools[0].function_declarations[0]: parameters and parameters_json_schema are mutually exclusive";
        }
      }
    }
    JsonNode contents = request.get("contents");
    if (contents == null || !contents.isArray() || contents.isEmpty()) return "* GenerateContentRequest.contents: contents is not specified";
    int pendingCalls = 0;
    for (JsonNode content : contents) {
      JsonNode role = content.get("role");
      if (role != null && !ROLES.contains(role.asText())) return "Please use a valid role: user, model.";
      JsonNode parts = content.get("parts");
      if (parts == null || !parts.isArray() || parts.isEmpty()) return "* GenerateContentRequest.contents.parts: contents.parts must not be empty.";
      int calls = 0;
      int responses = 0;
      for (JsonNode part : parts) {
        if (unknown == null) unknown = unknownField(part, PART_FIELDS, "contents.parts.");
        if (part.has("functionCall")) calls++;
        if (part.has("functionResponse")) responses++;
      }
      // A turn answering function calls must answer every call of the turn before it.
      if (pendingCalls > 0 && responses != pendingCalls) {
        return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.";
      }
      pendingCalls = calls;
    }
    return unknown == null ? null : "Invalid JSON payload received. Unknown name \"" + unknown + "\": Cannot find field.";
  }

  private static String unknownField(JsonNode object, Set<String> known, String prefix) {
    if (!object.isObject()) return null;
    for (var names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      // Google also takes the proto (snake_case) spelling of every field.
      String camel = SNAKE.matcher(name).replaceAll(m -> m.group(1).toUpperCase());
      if (!known.contains(camel)) return prefix + name;
    }
    return null;
  }

  private static void stream(HttpServerRequest req, List<String> chunks) {
    boolean sse = "sse".equals(req.getParam("alt"));
    var resp = req.response().setStatusCode(200).setChunked(true)
        .putHeader("content-type", sse ? "text/event-stream" : "application/json; charset=UTF-8");
    for (int i = 0; i < chunks.size(); i++) {
      String chunk = compact(chunks.get(i));
      resp.write(sse ? "data: " + chunk + "\r\n\r\n" : (i == 0 ? "[" : ",\r\n") + chunk);
    }
    resp.end(sse ? "" : chunks.isEmpty() ? "[]" : "]");
  }

  private static void send(HttpServerRequest req, Reply.Raw raw) {
    req.response().setStatusCode(raw.status()).putHeader("content-type", raw.contentType()).end(raw.body());
  }

  private static String errorBody(int code, String status, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error").put("code", code).put("message", message).put("status", status);
    return body.toString();
  }

  private static String compact(String json) {
    try {
      return MAPPER.readTree(json).toString();
    } catch (Exception e) {
      throw new IllegalArgumentException("MockGeminiServer: scripted chunk is not JSON: " + json, e);
    }
  }

  private static JsonNode parse(Buffer body) {
    try {
      return body.length() == 0 ? null : MAPPER.readTree(body.getBytes());
    } catch (Exception e) {
      return null;
    }
  }

  private static String quote(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
