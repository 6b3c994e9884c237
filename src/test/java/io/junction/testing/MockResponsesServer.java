package io.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) on loopback, as strict as the real one about
 * what it is sent: unknown parameters, missing required fields, a {@code function_call_output}
 * whose {@code call_id} matches no earlier call, and {@code max_output_tokens} below 16 are 400s in
 * OpenAI's error shape; a key other than {@link #KEY} is a 401. Scripted answers go out as a
 * Response object or as the typed event stream, written here independently of the gateway's encoder.
 */
public final class MockResponsesServer extends MockUpstreamBase {
  public static final String KEY = "sk-mock-responses";
  private static final Set<String> PARAMS = Set.of("model", "input", "instructions", "tools", "tool_choice",
      "parallel_tool_calls", "max_output_tokens", "max_tool_calls", "temperature", "top_p", "top_logprobs", "text", "reasoning",
      "stream", "stream_options", "store", "include", "user", "safety_identifier", "metadata", "previous_response_id",
      "prompt_cache_key", "prompt_cache_retention", "truncation", "service_tier", "background", "prompt", "conversation",
      "client_metadata");
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

  public MockResponsesServer(Vertx vertx) {
    super(vertx);
    listen();
  }

  @Override
  protected void handle(HttpServerRequest req, Buffer body) {
    HttpServerResponse resp = req.response();
    if (!req.path().equals("/v1/responses") || req.method() != io.vertx.core.http.HttpMethod.POST) {
      error(resp, 404, "invalid_request_error", "Invalid URL (" + req.method() + " " + req.path() + ")");
      return;
    }
    if (!("Bearer " + KEY).equals(req.getHeader("authorization"))) {
      error(resp, 401, "invalid_request_error", "Incorrect API key provided.");
      return;
    }
    JsonNode json;
    try {
      json = Json.parse(body);
    } catch (IOException e) {
      error(resp, 400, "invalid_request_error", "We could not parse the JSON body of your request.");
      return;
    }
    String problem = validate(json);
    if (problem != null) {
      error(resp, 400, "invalid_request_error", problem);
      return;
    }
    boolean stream = json.path("stream").asBoolean(false);
    Reply reply = nextReply();
    switch (reply) {
      case Reply.Answer a -> {
        ObjectNode response = response(a.response(), json, "completed");
        if (!stream) {
          resp.setStatusCode(200).putHeader("content-type", "application/json").end(Json.buffer(response));
        } else {
          send(resp, 200, "text/event-stream", List.of(Buffer.buffer(events(a.response(), json))));
        }
      }
      case Reply.Error e -> error(resp, e.status(), e.status() == 429 ? "rate_limit_error" : "server_error", e.message());
      case Reply.Raw r -> send(resp, r.status(), r.contentType(), r.chunks());
      case Reply.Cut c -> cut(resp, c);
    }
  }

  private static void error(HttpServerResponse resp, int status, String type, String message) {
    ObjectNode err = Json.object();
    err.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
    resp.setStatusCode(status).putHeader("content-type", "application/json").end(Json.buffer(err));
  }

  /** The first thing wrong with a request, in OpenAI's words, or null. */
  static String validate(JsonNode b) {
    if (!b.isObject()) return "The request body must be a JSON object.";
    for (var it = b.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!PARAMS.contains(f)) return "Unknown parameter: '" + f + "'.";
    }
    if (!b.path("model").isTextual()) return "Missing required parameter: 'model'.";
    JsonNode input = b.get("input");
    if (input == null || !(input.isTextual() || input.isArray())) return "Missing required parameter: 'input'.";
    if (b.has("max_output_tokens") && b.get("max_output_tokens").asInt() < 16) {
      return "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got " + b.get("max_output_tokens") + " instead.";
    }
    for (String f : List.of("stream", "store", "parallel_tool_calls")) {
      if (b.has(f) && !b.get(f).isBoolean()) return "Invalid type for '" + f + "': expected a boolean.";
    }
    Set<String> calls = new HashSet<>();
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String at = "input[" + i + "]";
      String type = item.path("type").asText(item.has("role") ? "message" : "");
      switch (type) {
        case "message" -> {
          if (!ROLES.contains(item.path("role").asText())) return "Invalid value for '" + at + ".role'.";
          JsonNode content = item.get("content");
          if (content == null || !(content.isTextual() || content.isArray())) return "Missing required parameter: '" + at + ".content'.";
          for (JsonNode p : content) {
            String pt = p.path("type").asText();
            if (!Set.of("input_text", "output_text", "input_image", "input_file", "refusal").contains(pt)) {
              return "Invalid value: '" + pt + "'. Supported values are: 'input_text', 'input_image', 'output_text', 'refusal', 'input_file'.";
            }
            if (pt.endsWith("_text") && !p.path("text").isTextual()) return "Missing required parameter: '" + at + ".content.text'.";
            if (pt.equals("input_text") && item.path("role").asText().equals("assistant")) {
              return "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.";
            }
          }
        }
        case "function_call", "custom_tool_call" -> {
          if (!item.path("call_id").isTextual() || !item.path("name").isTextual()) return "Missing required parameter: '" + at + ".call_id'.";
          if (type.equals("function_call") && !item.path("arguments").isTextual()) return "Missing required parameter: '" + at + ".arguments'.";
          if (type.equals("custom_tool_call") && !item.path("input").isTextual()) return "Missing required parameter: '" + at + ".input'.";
          calls.add(item.get("call_id").asText());
        }
        case "function_call_output", "custom_tool_call_output" -> {
          if (!calls.contains(item.path("call_id").asText())) {
            return "No tool call found for function call output with call_id " + item.path("call_id").asText() + ".";
          }
          if (!(item.path("output").isTextual() || item.path("output").isArray())) return "Missing required parameter: '" + at + ".output'.";
        }
        case "reasoning" -> {
          if (!item.path("summary").isArray()) return "Missing required parameter: '" + at + ".summary'.";
        }
        default -> {
          return "Invalid value: '" + type + "' at '" + at + ".type'.";
        }
      }
    }
    for (JsonNode t : b.path("tools")) {
      String problem = validateTool(t);
      if (problem != null) return problem;
    }
    return null;
  }

  private static String validateTool(JsonNode t) {
    switch (t.path("type").asText()) {
      case "function" -> {
        if (!t.path("name").isTextual()) return "Missing required parameter: 'tools[].name'.";
        if (!t.has("parameters")) return "Missing required parameter: 'tools[].parameters'.";
      }
      case "custom" -> {
        if (!t.path("name").isTextual()) return "Missing required parameter: 'tools[].name'.";
      }
      case "namespace" -> {
        if (!t.path("name").isTextual() || !t.path("description").isTextual()) return "Missing required parameter: 'tools[].description'.";
        for (JsonNode inner : t.path("tools")) {
          String p = validateTool(inner);
          if (p != null) return p;
        }
      }
      case "web_search", "file_search" -> { }
      default -> {
        return "Invalid value: '" + t.path("type").asText() + "' at 'tools[].type'.";
      }
    }
    return null;
  }

  // ---- answers

  /** The output items of a scripted answer, in order. */
  static ArrayNode output(ChatResponse r) {
    ArrayNode out = Json.array();
    int n = 0;
    StringBuilder text = new StringBuilder();
    for (Part p : r.content) {
      if (p instanceof Part.Text t) {
        text.append(t.text());
        continue;
      }
      if (!text.isEmpty()) {
        out.add(message("msg_mock" + n++, text.toString()));
        text.setLength(0);
      }
      if (p instanceof Part.Thinking th) {
        ObjectNode o = out.addObject().put("id", "rs_mock" + n++).put("type", "reasoning");
        o.putArray("summary").addObject().put("type", "summary_text").put("text", th.text());
        if (th.signature() != null) o.put("encrypted_content", th.signature());
      } else if (p instanceof Part.ToolCall c) {
        out.addObject().put("id", "fc_mock" + n++).put("type", "function_call").put("status", "completed")
            .put("arguments", c.arguments()).put("call_id", c.id()).put("name", c.name());
      }
    }
    if (!text.isEmpty()) out.add(message("msg_mock" + n, text.toString()));
    return out;
  }

  private static ObjectNode message(String id, String text) {
    ObjectNode m = Json.object().put("id", id).put("type", "message").put("status", "completed").put("role", "assistant");
    ObjectNode t = m.putArray("content").addObject().put("type", "output_text").put("text", text);
    t.putArray("annotations");
    return m;
  }

  static ObjectNode response(ChatResponse r, JsonNode req, String status) {
    ObjectNode o = Json.object().put("id", r.id == null ? "resp_mock" : r.id).put("object", "response")
        .put("created_at", 1_700_000_000L).put("status", status);
    o.putNull("error");
    o.putNull("incomplete_details");
    o.put("model", req.path("model").asText());
    o.set("output", "completed".equals(status) ? output(r) : Json.array());
    o.put("parallel_tool_calls", true);
    o.set("tools", req.has("tools") ? req.get("tools") : Json.array());
    o.put("tool_choice", "auto");
    o.put("store", req.path("store").asBoolean(true));
    if ("completed".equals(status)) {
      Usage u = r.usage;
      ObjectNode usage = o.putObject("usage").put("input_tokens", u.inputTokens());
      usage.putObject("input_tokens_details").put("cached_tokens", u.cacheReadTokens());
      usage.put("output_tokens", u.outputTokens());
      usage.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
      usage.put("total_tokens", u.totalTokens());
    } else {
      o.putNull("usage");
    }
    return o;
  }

  /** The typed event stream of a scripted answer, as OpenAI sends it. */
  public static String events(ChatResponse r, JsonNode req) {
    List<ObjectNode> events = new ArrayList<>();
    events.add(Json.object().put("type", "response.created").set("response", response(r, req, "in_progress")));
    events.add(Json.object().put("type", "response.in_progress").set("response", response(r, req, "in_progress")));
    ArrayNode output = output(r);
    for (int i = 0; i < output.size(); i++) {
      ObjectNode item = (ObjectNode) output.get(i);
      String id = item.path("id").asText();
      ObjectNode added = item.deepCopy();
      switch (item.path("type").asText()) {
        case "message" -> {
          added.put("status", "in_progress").putArray("content");
          events.add(Json.object().put("type", "response.output_item.added").put("output_index", i).set("item", added));
          String text = item.path("content").path(0).path("text").asText();
          ObjectNode part = Json.object().put("type", "output_text").put("text", "");
          part.putArray("annotations");
          events.add(Json.object().put("type", "response.content_part.added").put("item_id", id).put("output_index", i)
              .put("content_index", 0).set("part", part));
          // Two deltas, split mid-text, as real streams do.
          int mid = text.length() / 2;
          for (String d : List.of(text.substring(0, mid), text.substring(mid))) {
            ObjectNode delta = Json.object().put("type", "response.output_text.delta").put("item_id", id).put("output_index", i)
                .put("content_index", 0).put("delta", d);
            delta.putArray("logprobs");
            events.add(delta);
          }
          ObjectNode done = Json.object().put("type", "response.output_text.done").put("item_id", id).put("output_index", i)
              .put("content_index", 0).put("text", text);
          done.putArray("logprobs");
          events.add(done);
          events.add(Json.object().put("type", "response.content_part.done").put("item_id", id).put("output_index", i)
              .put("content_index", 0).set("part", item.path("content").path(0)));
        }
        case "function_call" -> {
          added.put("status", "in_progress").put("arguments", "");
          events.add(Json.object().put("type", "response.output_item.added").put("output_index", i).set("item", added));
          events.add(Json.object().put("type", "response.function_call_arguments.delta").put("item_id", id).put("output_index", i)
              .put("delta", item.path("arguments").asText()));
          events.add(Json.object().put("type", "response.function_call_arguments.done").put("item_id", id).put("output_index", i)
              .put("arguments", item.path("arguments").asText()));
        }
        case "reasoning" -> {
          added.putArray("summary");
          added.remove("encrypted_content");
          events.add(Json.object().put("type", "response.output_item.added").put("output_index", i).set("item", added));
          String text = item.path("summary").path(0).path("text").asText();
          events.add(Json.object().put("type", "response.reasoning_summary_text.delta").put("item_id", id).put("output_index", i)
              .put("summary_index", 0).put("delta", text));
          events.add(Json.object().put("type", "response.reasoning_summary_text.done").put("item_id", id).put("output_index", i)
              .put("summary_index", 0).put("text", text));
        }
        default -> throw new IllegalStateException("no stream for " + item);
      }
      events.add(Json.object().put("type", "response.output_item.done").put("output_index", i).set("item", item));
    }
    events.add(Json.object().put("type", "response.completed").set("response", response(r, req, "completed")));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      ObjectNode e = events.get(i).put("sequence_number", i);
      sb.append("event: ").append(e.path("type").asText()).append("\ndata: ").append(Json.text(e)).append("\n\n");
    }
    return sb.toString();
  }

  /** The first {@code count} events of a scripted answer's stream, for a stream broken after them. */
  public static Buffer firstEvents(ChatResponse r, JsonNode req, int count) {
    String all = events(r, req);
    int at = 0;
    for (int i = 0; i < count; i++) at = all.indexOf("\n\n", at) + 2;
    return Buffer.buffer(all.substring(0, at));
  }
}
