package io.junction.protocol.openai;

import io.junction.catalog.ModelLimits;
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
import java.util.List;
import java.util.Map;

/** Chat Completions request JSON to and from the canonical {@link ChatRequest}. */
final class OpenAiRequests {
  private OpenAiRequests() {}

  // ---- decode (client -> canonical) ----

  static ChatRequest decode(JsonNode body) {
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "Request body must be a JSON object");
    ChatRequest r = new ChatRequest();
    r.model = Json.string(body, "model", "model");
    if (r.model == null || r.model.isBlank()) throw GatewayException.invalid("model", "'model' is required");
    ArrayNode messages = Json.arrayField(body, "messages", "messages");
    if (messages == null) throw GatewayException.invalid("messages", "'messages' is required");
    if (messages.isEmpty()) throw GatewayException.invalid("messages", "'messages' must not be empty");
    Map<String, String> toolNames = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) decodeMessage(r, messages.get(i), "messages[" + i + "]", toolNames);

    ArrayNode tools = Json.arrayField(body, "tools", "tools");
    if (tools != null) {
      for (int i = 0; i < tools.size(); i++) r.tools.add(decodeTool(tools.get(i), "tools[" + i + "]"));
    }
    r.toolChoice = decodeToolChoice(body.get("tool_choice"));
    r.parallelToolCalls = Json.bool(body, "parallel_tool_calls", "parallel_tool_calls");
    Integer maxCompletion = Json.integer(body, "max_completion_tokens", "max_completion_tokens");
    r.maxTokens = maxCompletion != null ? maxCompletion : Json.integer(body, "max_tokens", "max_tokens");
    if (r.maxTokens != null && r.maxTokens <= 0) throw GatewayException.invalid("max_tokens", "'max_tokens' must be positive");
    r.temperature = Json.number(body, "temperature", "temperature");
    r.topP = Json.number(body, "top_p", "top_p");
    r.n = Json.integer(body, "n", "n");
    Double seed = Json.number(body, "seed", "seed");
    r.seed = seed == null ? null : seed.longValue();
    r.presencePenalty = Json.number(body, "presence_penalty", "presence_penalty");
    r.frequencyPenalty = Json.number(body, "frequency_penalty", "frequency_penalty");
    JsonNode stop = body.get("stop");
    if (stop != null && !stop.isNull()) {
      if (stop.isTextual()) r.stop.add(stop.asText());
      else if (stop.isArray()) {
        for (JsonNode s : stop) {
          if (!s.isTextual()) throw GatewayException.invalid("stop", "'stop' must be a string or an array of strings");
          r.stop.add(s.asText());
        }
      } else throw GatewayException.invalid("stop", "'stop' must be a string or an array of strings");
    }
    r.responseFormat = decodeResponseFormat(Json.objectField(body, "response_format", "response_format"));
    String effort = Json.string(body, "reasoning_effort", "reasoning_effort");
    if (effort != null) r.reasoning = new Reasoning(effort, null, false);
    Boolean stream = Json.bool(body, "stream", "stream");
    r.stream = stream != null && stream;
    JsonNode opts = Json.objectField(body, "stream_options", "stream_options");
    if (opts != null) {
      Boolean inc = Json.bool(opts, "include_usage", "stream_options.include_usage");
      r.includeUsage = inc != null && inc;
    }
    r.user = Json.string(body, "user", "user");
    return r;
  }

  private static void decodeMessage(ChatRequest r, JsonNode m, String path, Map<String, String> toolNames) {
    if (!m.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    String role = Json.string(m, "role", path + ".role");
    if (role == null) throw GatewayException.invalid(path + ".role", "'" + path + ".role' is required");
    JsonNode content = m.get("content");
    switch (role) {
      case "system", "developer" -> r.system.addAll(decodeContent(content, path + ".content", false));
      case "user" -> {
        Message msg = new Message(Role.USER);
        msg.name = Json.string(m, "name", path + ".name");
        if (content == null || content.isNull()) throw GatewayException.invalid(path + ".content", "'" + path + ".content' is required");
        msg.parts.addAll(decodeContent(content, path + ".content", true));
        r.messages.add(msg);
      }
      case "assistant" -> {
        Message msg = new Message(Role.ASSISTANT);
        msg.name = Json.string(m, "name", path + ".name");
        String reasoning = Json.string(m, "reasoning_content", path + ".reasoning_content");
        if (reasoning != null && !reasoning.isEmpty()) msg.parts.add(new Part.Thinking(reasoning, null, null));
        if (content != null && !content.isNull()) msg.parts.addAll(decodeContent(content, path + ".content", false));
        ArrayNode calls = Json.arrayField(m, "tool_calls", path + ".tool_calls");
        if (calls != null) {
          for (int i = 0; i < calls.size(); i++) {
            String cp = path + ".tool_calls[" + i + "]";
            JsonNode c = calls.get(i);
            if (!c.isObject()) throw GatewayException.invalid(cp, "'" + cp + "' must be an object");
            String id = Json.string(c, "id", cp + ".id");
            JsonNode fn = Json.objectField(c, "function", cp + ".function");
            if (id == null || fn == null) throw GatewayException.invalid(cp, "'" + cp + "' needs 'id' and 'function'");
            String name = Json.string(fn, "name", cp + ".function.name");
            if (name == null) throw GatewayException.invalid(cp + ".function.name", "'" + cp + ".function.name' is required");
            String args = Json.string(fn, "arguments", cp + ".function.arguments");
            msg.parts.add(new Part.ToolCall(id, name, args == null || args.isEmpty() ? "{}" : args));
            toolNames.put(id, name);
          }
        }
        r.messages.add(msg);
      }
      case "tool" -> {
        String id = Json.string(m, "tool_call_id", path + ".tool_call_id");
        if (id == null) throw GatewayException.invalid(path + ".tool_call_id", "'" + path + ".tool_call_id' is required");
        String name = toolNames.get(id);
        if (name == null) {
          throw GatewayException.invalid(path + ".tool_call_id",
              "'" + path + ".tool_call_id' (" + id + ") does not match any tool call of an earlier assistant message");
        }
        List<Part> result = content == null || content.isNull() ? List.of() : decodeContent(content, path + ".content", false);
        Part.ToolResult tr = new Part.ToolResult(id, name, result, false);
        // Consecutive tool results belong to one turn: canonical keeps them in one TOOL message.
        Message last = r.messages.isEmpty() ? null : r.messages.get(r.messages.size() - 1);
        if (last != null && last.role == Role.TOOL) last.parts.add(tr);
        else r.messages.add(Message.of(Role.TOOL, tr));
      }
      case "function" -> throw GatewayException.invalid(path + ".role", "The legacy 'function' role is not supported; use 'tool'");
      default -> throw GatewayException.invalid(path + ".role", "'" + path + ".role' must be one of system, developer, user, assistant, tool");
    }
  }

  private static List<Part> decodeContent(JsonNode content, String path, boolean allowImages) {
    return ContentParts.decode(content, path, (type, p, pp) -> {
      if ("text".equals(type)) return ContentParts.text(p, pp);
      if ("refusal".equals(type)) return ContentParts.refusal(p);
      if ("image_url".equals(type) && allowImages) {
        JsonNode img = p.get("image_url");
        String url = img == null ? null : img.isTextual() ? img.asText() : Json.string(img, "url", pp + ".image_url.url");
        if (url == null) throw GatewayException.invalid(pp + ".image_url.url", "'" + pp + ".image_url.url' is required");
        String detail = img.isObject() ? Json.string(img, "detail", pp + ".image_url.detail") : null;
        return Part.Image.fromUrl(url, detail);
      }
      throw GatewayException.invalid(pp + ".type", "Unsupported content part type '" + type + "' at '" + pp + "'");
    });
  }

  private static Tool decodeTool(JsonNode t, String path) {
    if (!t.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    String type = Json.string(t, "type", path + ".type");
    if (type != null && !"function".equals(type)) throw GatewayException.invalid(path + ".type", "Only 'function' tools are supported");
    JsonNode fn = Json.objectField(t, "function", path + ".function");
    if (fn == null) throw GatewayException.invalid(path + ".function", "'" + path + ".function' is required");
    String name = Json.string(fn, "name", path + ".function.name");
    if (name == null || name.isEmpty()) throw GatewayException.invalid(path + ".function.name", "'" + path + ".function.name' is required");
    JsonNode params = fn.get("parameters");
    if (params != null && !params.isNull() && !params.isObject()) {
      throw GatewayException.invalid(path + ".function.parameters", "'" + path + ".function.parameters' must be a JSON Schema object");
    }
    return new Tool(name, Json.string(fn, "description", path + ".function.description"), params == null || params.isNull() ? null : params);
  }

  private static ToolChoice decodeToolChoice(JsonNode c) {
    if (c == null || c.isNull()) return null;
    if (c.isTextual()) {
      return switch (c.asText()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw GatewayException.invalid("tool_choice", "'tool_choice' must be auto, none, required or a function object");
      };
    }
    String name = c.path("function").path("name").asText(null);
    if (!c.isObject() || name == null) throw GatewayException.invalid("tool_choice", "'tool_choice' object needs function.name");
    return ToolChoice.tool(name);
  }

  private static ResponseFormat decodeResponseFormat(JsonNode f) {
    if (f == null) return null;
    String type = Json.string(f, "type", "response_format.type");
    if (type == null) throw GatewayException.invalid("response_format.type", "'response_format.type' is required");
    return switch (type) {
      case "text" -> null;
      case "json_object" -> ResponseFormat.JSON;
      case "json_schema" -> {
        JsonNode js = Json.objectField(f, "json_schema", "response_format.json_schema");
        if (js == null) throw GatewayException.invalid("response_format.json_schema", "'response_format.json_schema' is required");
        yield new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, Json.string(js, "name", "response_format.json_schema.name"),
            js.get("schema"), Json.bool(js, "strict", "response_format.json_schema.strict"));
      }
      default -> throw GatewayException.invalid("response_format.type", "'response_format.type' must be text, json_object or json_schema");
    };
  }

  // ---- encode (canonical -> upstream) ----

  static ObjectNode encode(ChatRequest r, String model) {
    // Only a translated request gets here (same-protocol calls are relayed), and its answer is decoded into one choice.
    if (r.n != null && r.n > 1) throw GatewayException.invalid("n", "Answers translated from another protocol carry one choice; 'n' must be 1");
    ObjectNode b = Json.object();
    b.put("model", model);
    ArrayNode msgs = b.putArray("messages");
    if (!r.system.isEmpty()) {
      ObjectNode sys = msgs.addObject();
      sys.put("role", "system");
      sys.put("content", r.systemText());
    }
    for (Message m : r.messages) encodeMessage(m, msgs);
    if (!r.tools.isEmpty()) {
      ArrayNode tools = b.putArray("tools");
      for (Tool t : r.tools) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", t.name());
        if (t.description() != null) fn.put("description", t.description());
        if (t.parameters() != null) fn.set("parameters", t.parameters());
      }
    }
    if (r.toolChoice != null) {
      switch (r.toolChoice.mode()) {
        case AUTO -> b.put("tool_choice", "auto");
        case NONE -> b.put("tool_choice", "none");
        case REQUIRED -> b.put("tool_choice", "required");
        case TOOL -> b.putObject("tool_choice").put("type", "function").putObject("function").put("name", r.toolChoice.name());
      }
    }
    if (r.parallelToolCalls != null && !r.tools.isEmpty()) b.put("parallel_tool_calls", r.parallelToolCalls);
    // OpenAI's reasoning models reject max_tokens; compatible servers mostly know only max_tokens.
    Integer maxTokens = ModelLimits.maxTokens(r.maxTokens, model);
    if (maxTokens != null) b.put(usesMaxCompletionTokens(model) ? "max_completion_tokens" : "max_tokens", maxTokens);
    if (r.temperature != null) b.put("temperature", r.temperature);
    if (r.topP != null) b.put("top_p", r.topP);
    if (r.seed != null) b.put("seed", r.seed);
    if (r.presencePenalty != null) b.put("presence_penalty", r.presencePenalty);
    if (r.frequencyPenalty != null) b.put("frequency_penalty", r.frequencyPenalty);
    if (!r.stop.isEmpty()) {
      ArrayNode stop = b.putArray("stop");
      r.stop.forEach(stop::add);
    }
    if (r.responseFormat != null) {
      ObjectNode f = b.putObject("response_format");
      switch (r.responseFormat.kind()) {
        case TEXT -> f.put("type", "text");
        case JSON_OBJECT -> f.put("type", "json_object");
        case JSON_SCHEMA -> {
          f.put("type", "json_schema");
          ObjectNode js = f.putObject("json_schema");
          js.put("name", r.responseFormat.name() == null ? "response" : r.responseFormat.name());
          if (r.responseFormat.schema() != null) js.set("schema", r.responseFormat.schema());
          if (r.responseFormat.strict() != null) js.put("strict", r.responseFormat.strict());
        }
      }
    }
    Reasoning reasoning = ModelLimits.reasoning(r.reasoning, model);
    if (reasoning != null) b.put("reasoning_effort", reasoning.effortOrDefault());
    if (r.user != null) b.put("user", r.user);
    if (r.stream) {
      b.put("stream", true);
      // Always ask for usage: the gateway accounts every stream, whether the client asked or not.
      b.putObject("stream_options").put("include_usage", true);
    }
    return b;
  }

  static boolean usesMaxCompletionTokens(String model) {
    return model.startsWith("o1") || model.startsWith("o3") || model.startsWith("o4") || model.startsWith("gpt-5");
  }

  private static void encodeMessage(Message m, ArrayNode out) {
    switch (m.role) {
      case USER -> {
        List<Part.ToolResult> results = new ArrayList<>();
        List<Part> rest = new ArrayList<>();
        for (Part p : m.parts) {
          if (p instanceof Part.ToolResult tr) results.add(tr);
          else rest.add(p);
        }
        results.forEach(tr -> encodeToolResult(tr, out));
        if (!rest.isEmpty()) {
          ObjectNode o = out.addObject();
          o.put("role", "user");
          if (m.name != null) o.put("name", m.name);
          setContent(o, rest);
        }
      }
      case TOOL -> {
        for (Part p : m.parts) if (p instanceof Part.ToolResult tr) encodeToolResult(tr, out);
      }
      case ASSISTANT -> {
        ObjectNode o = out.addObject();
        o.put("role", "assistant");
        if (m.name != null) o.put("name", m.name);
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (Part p : m.parts) {
          if (p instanceof Part.Text t) text.append(t.text());
          else if (p instanceof Part.ToolCall c) {
            if (calls == null) calls = Json.array();
            ObjectNode call = calls.addObject();
            call.put("id", c.id()).put("type", "function");
            call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
          }
          // Thinking parts are not accepted back by OpenAI-style APIs: dropped.
        }
        if (!text.isEmpty() || calls == null) o.put("content", text.toString());
        else o.putNull("content");
        if (calls != null) o.set("tool_calls", calls);
      }
    }
  }

  private static void encodeToolResult(Part.ToolResult tr, ArrayNode out) {
    ObjectNode o = out.addObject();
    o.put("role", "tool");
    o.put("tool_call_id", tr.toolCallId());
    o.put("content", tr.isError() && !tr.text().startsWith("Error") ? "Error: " + tr.text() : tr.text());
  }

  /** Text-only content goes out as a plain string (the form every compatible server accepts). */
  private static void setContent(ObjectNode o, List<Part> parts) {
    boolean textOnly = parts.stream().allMatch(p -> p instanceof Part.Text);
    if (textOnly) {
      StringBuilder sb = new StringBuilder();
      for (Part p : parts) sb.append(((Part.Text) p).text());
      o.put("content", sb.toString());
      return;
    }
    ArrayNode arr = o.putArray("content");
    for (Part p : parts) {
      if (p instanceof Part.Text t) arr.addObject().put("type", "text").put("text", t.text());
      else if (p instanceof Part.Image img) {
        ObjectNode iu = arr.addObject().put("type", "image_url").putObject("image_url");
        iu.put("url", img.isInline() ? "data:" + img.mediaType() + ";base64," + img.data() : img.url());
        if (img.detail() != null) iu.put("detail", img.detail());
      }
    }
  }
}
