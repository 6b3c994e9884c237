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
 * canonical {@link ChatRequest}, rejecting anything malformed with a 400 naming the field in the
 * wording of Anthropic's own API (clients such as Claude Code read it to choose a fallback).
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
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "Input should be a valid dictionary");
    ChatRequest req = new ChatRequest();
    req.model = str(body, "model", "model");
    if (req.model == null || req.model.isBlank()) throw invalid("model", "Field required");

    req.maxTokens = integer(body, "max_tokens", "max_tokens");
    if (maxTokensRequired && req.maxTokens == null) throw invalid("max_tokens", "Field required");
    if (req.maxTokens != null && req.maxTokens < 1) throw invalid("max_tokens", "Input should be greater than or equal to 1");

    readSystem(body, req);
    readTools(body, req);
    readToolChoice(body, req);
    readMessages(body, req);

    ArrayNode stops = array(body, "stop_sequences", "stop_sequences");
    if (stops != null) {
      for (int i = 0; i < stops.size(); i++) {
        if (!stops.get(i).isTextual()) throw invalid("stop_sequences[" + i + "]", "Input should be a valid string");
        req.stop.add(stops.get(i).asText());
      }
    }
    req.temperature = number(body, "temperature", "temperature");
    req.topP = number(body, "top_p", "top_p");
    req.topK = integer(body, "top_k", "top_k");
    Boolean stream = bool(body, "stream", "stream");
    req.stream = stream != null && stream;
    // Anthropic streams always report usage.
    req.includeUsage = req.stream;
    ObjectNode metadata = obj(body, "metadata", "metadata");
    if (metadata != null) req.user = str(metadata, "user_id", "metadata.user_id");
    req.reasoning = readThinking(body);
    return req;
  }

  private static void readSystem(JsonNode body, ChatRequest req) {
    JsonNode system = body.get("system");
    if (system != null && !system.isNull()) systemText(system, "system", req);
  }

  private static void readTools(JsonNode body, ChatRequest req) {
    ArrayNode tools = array(body, "tools", "tools");
    if (tools == null) return;
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = object(tools.get(i), path);
      String type = str(tool, "type", path + ".type");
      if (type != null && !type.equals("custom")) {
        throw invalid(path + ".type", "Server tool type '" + type + "' is not supported by this gateway when the request is translated; only custom tools are");
      }
      String name = requiredString(tool, "name", path + ".name");
      ObjectNode schema = requiredObj(tool, "input_schema", path + ".input_schema");
      req.tools.add(new Tool(name, str(tool, "description", path + ".description"), schema,
          cacheControl(tool, path)));
    }
  }

  private static void readToolChoice(JsonNode body, ChatRequest req) {
    ObjectNode choice = obj(body, "tool_choice", "tool_choice");
    if (choice == null) return;
    String type = requiredString(choice, "type", "tool_choice.type");
    req.toolChoice = switch (type) {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.REQUIRED;
      case "none" -> ToolChoice.NONE;
      case "tool" -> ToolChoice.tool(requiredString(choice, "name", "tool_choice.name"));
      default -> throw invalid("tool_choice.type",
          "Input tag '" + type + "' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
    };
    Boolean disableParallel = bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use");
    if (disableParallel != null) req.parallelToolCalls = !disableParallel;
  }

  private static Reasoning readThinking(JsonNode body) {
    ObjectNode thinking = obj(body, "thinking", "thinking");
    if (thinking == null) return null;
    String type = requiredString(thinking, "type", "thinking.type");
    return switch (type) {
      case "enabled" -> {
        Integer budget = integer(thinking, "budget_tokens", "thinking.budget_tokens");
        if (budget == null) throw invalid("thinking.budget_tokens", "thinking.enabled.budget_tokens", "Field required");
        if (budget < 1) throw invalid("thinking.budget_tokens", "thinking.enabled.budget_tokens", "Input should be greater than or equal to 1");
        yield new Reasoning(null, budget, true);
      }
      // Adaptive thinking lets the model pick its own budget: the closest canonical notion is an effort level.
      case "adaptive" -> new Reasoning("medium", null, true);
      case "disabled" -> null;
      default -> throw invalid("thinking.type",
          "Input tag '" + type + "' found using 'type' does not match any of the expected tags: 'adaptive', 'disabled', 'enabled'");
    };
  }

  private void readMessages(JsonNode body, ChatRequest req) {
    ArrayNode messages = array(body, "messages", "messages");
    if (messages == null) throw invalid("messages", "Field required");
    if (messages.isEmpty()) throw invalid("messages", "at least one message is required");
    for (int i = 0; i < messages.size(); i++) {
      String path = "messages[" + i + "]";
      JsonNode msg = object(messages.get(i), path);
      String roleName = requiredString(msg, "role", path + ".role");
      if (roleName.equals("system")) {
        // Claude Code's mid-conversation-system beta: other protocols get it as a system prompt.
        midConversationSystem(msg.get("content"), path + ".content", req);
        continue;
      }
      Role role = switch (roleName) {
        case "user" -> Role.USER;
        case "assistant" -> Role.ASSISTANT;
        // Anthropic's wording: Claude Code reads it to decide on its fallback.
        default -> throw invalid(path + ".role", "Input should be 'user' or 'assistant'");
      };
      Message m = new Message(role);
      JsonNode content = msg.get("content");
      if (content == null || content.isNull()) throw invalid(path + ".content", "Field required");
      if (content.isTextual()) {
        m.parts.add(new Part.Text(content.asText()));
      } else if (content.isArray()) {
        for (int j = 0; j < content.size(); j++) m.parts.add(block(content.get(j), role, path + ".content[" + j + "]"));
      } else {
        throw invalid(path + ".content", "Input should be a valid list");
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
        ObjectNode input = requiredObj(block, "input", path + ".input");
        toolNamesById.put(id, name);
        yield new Part.ToolCall(id, name, Json.text(input));
      }
      case "tool_result" -> {
        requireRole(role, Role.USER, type, path);
        String id = requiredString(block, "tool_use_id", path + ".tool_use_id");
        String name = toolNamesById.get(id);
        if (name == null) {
          throw invalid(path + ".tool_use_id", path, "unexpected `tool_use_id` found in `tool_result` blocks: " + id
              + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
        }
        Boolean isError = bool(block, "is_error", path + ".is_error");
        yield new Part.ToolResult(id, name, toolResultContent(block.get("content"), path + ".content"), isError != null && isError);
      }
      case "thinking" -> {
        requireRole(role, Role.ASSISTANT, type, path);
        String thinking = requiredString(block, "thinking", path + ".thinking");
        yield new Part.Thinking(thinking, str(block, "signature", path + ".signature"), null);
      }
      case "redacted_thinking" -> {
        requireRole(role, Role.ASSISTANT, type, path);
        yield new Part.Thinking("", null, requiredString(block, "data", path + ".data"));
      }
      default -> throw invalid(path + ".type", path, "Input tag '" + type + "' found using 'type' does not match any of the expected tags"
          + " this gateway translates: 'image', 'redacted_thinking', 'text', 'thinking', 'tool_result', 'tool_use'");
    };
  }

  private static List<Part> toolResultContent(JsonNode content, String path) {
    List<Part> parts = new ArrayList<>();
    if (content == null || content.isNull()) return parts;
    if (content.isTextual()) {
      parts.add(new Part.Text(content.asText()));
      return parts;
    }
    if (!content.isArray()) throw invalid(path, "Input should be a valid list");
    for (int i = 0; i < content.size(); i++) {
      String itemPath = path + "[" + i + "]";
      JsonNode block = object(content.get(i), itemPath);
      String type = requiredString(block, "type", itemPath + ".type");
      parts.add(switch (type) {
        case "text" -> textBlock(block, itemPath);
        case "image" -> image(block, itemPath);
        default -> throw invalid(itemPath + ".type", itemPath,
            "Input tag '" + type + "' found using 'type' does not match any of the expected tags: 'image', 'text'");
      });
    }
    return parts;
  }

  private static Part.Text textBlock(JsonNode block, String path) {
    return new Part.Text(requiredString(block, "text", path + ".text"), cacheControl(block, path));
  }

  private static Part.Image image(JsonNode block, String path) {
    ObjectNode source = requiredObj(block, "source", path + ".source");
    String type = requiredString(source, "type", path + ".source.type");
    return switch (type) {
      case "base64" -> Part.Image.ofBase64(requiredString(source, "media_type", path + ".source.media_type"),
          requiredString(source, "data", path + ".source.data"));
      case "url" -> Part.Image.ofUrl(requiredString(source, "url", path + ".source.url"));
      default -> throw invalid(path + ".source.type", path + ".source",
          "Input tag '" + type + "' found using 'type' does not match any of the expected tags: 'base64', 'url'");
    };
  }

  private static JsonNode cacheControl(JsonNode block, String path) {
    return obj(block, "cache_control", path + ".cache_control");
  }

  private static void requireRole(Role actual, Role expected, String type, String path) {
    if (actual != expected) {
      throw invalid(path + ".type", path,
          "`" + type + "` blocks can only be in `" + expected.name().toLowerCase() + "` messages");
    }
  }

  /**
   * A {@code role: "system"} message inside {@code messages}: its text joins the system prompt, after
   * the top-level {@code system}, in order. Its place in the conversation is not kept.
   */
  private static void midConversationSystem(JsonNode content, String path, ChatRequest req) {
    if (content == null || content.isNull()) throw invalid(path, "Field required");
    systemText(content, path, req);
  }

  /** System text (top-level or mid-conversation): a string, or a list of text blocks; an empty string adds nothing. */
  private static void systemText(JsonNode content, String path, ChatRequest req) {
    if (content.isTextual()) {
      if (!content.asText().isEmpty()) req.system.add(new Part.Text(content.asText()));
      return;
    }
    if (!content.isArray()) throw invalid(path, "Input should be a valid list");
    for (int i = 0; i < content.size(); i++) {
      String blockPath = path + "[" + i + "]";
      JsonNode block = object(content.get(i), blockPath);
      String type = requiredString(block, "type", blockPath + ".type");
      if (!type.equals("text")) throw invalid(blockPath + ".type", "Input should be 'text'");
      req.system.add(textBlock(block, blockPath));
    }
  }

  /** A 400 in Anthropic's own wording, {@code "messages.1.role: Input should be ..."}; {@code param} keeps Junction's path. */
  private static GatewayException invalid(String param, String phrase) { return invalid(param, param, phrase); }

  private static GatewayException invalid(String param, String wirePath, String phrase) {
    return GatewayException.invalid(param, wirePath.replaceAll("\\[(\\d+)]", ".$1") + ": " + phrase);
  }

  /** One of {@link Json}'s typed field readers. */
  @FunctionalInterface
  private interface FieldReader<T> {
    T read(JsonNode obj, String field, String path);
  }

  /** The field read by {@code reader} (null when absent); a value of another JSON type is refused as not a valid {@code kind}. */
  private static <T> T typed(FieldReader<T> reader, String kind, JsonNode obj, String field, String path) {
    try {
      return reader.read(obj, field, path);
    } catch (GatewayException e) {
      throw invalid(path, "Input should be a valid " + kind);
    }
  }

  private static String str(JsonNode obj, String field, String path) { return typed(Json::string, "string", obj, field, path); }

  private static Integer integer(JsonNode obj, String field, String path) { return typed(Json::integer, "integer", obj, field, path); }

  private static Double number(JsonNode obj, String field, String path) { return typed(Json::number, "number", obj, field, path); }

  private static Boolean bool(JsonNode obj, String field, String path) { return typed(Json::bool, "boolean", obj, field, path); }

  private static ArrayNode array(JsonNode obj, String field, String path) { return typed(Json::arrayField, "list", obj, field, path); }

  private static ObjectNode obj(JsonNode obj, String field, String path) { return typed(Json::objectField, "dictionary", obj, field, path); }

  private static JsonNode object(JsonNode node, String path) {
    if (node == null || !node.isObject()) throw invalid(path, "Input should be a valid dictionary");
    return node;
  }

  private static String requiredString(JsonNode obj, String field, String path) {
    return required(str(obj, field, path), path);
  }

  private static ObjectNode requiredObj(JsonNode obj, String field, String path) {
    return required(obj(obj, field, path), path);
  }

  private static <T> T required(T value, String path) {
    if (value == null) throw invalid(path, "Field required");
    return value;
  }
}
