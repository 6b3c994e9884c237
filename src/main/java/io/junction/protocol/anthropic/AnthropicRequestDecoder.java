package io.junction.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.Role;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an Anthropic Messages request (what an Anthropic client sends Junction) into the
 * canonical {@link ChatRequest}, rejecting anything malformed with a 400 naming the field.
 * Unknown top-level fields are ignored: clients send beta fields a gateway cannot act on.
 */
final class AnthropicRequestDecoder {

  /** Tool-use ids seen so far mapped to tool names, to check tool_result references. */
  private final Map<String, String> toolNamesById = new HashMap<>();

  private AnthropicRequestDecoder() {}

  /** A /v1/messages body: {@code max_tokens} is required. */
  static ChatRequest decodeMessages(JsonNode body) {
    return new AnthropicRequestDecoder().decode(body, true);
  }

  /** A /v1/messages/count_tokens body: same shape without {@code max_tokens}. */
  static ChatRequest decodeCountTokens(JsonNode body) {
    return new AnthropicRequestDecoder().decode(body, false);
  }

  private ChatRequest decode(JsonNode body, boolean maxTokensRequired) {
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "Request body must be a JSON object");
    ChatRequest req = new ChatRequest();
    req.model = Json.string(body, "model", "model");
    if (req.model == null || req.model.isBlank()) throw GatewayException.invalid("model", "'model' is required");

    req.maxTokens = Json.integer(body, "max_tokens", "max_tokens");
    if (maxTokensRequired && req.maxTokens == null) throw GatewayException.invalid("max_tokens", "'max_tokens' is required");
    if (req.maxTokens != null && req.maxTokens < 1) throw GatewayException.invalid("max_tokens", "'max_tokens' must be at least 1");

    readSystem(body, req);
    readTools(body, req);
    readToolChoice(body, req);
    readMessages(body, req);

    ArrayNode stops = Json.arrayField(body, "stop_sequences", "stop_sequences");
    if (stops != null) {
      for (int i = 0; i < stops.size(); i++) {
        if (!stops.get(i).isTextual()) throw GatewayException.invalid("stop_sequences[" + i + "]", "'stop_sequences[" + i + "]' must be a string");
        req.stop.add(stops.get(i).asText());
      }
    }
    req.temperature = Json.number(body, "temperature", "temperature");
    req.topP = Json.number(body, "top_p", "top_p");
    req.topK = Json.integer(body, "top_k", "top_k");
    Boolean stream = Json.bool(body, "stream", "stream");
    req.stream = stream != null && stream;
    // Anthropic streams always report usage.
    req.includeUsage = req.stream;
    ObjectNode metadata = Json.objectField(body, "metadata", "metadata");
    if (metadata != null) req.user = Json.string(metadata, "user_id", "metadata.user_id");
    req.reasoning = readThinking(body);
    return req;
  }

  private static void readSystem(JsonNode body, ChatRequest req) {
    JsonNode system = body.get("system");
    if (system == null || system.isNull()) return;
    if (system.isTextual()) {
      if (!system.asText().isEmpty()) req.system.add(new Part.Text(system.asText()));
      return;
    }
    if (!system.isArray()) throw GatewayException.invalid("system", "'system' must be a string or an array of text blocks");
    for (int i = 0; i < system.size(); i++) {
      String path = "system[" + i + "]";
      JsonNode block = object(system.get(i), path);
      String type = requiredString(block, "type", path + ".type");
      if (!type.equals("text")) throw GatewayException.invalid(path + ".type", "'" + path + ".type' must be 'text', got '" + type + "'");
      req.system.add(textBlock(block, path));
    }
  }

  private static void readTools(JsonNode body, ChatRequest req) {
    ArrayNode tools = Json.arrayField(body, "tools", "tools");
    if (tools == null) return;
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = object(tools.get(i), path);
      String type = Json.string(tool, "type", path + ".type");
      if (type != null && !type.equals("custom")) {
        throw GatewayException.invalid(path + ".type", "Server tool type '" + type + "' is not supported; only custom tools are");
      }
      String name = requiredString(tool, "name", path + ".name");
      ObjectNode schema = Json.objectField(tool, "input_schema", path + ".input_schema");
      if (schema == null) throw GatewayException.invalid(path + ".input_schema", "'" + path + ".input_schema' is required");
      req.tools.add(new Tool(name, Json.string(tool, "description", path + ".description"), schema,
          cacheControl(tool, path)));
    }
  }

  private static void readToolChoice(JsonNode body, ChatRequest req) {
    ObjectNode choice = Json.objectField(body, "tool_choice", "tool_choice");
    if (choice == null) return;
    String type = requiredString(choice, "type", "tool_choice.type");
    req.toolChoice = switch (type) {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.REQUIRED;
      case "none" -> ToolChoice.NONE;
      case "tool" -> ToolChoice.tool(requiredString(choice, "name", "tool_choice.name"));
      default -> throw GatewayException.invalid("tool_choice.type",
          "'tool_choice.type' must be one of auto, any, tool, none; got '" + type + "'");
    };
    Boolean disableParallel = Json.bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use");
    if (disableParallel != null) req.parallelToolCalls = !disableParallel;
  }

  private static Reasoning readThinking(JsonNode body) {
    ObjectNode thinking = Json.objectField(body, "thinking", "thinking");
    if (thinking == null) return null;
    String type = requiredString(thinking, "type", "thinking.type");
    return switch (type) {
      case "enabled" -> {
        Integer budget = Json.integer(thinking, "budget_tokens", "thinking.budget_tokens");
        if (budget == null) throw GatewayException.invalid("thinking.budget_tokens", "'thinking.budget_tokens' is required when thinking is enabled");
        if (budget < 1) throw GatewayException.invalid("thinking.budget_tokens", "'thinking.budget_tokens' must be positive");
        yield new Reasoning(null, budget, true);
      }
      // Adaptive thinking lets the model pick its own budget: the closest canonical notion is an effort level.
      case "adaptive" -> new Reasoning("medium", null, true);
      case "disabled" -> null;
      default -> throw GatewayException.invalid("thinking.type", "'thinking.type' must be enabled, adaptive or disabled; got '" + type + "'");
    };
  }

  private void readMessages(JsonNode body, ChatRequest req) {
    ArrayNode messages = Json.arrayField(body, "messages", "messages");
    if (messages == null) throw GatewayException.invalid("messages", "'messages' is required");
    if (messages.isEmpty()) throw GatewayException.invalid("messages", "'messages' must contain at least one message");
    for (int i = 0; i < messages.size(); i++) {
      String path = "messages[" + i + "]";
      JsonNode msg = object(messages.get(i), path);
      String roleName = requiredString(msg, "role", path + ".role");
      Role role = switch (roleName) {
        case "user" -> Role.USER;
        case "assistant" -> Role.ASSISTANT;
        default -> throw GatewayException.invalid(path + ".role",
            "'" + path + ".role' must be 'user' or 'assistant', got '" + roleName + "' (put system prompts in 'system')");
      };
      Message m = new Message(role);
      JsonNode content = msg.get("content");
      if (content == null || content.isNull()) throw GatewayException.invalid(path + ".content", "'" + path + ".content' is required");
      if (content.isTextual()) {
        m.parts.add(new Part.Text(content.asText()));
      } else if (content.isArray()) {
        for (int j = 0; j < content.size(); j++) m.parts.add(block(content.get(j), role, path + ".content[" + j + "]"));
      } else {
        throw GatewayException.invalid(path + ".content", "'" + path + ".content' must be a string or an array of content blocks");
      }
      req.messages.add(m);
    }
  }

  private Part block(JsonNode node, Role role, String path) {
    JsonNode block = object(node, path);
    String type = requiredString(block, "type", path + ".type");
    return switch (type) {
      case "text" -> textBlock(block, path);
      case "image" -> image(block, path);
      case "tool_use" -> {
        requireRole(role, Role.ASSISTANT, type, path);
        String id = requiredString(block, "id", path + ".id");
        String name = requiredString(block, "name", path + ".name");
        ObjectNode input = Json.objectField(block, "input", path + ".input");
        if (input == null) throw GatewayException.invalid(path + ".input", "'" + path + ".input' is required");
        toolNamesById.put(id, name);
        yield new Part.ToolCall(id, name, Json.text(input));
      }
      case "tool_result" -> {
        requireRole(role, Role.USER, type, path);
        String id = requiredString(block, "tool_use_id", path + ".tool_use_id");
        String name = toolNamesById.get(id);
        if (name == null) {
          throw GatewayException.invalid(path + ".tool_use_id",
              "'" + path + ".tool_use_id' refers to '" + id + "', which matches no earlier tool_use block");
        }
        Boolean isError = Json.bool(block, "is_error", path + ".is_error");
        yield new Part.ToolResult(id, name, toolResultContent(block.get("content"), path + ".content"), isError != null && isError);
      }
      case "thinking" -> {
        requireRole(role, Role.ASSISTANT, type, path);
        String thinking = requiredString(block, "thinking", path + ".thinking");
        yield new Part.Thinking(thinking, Json.string(block, "signature", path + ".signature"), null);
      }
      case "redacted_thinking" -> {
        requireRole(role, Role.ASSISTANT, type, path);
        yield new Part.Thinking("", null, requiredString(block, "data", path + ".data"));
      }
      default -> throw GatewayException.invalid(path + ".type", "Content block type '" + type + "' is not supported");
    };
  }

  private static List<Part> toolResultContent(JsonNode content, String path) {
    List<Part> parts = new ArrayList<>();
    if (content == null || content.isNull()) return parts;
    if (content.isTextual()) {
      parts.add(new Part.Text(content.asText()));
      return parts;
    }
    if (!content.isArray()) throw GatewayException.invalid(path, "'" + path + "' must be a string or an array of text and image blocks");
    for (int i = 0; i < content.size(); i++) {
      String itemPath = path + "[" + i + "]";
      JsonNode block = object(content.get(i), itemPath);
      String type = requiredString(block, "type", itemPath + ".type");
      parts.add(switch (type) {
        case "text" -> textBlock(block, itemPath);
        case "image" -> image(block, itemPath);
        default -> throw GatewayException.invalid(itemPath + ".type", "Tool result block type '" + type + "' is not supported");
      });
    }
    return parts;
  }

  private static Part.Text textBlock(JsonNode block, String path) {
    return new Part.Text(requiredString(block, "text", path + ".text"), cacheControl(block, path));
  }

  private static Part.Image image(JsonNode block, String path) {
    ObjectNode source = Json.objectField(block, "source", path + ".source");
    if (source == null) throw GatewayException.invalid(path + ".source", "'" + path + ".source' is required");
    String type = requiredString(source, "type", path + ".source.type");
    return switch (type) {
      case "base64" -> Part.Image.ofBase64(requiredString(source, "media_type", path + ".source.media_type"),
          requiredString(source, "data", path + ".source.data"));
      case "url" -> Part.Image.ofUrl(requiredString(source, "url", path + ".source.url"));
      default -> throw GatewayException.invalid(path + ".source.type", "Image source type '" + type + "' is not supported; use base64 or url");
    };
  }

  private static JsonNode cacheControl(JsonNode block, String path) {
    return Json.objectField(block, "cache_control", path + ".cache_control");
  }

  private static void requireRole(Role actual, Role expected, String type, String path) {
    if (actual != expected) {
      throw GatewayException.invalid(path + ".type",
          "'" + type + "' blocks may only appear in " + expected.name().toLowerCase() + " messages");
    }
  }

  private static JsonNode object(JsonNode node, String path) {
    if (node == null || !node.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    return node;
  }

  private static String requiredString(JsonNode obj, String field, String path) {
    String v = Json.string(obj, field, path);
    if (v == null) throw GatewayException.invalid(path, "'" + path + "' is required");
    return v;
  }
}
