package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ContentParts;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.ResponseFormat;
import io.junction.protocol.Role;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Responses API request JSON to and from the canonical {@link ChatRequest}. Decoding is strict
 * about the types of the fields it reads and lenient about item and content types it cannot
 * translate (hosted-tool calls, files by id): those are dropped, since the request may well be
 * relayed unchanged to a provider that serves the Responses API itself.
 */
final class ResponsesRequests {
  /** Fields a Response object echoes from its request. */
  private static final List<String> ECHOED = List.of("instructions", "tools", "tool_choice", "parallel_tool_calls",
      "temperature", "top_p", "max_output_tokens", "previous_response_id", "reasoning", "text", "metadata", "store",
      "truncation", "user", "prompt_cache_key", "safety_identifier", "service_tier", "background");
  /** The smallest max_output_tokens OpenAI accepts. */
  static final int MIN_OUTPUT_TOKENS = 16;

  private ResponsesRequests() {}

  // ---- decode (client -> canonical) ----

  static ChatRequest decode(JsonNode body) {
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "Request body must be a JSON object");
    ChatRequest r = new ChatRequest();
    r.model = Json.string(body, "model", "model");
    if (r.model == null || r.model.isBlank()) throw GatewayException.invalid("model", "'model' is required");
    ObjectNode echo = Json.object();
    for (String f : ECHOED) if (body.has(f)) echo.set(f, body.get(f));
    ResponsesContext ctx = new ResponsesContext(echo);
    r.inboundContext = ctx;

    JsonNode instructions = body.get("instructions");
    if (instructions != null && !instructions.isNull()) {
      if (instructions.isTextual()) {
        if (!instructions.asText().isEmpty()) r.system.add(new Part.Text(instructions.asText()));
      } else if (instructions.isArray()) {
        decodeItems(r, (ArrayNode) instructions, "instructions");
      } else {
        throw GatewayException.invalid("instructions", "'instructions' must be a string or an array of input items");
      }
    }
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) throw GatewayException.invalid("input", "'input' is required");
    if (input.isTextual()) r.messages.add(Message.of(Role.USER, new Part.Text(input.asText())));
    else if (input.isArray()) decodeItems(r, (ArrayNode) input, "input");
    else throw GatewayException.invalid("input", "'input' must be a string or an array of input items");

    ArrayNode tools = Json.arrayField(body, "tools", "tools");
    if (tools != null) {
      for (int i = 0; i < tools.size(); i++) decodeTool(r, tools.get(i), "tools[" + i + "]");
    }
    r.tools.forEach(ctx::register);
    r.toolChoice = decodeToolChoice(body.get("tool_choice"), ctx, r);
    r.parallelToolCalls = Json.bool(body, "parallel_tool_calls", "parallel_tool_calls");
    r.maxTokens = Json.integer(body, "max_output_tokens", "max_output_tokens");
    if (r.maxTokens != null && r.maxTokens <= 0) throw GatewayException.invalid("max_output_tokens", "'max_output_tokens' must be positive");
    r.temperature = Json.number(body, "temperature", "temperature");
    r.topP = Json.number(body, "top_p", "top_p");
    JsonNode text = Json.objectField(body, "text", "text");
    if (text != null) r.responseFormat = decodeFormat(Json.objectField(text, "format", "text.format"));
    JsonNode reasoning = Json.objectField(body, "reasoning", "reasoning");
    if (reasoning != null) {
      String effort = Json.string(reasoning, "effort", "reasoning.effort");
      String summary = Json.string(reasoning, "summary", "reasoning.summary");
      // Only an effort asks for reasoning; a summary setting alone leaves the model's default.
      if (effort != null && !"none".equals(effort)) r.reasoning = new Reasoning(effort, null, summary != null && !"none".equals(summary));
    }
    Boolean stream = Json.bool(body, "stream", "stream");
    r.stream = stream != null && stream;
    r.includeUsage = r.stream; // usage always rides in response.completed
    String user = Json.string(body, "safety_identifier", "safety_identifier");
    r.user = user != null ? user : Json.string(body, "user", "user");
    Json.objectField(body, "metadata", "metadata");
    Json.bool(body, "store", "store");
    Json.string(body, "previous_response_id", "previous_response_id");
    return r;
  }

  private static void decodeItems(ChatRequest r, ArrayNode items, String path) {
    Map<String, String> callNames = new HashMap<>();
    for (int i = 0; i < items.size(); i++) decodeItem(r, items.get(i), path + "[" + i + "]", callNames);
  }

  private static void decodeItem(ChatRequest r, JsonNode item, String path, Map<String, String> callNames) {
    if (!item.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    String type = Json.string(item, "type", path + ".type");
    if (type == null) type = item.has("role") ? "message" : null;
    if (type == null) throw GatewayException.invalid(path + ".type", "'" + path + ".type' is required");
    switch (type) {
      case "message" -> {
        String role = Json.string(item, "role", path + ".role");
        if (role == null) throw GatewayException.invalid(path + ".role", "'" + path + ".role' is required");
        List<Part> parts = decodeContent(item.get("content"), path + ".content");
        switch (role) {
          case "system", "developer" -> r.system.addAll(parts);
          case "user" -> appendTo(r, Role.USER, parts);
          case "assistant" -> appendTo(r, Role.ASSISTANT, parts);
          default -> throw GatewayException.invalid(path + ".role", "'" + path + ".role' must be one of user, assistant, system, developer");
        }
      }
      case "function_call", "custom_tool_call" -> {
        String callId = Json.string(item, "call_id", path + ".call_id");
        String name = Json.string(item, "name", path + ".name");
        if (callId == null || name == null) throw GatewayException.invalid(path, "'" + path + "' needs 'call_id' and 'name'");
        String ns = Json.string(item, "namespace", path + ".namespace");
        String canonical = ns == null ? name : ns + Tool.NAMESPACE_SEPARATOR + name;
        String args;
        if ("function_call".equals(type)) {
          args = Json.string(item, "arguments", path + ".arguments");
          if (args == null || args.isEmpty()) args = "{}";
        } else {
          String input = Json.string(item, "input", path + ".input");
          args = Json.text(Json.object().put("input", input == null ? "" : input));
        }
        callNames.put(callId, canonical);
        appendTo(r, Role.ASSISTANT, List.of(new Part.ToolCall(callId, canonical, args)));
      }
      case "function_call_output", "custom_tool_call_output" -> {
        String callId = Json.string(item, "call_id", path + ".call_id");
        if (callId == null) throw GatewayException.invalid(path + ".call_id", "'" + path + ".call_id' is required");
        JsonNode output = item.get("output");
        List<Part> content = output == null || output.isNull() ? List.of()
            : output.isTextual() ? List.of(new Part.Text(output.asText())) : decodeContent(output, path + ".output");
        String name = callNames.getOrDefault(callId, callId);
        Part.ToolResult tr = new Part.ToolResult(callId, name, content, false);
        Message last = r.messages.isEmpty() ? null : r.messages.get(r.messages.size() - 1);
        if (last != null && last.role == Role.TOOL) last.parts.add(tr);
        else r.messages.add(Message.of(Role.TOOL, tr));
      }
      case "reasoning" -> {
        StringBuilder text = new StringBuilder();
        for (JsonNode s : item.path("summary")) appendText(text, s.path("text").asText(""));
        if (text.isEmpty()) for (JsonNode c : item.path("content")) appendText(text, c.path("text").asText(""));
        String encrypted = item.path("encrypted_content").isTextual() ? item.get("encrypted_content").asText() : null;
        if (!text.isEmpty() || encrypted != null) {
          appendTo(r, Role.ASSISTANT, List.of(new Part.Thinking(text.toString(), encrypted, null)));
        }
      }
      default -> { } // hosted-tool calls and references have no counterpart in other protocols
    }
  }

  private static void appendText(StringBuilder sb, String s) {
    if (s.isEmpty()) return;
    if (!sb.isEmpty()) sb.append("\n\n");
    sb.append(s);
  }

  /** Adds parts to the last message when it has the same role (one assistant turn spans several items). */
  private static void appendTo(ChatRequest r, Role role, List<Part> parts) {
    Message last = r.messages.isEmpty() ? null : r.messages.get(r.messages.size() - 1);
    if (last != null && last.role == role) last.parts.addAll(parts);
    else {
      Message m = new Message(role);
      m.parts.addAll(parts);
      r.messages.add(m);
    }
  }

  private static List<Part> decodeContent(JsonNode content, String path) {
    return ContentParts.decode(content, path, (type, p, pp) -> {
      if (type == null) throw GatewayException.invalid(pp + ".type", "'" + pp + ".type' is required");
      return switch (type) {
        case "input_text", "output_text", "text" -> ContentParts.text(p, pp);
        case "refusal" -> ContentParts.refusal(p);
        case "input_image" -> {
          String url = Json.string(p, "image_url", pp + ".image_url");
          if (url == null) yield null;
          String detail = Json.string(p, "detail", pp + ".detail");
          yield Part.Image.fromUrl(url, "auto".equals(detail) ? null : detail);
        }
        default -> null; // files and audio: only a provider serving the Responses API takes them
      };
    });
  }

  private static void decodeTool(ChatRequest r, JsonNode t, String path) {
    if (!t.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    String type = Json.string(t, "type", path + ".type");
    if (type == null) throw GatewayException.invalid(path + ".type", "'" + path + ".type' is required");
    switch (type) {
      case "function", "custom" -> r.tools.add(tool(t, path, null));
      case "namespace" -> {
        String ns = Json.string(t, "name", path + ".name");
        if (ns == null || ns.isEmpty()) throw GatewayException.invalid(path + ".name", "'" + path + ".name' is required");
        ArrayNode inner = Json.arrayField(t, "tools", path + ".tools");
        if (inner != null) for (int i = 0; i < inner.size(); i++) r.tools.add(tool(inner.get(i), path + ".tools[" + i + "]", ns));
      }
      default -> { } // hosted tools (web_search, file_search, ...) only exist on OpenAI's side
    }
  }

  private static Tool tool(JsonNode t, String path, String namespace) {
    if (!t.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    String type = Json.string(t, "type", path + ".type");
    String name = Json.string(t, "name", path + ".name");
    if (name == null || name.isEmpty()) throw GatewayException.invalid(path + ".name", "'" + path + ".name' is required");
    String description = Json.string(t, "description", path + ".description");
    String canonical = namespace == null ? name : namespace + Tool.NAMESPACE_SEPARATOR + name;
    if ("custom".equals(type)) {
      JsonNode format = t.get("format");
      if (format != null && "grammar".equals(format.path("type").asText())) {
        // Other providers have no grammar-constrained tools: the grammar becomes part of the description.
        description = (description == null ? "" : description + "\n\n") + "The input must match this "
            + format.path("syntax").asText("") + " grammar:\n" + format.path("definition").asText("");
      }
      ObjectNode schema = Json.object().put("type", "object");
      schema.putObject("properties").putObject("input").put("type", "string").put("description", "The tool's free-form text input");
      schema.putArray("required").add("input");
      schema.put("additionalProperties", false);
      return new Tool(canonical, description, schema, null, true, namespace);
    }
    JsonNode params = t.get("parameters");
    if (params != null && !params.isNull() && !params.isObject()) {
      throw GatewayException.invalid(path + ".parameters", "'" + path + ".parameters' must be a JSON Schema object");
    }
    return new Tool(canonical, description, params == null || params.isNull() ? null : params, null, false, namespace);
  }

  private static ToolChoice decodeToolChoice(JsonNode c, ResponsesContext ctx, ChatRequest r) {
    if (c == null || c.isNull()) return null;
    if (c.isTextual()) {
      return switch (c.asText()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw GatewayException.invalid("tool_choice", "'tool_choice' must be auto, none, required or an object");
      };
    }
    if (!c.isObject()) throw GatewayException.invalid("tool_choice", "'tool_choice' must be a string or an object");
    String type = c.path("type").asText("");
    return switch (type) {
      case "function", "custom" -> {
        String name = c.path("name").asText(null);
        if (name == null) throw GatewayException.invalid("tool_choice.name", "'tool_choice.name' is required");
        String ns = c.path("namespace").asText(null);
        yield ToolChoice.tool(ns == null ? name : ns + Tool.NAMESPACE_SEPARATOR + name);
      }
      case "allowed_tools" -> "required".equals(c.path("mode").asText()) ? ToolChoice.REQUIRED : ToolChoice.AUTO;
      default -> ToolChoice.AUTO; // hosted tools: the nearest is letting the model choose
    };
  }

  private static ResponseFormat decodeFormat(JsonNode f) {
    if (f == null) return null;
    String type = Json.string(f, "type", "text.format.type");
    if (type == null) throw GatewayException.invalid("text.format.type", "'text.format.type' is required");
    return switch (type) {
      case "text" -> null;
      case "json_object" -> ResponseFormat.JSON;
      case "json_schema" -> {
        JsonNode schema = Json.objectField(f, "schema", "text.format.schema");
        if (schema == null) throw GatewayException.invalid("text.format.schema", "'text.format.schema' is required");
        yield new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, Json.string(f, "name", "text.format.name"), schema,
            Json.bool(f, "strict", "text.format.strict"));
      }
      default -> throw GatewayException.invalid("text.format.type", "'text.format.type' must be text, json_object or json_schema");
    };
  }

  // ---- encode (canonical -> upstream Responses request) ----

  static ObjectNode encode(ChatRequest r, String model) {
    if (r.n != null && r.n > 1) throw GatewayException.invalid("n", "The Responses API returns one answer; 'n' must be 1");
    ObjectNode b = Json.object();
    b.put("model", model);
    String system = r.systemText();
    if (!system.isEmpty()) b.put("instructions", system);
    Map<String, Tool> tools = new LinkedHashMap<>();
    for (Tool t : r.tools) tools.put(t.name(), t);
    ArrayNode input = b.putArray("input");
    for (Message m : r.messages) encodeMessage(m, tools, input);
    if (!r.tools.isEmpty()) {
      ArrayNode out = b.putArray("tools");
      Map<String, ArrayNode> namespaces = new LinkedHashMap<>();
      for (Tool t : r.tools) {
        ArrayNode target = out;
        if (t.namespace() != null) {
          target = namespaces.computeIfAbsent(t.namespace(), ns -> {
            ObjectNode n = out.addObject().put("type", "namespace").put("name", ns).put("description", "");
            return n.putArray("tools");
          });
        }
        ObjectNode o = target.addObject();
        o.put("type", t.custom() ? "custom" : "function").put("name", shortName(t));
        if (t.description() != null) o.put("description", t.description());
        if (!t.custom()) {
          o.set("parameters", t.parameters() != null ? t.parameters() : Json.object().put("type", "object").set("properties", Json.object()));
          o.put("strict", false);
        }
      }
    }
    if (r.toolChoice != null) {
      switch (r.toolChoice.mode()) {
        case AUTO -> b.put("tool_choice", "auto");
        case NONE -> b.put("tool_choice", "none");
        case REQUIRED -> b.put("tool_choice", "required");
        case TOOL -> {
          Tool t = tools.get(r.toolChoice.name());
          ObjectNode c = b.putObject("tool_choice").put("type", t != null && t.custom() ? "custom" : "function")
              .put("name", t != null ? shortName(t) : r.toolChoice.name());
          if (t != null && t.namespace() != null) c.put("namespace", t.namespace());
        }
      }
    }
    if (r.parallelToolCalls != null) b.put("parallel_tool_calls", r.parallelToolCalls);
    if (r.maxTokens != null) b.put("max_output_tokens", Math.max(MIN_OUTPUT_TOKENS, r.maxTokens));
    if (r.temperature != null) b.put("temperature", r.temperature);
    if (r.topP != null) b.put("top_p", r.topP);
    if (r.responseFormat != null) {
      ObjectNode f = b.putObject("text").putObject("format");
      switch (r.responseFormat.kind()) {
        case TEXT -> f.put("type", "text");
        case JSON_OBJECT -> f.put("type", "json_object");
        case JSON_SCHEMA -> {
          f.put("type", "json_schema").put("name", r.responseFormat.name() == null ? "response" : r.responseFormat.name());
          f.set("schema", r.responseFormat.schema());
          if (r.responseFormat.strict() != null) f.put("strict", r.responseFormat.strict());
        }
      }
    }
    if (r.reasoning != null) {
      ObjectNode reasoning = b.putObject("reasoning").put("effort", r.reasoning.effortOrDefault());
      if (r.reasoning.includeThoughts()) reasoning.put("summary", "auto");
      b.putArray("include").add("reasoning.encrypted_content");
    }
    if (r.user != null) b.put("safety_identifier", r.user);
    if (r.stream) b.put("stream", true);
    // The gateway keeps conversation state itself; the upstream gets every turn and stores nothing.
    b.put("store", false);
    return b;
  }

  private static String shortName(Tool t) {
    return t.namespace() == null ? t.name() : t.name().substring(t.namespace().length() + Tool.NAMESPACE_SEPARATOR.length());
  }

  private static void encodeMessage(Message m, Map<String, Tool> tools, ArrayNode out) {
    List<Part> content = new ArrayList<>();
    for (Part p : m.parts) {
      switch (p) {
        case Part.ToolResult tr -> {
          flush(m.role, content, out);
          Tool t = tools.get(tr.name());
          ObjectNode o = out.addObject().put("type", t != null && t.custom() ? "custom_tool_call_output" : "function_call_output");
          o.put("call_id", tr.toolCallId());
          o.put("output", tr.isError() && !tr.text().startsWith("Error") ? "Error: " + tr.text() : tr.text());
        }
        case Part.ToolCall c -> {
          flush(m.role, content, out);
          Tool t = tools.get(c.name());
          ObjectNode o = out.addObject();
          if (t != null && t.custom()) {
            o.put("type", "custom_tool_call").put("call_id", c.id()).put("name", shortName(t));
            o.put("input", customInput(c.arguments()));
          } else {
            o.put("type", "function_call").put("call_id", c.id()).put("name", t != null ? shortName(t) : c.name()).put("arguments", c.arguments());
          }
          if (t != null && t.namespace() != null) o.put("namespace", t.namespace());
        }
        case Part.Thinking th -> {
          flush(m.role, content, out);
          // Only reasoning the upstream can verify goes back: OpenAI's own encrypted content.
          if (th.signature() != null && th.redactedData() == null) {
            ObjectNode o = out.addObject().put("type", "reasoning");
            ArrayNode summary = o.putArray("summary");
            if (th.text() != null && !th.text().isEmpty()) summary.addObject().put("type", "summary_text").put("text", th.text());
            o.put("encrypted_content", th.signature());
          }
        }
        default -> content.add(p);
      }
    }
    flush(m.role, content, out);
  }

  /** The free-form input of a custom tool call from its canonical arguments ({"input": "..."}). */
  static String customInput(String arguments) {
    try {
      JsonNode n = Json.parse(arguments);
      if (n.path("input").isTextual()) return n.get("input").asText();
    } catch (java.io.IOException ignored) {
      // not JSON: the text itself is the input
    }
    return arguments;
  }

  private static void flush(Role role, List<Part> content, ArrayNode out) {
    if (content.isEmpty()) return;
    ObjectNode msg = out.addObject().put("type", "message").put("role", role == Role.ASSISTANT ? "assistant" : "user");
    boolean textOnly = content.stream().allMatch(p -> p instanceof Part.Text);
    if (textOnly) {
      StringBuilder sb = new StringBuilder();
      for (Part p : content) sb.append(((Part.Text) p).text());
      msg.put("content", sb.toString());
    } else {
      ArrayNode arr = msg.putArray("content");
      for (Part p : content) {
        if (p instanceof Part.Text t) arr.addObject().put("type", role == Role.ASSISTANT ? "output_text" : "input_text").put("text", t.text());
        else if (p instanceof Part.Image img) {
          ObjectNode o = arr.addObject().put("type", "input_image")
              .put("image_url", img.isInline() ? "data:" + img.mediaType() + ";base64," + img.data() : img.url());
          o.put("detail", img.detail() == null ? "auto" : img.detail());
        }
      }
    }
    content.clear();
  }
}
