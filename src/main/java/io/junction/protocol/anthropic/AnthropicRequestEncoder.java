package io.junction.protocol.anthropic;

import io.junction.catalog.ModelLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.ResponseFormat;
import io.junction.protocol.Role;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a canonical request as an Anthropic Messages body (Junction calling api.anthropic.com),
 * filling in what Anthropic requires and other protocols leave out: {@code max_tokens}, an
 * object {@code input_schema}, tool results inside user turns, signed thinking only.
 */
final class AnthropicRequestEncoder {
  private AnthropicRequestEncoder() {}

  private record OutputLimit(String modelPrefix, int maxTokens) {}

  /** Output limits by model prefix, most specific first; used when the client gave no max_tokens. */
  private static final List<OutputLimit> OUTPUT_LIMITS = List.of(
      new OutputLimit("claude-opus-4-0", 32000),
      new OutputLimit("claude-opus-4-1", 32000),
      new OutputLimit("claude-opus-4-2025", 32000),
      new OutputLimit("claude-opus-4", 64000),
      new OutputLimit("claude-sonnet-4", 64000),
      new OutputLimit("claude-haiku-4", 64000),
      new OutputLimit("claude-3-7-sonnet", 64000),
      new OutputLimit("claude-3-5", 8192),
      new OutputLimit("claude-3-", 4096));
  /** Every current model accepts this much; older ones are listed above. */
  static final int DEFAULT_MAX_TOKENS = 8192;
  /** Anthropic's minimum thinking budget. */
  static final int MIN_THINKING_BUDGET = 1024;

  private static final Pattern TOOL_ID_INVALID = Pattern.compile("[^a-zA-Z0-9_-]");

  static int defaultMaxTokens(String model) {
    for (OutputLimit limit : OUTPUT_LIMITS) if (model.startsWith(limit.modelPrefix())) return limit.maxTokens();
    return DEFAULT_MAX_TOKENS;
  }

  static ObjectNode encodeMessages(ChatRequest req, String model) {
    if (req.n != null && req.n > 1) throw GatewayException.invalid("n", "Anthropic models return one choice; 'n' must be 1");
    ObjectNode body = encodeCountTokens(req, model);
    int maxTokens = req.maxTokens != null ? ModelLimits.maxTokens(req.maxTokens, model) : defaultMaxTokens(model);
    JsonNode thinking = body.get("thinking");
    if (thinking != null) {
      // max_tokens includes thinking and must exceed the budget: the client's limit is kept for the visible answer.
      int budget = thinking.get("budget_tokens").asInt();
      if (maxTokens <= budget) maxTokens = budget + maxTokens;
      // ...but never above the model's output limit; the budget then shrinks to fit under it.
      int limit = ModelLimits.maxTokens(maxTokens, model);
      if (limit < maxTokens) {
        maxTokens = limit;
        if (budget >= maxTokens) ((ObjectNode) thinking).put("budget_tokens", Math.max(MIN_THINKING_BUDGET, maxTokens / 2));
      }
      // Thinking refuses temperature and top_k changes, and top_p below 0.95.
      if (req.topP != null && req.topP >= 0.95) body.put("top_p", req.topP);
    } else {
      if (req.temperature != null) body.put("temperature", req.temperature);
      if (req.topP != null) body.put("top_p", req.topP);
      if (req.topK != null) body.put("top_k", req.topK);
    }
    body.put("max_tokens", maxTokens);
    if (!req.stop.isEmpty()) {
      ArrayNode stops = body.putArray("stop_sequences");
      req.stop.forEach(stops::add);
    }
    if (req.user != null) body.putObject("metadata").put("user_id", req.user);
    if (req.stream) body.put("stream", true);
    return body;
  }

  /** The fields /v1/messages/count_tokens accepts: model, system, messages, tools, tool_choice, thinking. */
  static ObjectNode encodeCountTokens(ChatRequest req, String model) {
    ObjectNode body = Json.object().put("model", model);
    JsonNode system = system(req);
    if (system != null) body.set("system", system);
    body.set("messages", messages(req.messages));
    if (!req.tools.isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (Tool t : req.tools) tools.add(tool(t));
      ObjectNode choice = toolChoice(req);
      if (choice != null) body.set("tool_choice", choice);
    }
    Reasoning reasoning = effectiveReasoning(req, model);
    if (reasoning != null) {
      body.putObject("thinking").put("type", "enabled")
          .put("budget_tokens", Math.max(MIN_THINKING_BUDGET, reasoning.budgetOrDefault()));
    }
    return body;
  }

  /**
   * The reasoning to send, or null. Anthropic refuses thinking together with a forced tool; the
   * forced tool is what the caller's code depends on, so thinking gives way.
   */
  private static Reasoning effectiveReasoning(ChatRequest req, String model) {
    Reasoning r = ModelLimits.reasoning(req.reasoning, model);
    if (r == null || "none".equals(r.effort()) || (r.budgetTokens() != null && r.budgetTokens() == 0)) return null;
    ToolChoice choice = req.toolChoice;
    if (!req.tools.isEmpty() && choice != null && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.TOOL)) {
      return null;
    }
    return r;
  }

  /**
   * A plain string when no block carries cache_control, else text blocks. JSON output has no
   * Anthropic request field, so it is asked for by an instruction appended to the system prompt.
   */
  private static JsonNode system(ChatRequest req) {
    String jsonInstruction = jsonInstruction(req.responseFormat);
    boolean cached = req.system.stream().anyMatch(p -> p instanceof Part.Text t && t.cacheControl() != null);
    if (!cached) {
      String text = req.systemText();
      if (jsonInstruction != null) text = text.isEmpty() ? jsonInstruction : text + "\n\n" + jsonInstruction;
      return text.isEmpty() ? null : Json.NODES.textNode(text);
    }
    ArrayNode blocks = Json.array();
    for (Part p : req.system) if (p instanceof Part.Text t && !t.text().isEmpty()) blocks.add(text(t));
    if (jsonInstruction != null) blocks.add(text(new Part.Text(jsonInstruction)));
    return blocks;
  }

  private static String jsonInstruction(ResponseFormat format) {
    if (format == null || format.kind() == ResponseFormat.Kind.TEXT) return null;
    String base = "Respond with a single valid JSON object and nothing else: no prose, no markdown code fences.";
    if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA && format.schema() != null) {
      return base + " The JSON must conform to this JSON Schema:\n" + Json.text(format.schema());
    }
    return base;
  }

  private static ArrayNode messages(List<Message> messages) {
    ArrayNode out = Json.array();
    ObjectNode current = null;
    String currentRole = null;
    for (Message m : messages) {
      // Tool results travel in user turns; consecutive same-role turns merge so that all results
      // for one assistant turn sit in the single user turn that follows it.
      String role = m.role == Role.ASSISTANT ? "assistant" : "user";
      ArrayNode blocks = Json.array();
      for (Part p : m.parts) {
        ObjectNode block = block(p);
        if (block != null) blocks.add(block);
      }
      if (blocks.isEmpty()) continue;
      if (role.equals(currentRole)) {
        ((ArrayNode) current.get("content")).addAll(blocks);
      } else {
        current = out.addObject().put("role", role);
        current.set("content", blocks);
        currentRole = role;
      }
    }
    for (var turn : out) toolResultsFirst((ArrayNode) turn.get("content"));
    return out;
  }

  /** Anthropic wants a user turn's tool_result blocks before its other blocks; the order within each group is kept. */
  private static void toolResultsFirst(ArrayNode content) {
    List<JsonNode> results = new ArrayList<>();
    List<JsonNode> others = new ArrayList<>();
    for (JsonNode b : content) ("tool_result".equals(b.path("type").asText()) ? results : others).add(b);
    if (results.isEmpty() || others.isEmpty()) return;
    content.removeAll();
    content.addAll(results);
    content.addAll(others);
  }

  /** One content block, or null for parts Anthropic cannot take (empty text, unsigned thinking). */
  private static ObjectNode block(Part part) {
    return switch (part) {
      case Part.Text t -> t.text().isEmpty() ? null : text(t);
      case Part.Image img -> image(img);
      case Part.ToolCall call -> {
        ObjectNode b = Json.object().put("type", "tool_use").put("id", toolId(call.id())).put("name", call.name());
        b.set("input", arguments(call));
        yield b;
      }
      case Part.ToolResult result -> toolResult(result);
      case Part.Thinking th -> {
        if (th.redactedData() != null) yield Json.object().put("type", "redacted_thinking").put("data", th.redactedData());
        // Anthropic verifies signatures; thinking from other providers has none and would be refused.
        if (th.signature() == null || th.signature().isEmpty()) yield null;
        yield Json.object().put("type", "thinking").put("thinking", th.text()).put("signature", th.signature());
      }
    };
  }

  private static ObjectNode toolResult(Part.ToolResult result) {
    ObjectNode b = Json.object().put("type", "tool_result").put("tool_use_id", toolId(result.toolCallId()));
    boolean onlyText = result.content().stream().allMatch(p -> p instanceof Part.Text t && t.cacheControl() == null);
    if (onlyText) {
      b.put("content", result.text());
    } else {
      ArrayNode content = b.putArray("content");
      for (Part p : result.content()) {
        if (p instanceof Part.Text t && !t.text().isEmpty()) content.add(text(t));
        else if (p instanceof Part.Image img) content.add(image(img));
      }
    }
    if (result.isError()) b.put("is_error", true);
    return b;
  }

  private static ObjectNode text(Part.Text t) {
    ObjectNode b = Json.object().put("type", "text").put("text", t.text());
    if (t.cacheControl() != null) b.set("cache_control", t.cacheControl());
    return b;
  }

  private static ObjectNode image(Part.Image img) {
    ObjectNode b = Json.object().put("type", "image");
    ObjectNode source = b.putObject("source");
    if (img.isInline()) {
      source.put("type", "base64").put("media_type", img.mediaType()).put("data", img.data());
    } else if (img.url().startsWith("data:")) {
      DataUrl data = DataUrl.parse(img.url());
      source.put("type", "base64").put("media_type", data.mediaType).put("data", data.base64);
    } else {
      source.put("type", "url").put("url", img.url());
    }
    return b;
  }

  /** {@code data:image/png;base64,AAAA} as OpenAI clients send inline images. */
  private record DataUrl(String mediaType, String base64) {
    static DataUrl parse(String url) {
      int comma = url.indexOf(',');
      String header = comma < 0 ? "" : url.substring(5, comma);
      if (comma < 0 || !header.endsWith(";base64")) {
        throw GatewayException.invalid("messages", "Image data URLs must be base64-encoded (data:<type>;base64,...)");
      }
      return new DataUrl(header.substring(0, header.length() - ";base64".length()), url.substring(comma + 1));
    }
  }

  private static ObjectNode tool(Tool t) {
    ObjectNode b = Json.object().put("name", t.name());
    if (t.description() != null) b.put("description", t.description());
    JsonNode schema = t.parameters();
    if (schema == null || !schema.isObject()) {
      schema = Json.object().put("type", "object").set("properties", Json.object());
    }
    b.set("input_schema", schema);
    if (t.cacheControl() != null) b.set("cache_control", t.cacheControl());
    return b;
  }

  private static ObjectNode toolChoice(ChatRequest req) {
    ToolChoice choice = req.toolChoice;
    boolean disableParallel = Boolean.FALSE.equals(req.parallelToolCalls);
    if (choice == null && !disableParallel) return null;
    ObjectNode b = Json.object();
    switch (choice == null ? ToolChoice.Mode.AUTO : choice.mode()) {
      case AUTO -> b.put("type", "auto");
      case REQUIRED -> b.put("type", "any");
      case NONE -> b.put("type", "none");
      case TOOL -> b.put("type", "tool").put("name", choice.name());
    }
    // "none" takes no parallelism flag.
    if (disableParallel && !"none".equals(b.get("type").asText())) b.put("disable_parallel_tool_use", true);
    return b;
  }

  /** Tool-call arguments as the object Anthropic requires; other protocols carry them as JSON text. */
  private static JsonNode arguments(Part.ToolCall call) {
    String args = call.arguments();
    if (args == null || args.isBlank()) return Json.object();
    try {
      JsonNode node = Json.parse(args);
      if (node.isObject()) return node;
    } catch (IOException ignored) {
      // reported below
    }
    throw GatewayException.invalid("messages", "Arguments of tool call '" + call.name() + "' must be a JSON object");
  }

  /** Anthropic tool ids allow [a-zA-Z0-9_-]; ids from other providers are mapped the same way on both sides. */
  private static String toolId(String id) {
    if (id == null || id.isEmpty()) throw GatewayException.invalid("messages", "Every tool call and tool result needs an id");
    return TOOL_ID_INVALID.matcher(id).replaceAll("_");
  }
}
