package io.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.cohere.CohereCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A strict stand-in for Cohere's API v2: {@code POST /v2/chat} (JSON or SSE, as the body's
 * {@code stream} asks) and {@code GET /v1/models}. Rejects what Cohere rejects: a wrong bearer
 * token (401), a malformed body, unknown fields, bad roles or tool calls (400), always as
 * {@code {"message": "..."}}.
 */
public final class MockCohereServer extends MockUpstreamBase {

  private static final Set<String> REQUEST_FIELDS = Set.of("model", "messages", "stream", "tools", "strict_tools",
      "documents", "citation_options", "response_format", "safety_mode", "max_tokens", "stop_sequences", "temperature",
      "seed", "frequency_penalty", "presence_penalty", "k", "p", "return_prompt", "logprobs", "tool_choice", "thinking",
      "priority");

  private final String apiKey;
  /** Model names GET /v1/models lists. */
  public final List<String> models = new ArrayList<>(List.of("command-a-03-2025", "command-r-plus-08-2024"));

  private MockCohereServer(Vertx vertx, String apiKey) {
    super(vertx);
    this.apiKey = apiKey;
  }

  public static MockCohereServer start(Vertx vertx, String apiKey) {
    MockCohereServer s = new MockCohereServer(vertx, apiKey);
    s.listen();
    return s;
  }

  @Override
  protected void handle(HttpServerRequest req, Buffer body) {
    if (!("Bearer " + apiKey).equals(req.getHeader("authorization"))) {
      sendError(req, 401, "invalid api token");
    } else if (req.method() == HttpMethod.GET && req.path().equals("/v1/models")) {
      ObjectNode list = Json.object();
      models.forEach(m -> list.withArray("models").addObject().put("name", m).putArray("endpoints").add("chat"));
      send(req.response(), 200, "application/json", List.of(Json.buffer(list)));
    } else if (req.method() == HttpMethod.POST && req.path().equals("/v2/chat")) {
      chat(req, body);
    } else {
      sendError(req, 404, "not found: " + req.method() + " " + req.path());
    }
  }

  private void chat(HttpServerRequest req, Buffer body) {
    JsonNode json;
    try {
      json = Json.parse(body);
    } catch (IOException e) {
      sendError(req, 400, "invalid request: body is not valid JSON");
      return;
    }
    String problem = validate(json, req.getHeader("content-type"));
    if (problem != null) {
      sendError(req, 400, "invalid request: " + problem);
      return;
    }
    boolean stream = json.path("stream").asBoolean(false);
    switch (nextReply()) {
      case Reply.Answer a when stream -> send(req.response(), 200, "text/event-stream", List.of(Buffer.buffer(sse(a.response()))));
      case Reply.Answer a -> send(req.response(), 200, "application/json", List.of(Json.buffer(json(a.response()))));
      case Reply.Error e -> sendError(req, e.status(), e.message());
      case Reply.Raw r -> send(req.response(), r.status(), r.contentType(), r.chunks());
      case Reply.Cut c -> cut(req.response(), c);
    }
  }

  private static String validate(JsonNode body, String contentType) {
    if (contentType == null || !contentType.startsWith("application/json")) return "content-type must be application/json";
    if (!body.isObject()) return "body must be an object";
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!REQUEST_FIELDS.contains(f)) return "unknown field: " + f;
    }
    if (!body.path("model").isTextual()) return "model is required";
    if (body.has("stream") && !body.get("stream").isBoolean()) return "stream must be a boolean";
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) return "messages must be a non-empty array";
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      switch (role) {
        case "system", "user" -> { if (!m.has("content")) return role + " message needs content"; }
        case "tool" -> {
          if (!m.path("tool_call_id").isTextual()) return "tool message needs tool_call_id";
          if (!m.has("content")) return "tool message needs content";
        }
        case "assistant" -> {
          for (JsonNode c : m.path("tool_calls")) {
            if (!c.path("id").isTextual() || !"function".equals(c.path("type").asText())
                || !c.path("function").path("name").isTextual() || !c.path("function").path("arguments").isTextual()) {
              return "assistant tool_calls need id, type function, function.name and function.arguments (string)";
            }
          }
          if (!m.has("content") && !m.has("tool_calls")) return "assistant message needs content or tool_calls";
        }
        default -> { return "unknown role: " + role; }
      }
    }
    for (JsonNode t : body.path("tools")) {
      if (!"function".equals(t.path("type").asText()) || !t.path("function").path("name").isTextual()) {
        return "tools need type function and function.name";
      }
    }
    if (body.has("tool_choice") && !Set.of("REQUIRED", "NONE").contains(body.get("tool_choice").asText())) {
      return "tool_choice must be REQUIRED or NONE";
    }
    return null;
  }

  private void sendError(HttpServerRequest req, int status, String message) {
    send(req.response(), status, "application/json", List.of(Json.buffer(Json.object().put("message", message))));
  }

  /** A non-streamed Cohere v2 answer. */
  public static ObjectNode json(ChatResponse r) {
    ObjectNode root = Json.object().put("id", r.id == null ? "c0ffee00-0000-4000-8000-000000000001" : r.id);
    ObjectNode message = root.putObject("message").put("role", "assistant");
    boolean calls = !r.toolCalls().isEmpty();
    for (Part p : r.content) {
      switch (p) {
        case Part.Text t when calls -> message.put("tool_plan", message.path("tool_plan").asText("") + t.text());
        case Part.Text t -> message.withArray("content").addObject().put("type", "text").put("text", t.text());
        case Part.Thinking th -> message.withArray("content").addObject().put("type", "thinking").put("thinking", th.text());
        case Part.ToolCall c -> message.withArray("tool_calls").addObject().put("id", c.id()).put("type", "function")
            .putObject("function").put("name", c.name()).put("arguments", c.arguments());
        default -> { }
      }
    }
    root.put("finish_reason", CohereCodec.wireFinishReason(r.finishReason));
    root.set("usage", CohereCodec.usageNode(r.usage));
    return root;
  }

  /** The same answer as Cohere's SSE event sequence, text cut into small deltas. */
  public static String sse(ChatResponse r) {
    StringBuilder out = new StringBuilder();
    String id = r.id == null ? "c0ffee00-0000-4000-8000-000000000001" : r.id;
    ObjectNode start = Json.object().put("id", id).put("type", "message-start");
    start.putObject("delta").putObject("message").put("role", "assistant");
    event(out, start);
    boolean calls = !r.toolCalls().isEmpty();
    int contentIndex = 0;
    int toolIndex = 0;
    for (Part p : r.content) {
      switch (p) {
        case Part.Text t when calls -> {
          for (String piece : pieces(t.text())) event(out, delta("tool-plan-delta", null, Json.object().put("tool_plan", piece)));
        }
        case Part.Text t -> contentBlock(out, contentIndex++, "text", t.text());
        case Part.Thinking th -> contentBlock(out, contentIndex++, "thinking", th.text());
        case Part.ToolCall c -> {
          int i = toolIndex++;
          ObjectNode call = Json.object().put("id", c.id()).put("type", "function");
          call.putObject("function").put("name", c.name()).put("arguments", "");
          event(out, delta("tool-call-start", i, Json.object().set("tool_calls", call)));
          for (String piece : pieces(c.arguments())) {
            ObjectNode fragment = Json.object();
            fragment.putObject("function").put("arguments", piece);
            event(out, delta("tool-call-delta", i, Json.object().set("tool_calls", fragment)));
          }
          event(out, Json.object().put("type", "tool-call-end").put("index", i));
        }
        default -> { }
      }
    }
    ObjectNode end = Json.object().put("type", "message-end");
    end.putObject("delta").put("finish_reason", CohereCodec.wireFinishReason(r.finishReason)).set("usage", CohereCodec.usageNode(r.usage));
    event(out, end);
    return out.toString();
  }

  private static void contentBlock(StringBuilder out, int index, String type, String text) {
    event(out, delta("content-start", index, Json.object().set("content", Json.object().put("type", type).put(type, ""))));
    for (String piece : pieces(text)) event(out, delta("content-delta", index, Json.object().set("content", Json.object().put(type, piece))));
    event(out, Json.object().put("type", "content-end").put("index", index));
  }

  private static ObjectNode delta(String type, Integer index, ObjectNode message) {
    ObjectNode e = Json.object().put("type", type);
    if (index != null) e.put("index", index);
    e.putObject("delta").set("message", message);
    return e;
  }

  private static void event(StringBuilder out, ObjectNode e) {
    out.append("event: ").append(e.get("type").asText()).append('\n').append("data: ").append(Json.text(e)).append("\n\n");
  }

  /** Cuts text into 4-character deltas, as a model streams. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 4) out.add(text.substring(i, Math.min(text.length(), i + 4)));
    return out;
  }
}
