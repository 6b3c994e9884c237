package io.junction.protocol.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.JsonScan;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Protocol;
import io.junction.protocol.Role;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamTap;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * Amazon Bedrock Converse API ({@code /model/{id}/converse} and {@code /converse-stream}).
 * Bedrock has no seed, penalties or response_format in Converse: those are not sent. Claude's
 * extended thinking and top_k travel in {@code additionalModelRequestFields}.
 */
public final class BedrockCodec implements UpstreamCodec {

  @Override
  public Protocol protocol() { return Protocol.BEDROCK; }

  @Override
  public Buffer encodeRequest(ChatRequest req, String upstreamModel) {
    if (req.n != null && req.n > 1) throw GatewayException.invalid("n", "Bedrock returns a single choice; 'n' must be 1");
    ObjectNode body = Json.object();
    body.set("messages", messages(req));
    if (!req.system.isEmpty()) {
      ArrayNode system = Json.array();
      for (int i = 0; i < req.system.size(); i++) addBlock(system, req.system.get(i), "system[" + i + "]");
      if (!system.isEmpty()) body.set("system", system);
    }
    ObjectNode inference = Json.object();
    if (req.maxTokens != null) inference.put("maxTokens", req.maxTokens);
    if (req.temperature != null) inference.put("temperature", req.temperature);
    if (req.topP != null) inference.put("topP", req.topP);
    if (!req.stop.isEmpty()) req.stop.forEach(inference.putArray("stopSequences")::add);
    if (!inference.isEmpty()) body.set("inferenceConfig", inference);
    encodeTools(req, body);
    ObjectNode additional = Json.object();
    if (isClaude(upstreamModel)) {
      if (req.topK != null) additional.put("top_k", req.topK);
      if (req.reasoning != null && !"none".equals(req.reasoning.effort())) {
        additional.putObject("thinking").put("type", "enabled").put("budget_tokens", req.reasoning.budgetOrDefault());
      }
    }
    if (!additional.isEmpty()) body.set("additionalModelRequestFields", additional);
    return Json.buffer(body);
  }

  /** Converse wants strictly alternating roles: consecutive turns of one side (tool results, then text) are merged. */
  private static ArrayNode messages(ChatRequest req) {
    ArrayNode messages = Json.array();
    ObjectNode previous = null;
    for (int i = 0; i < req.messages.size(); i++) {
      Message m = req.messages.get(i);
      ArrayNode content = Json.array();
      for (int j = 0; j < m.parts.size(); j++) addBlock(content, m.parts.get(j), "messages[" + i + "].content[" + j + "]");
      if (content.isEmpty()) continue;
      String role = m.role == Role.ASSISTANT ? "assistant" : "user";
      if (previous != null && previous.path("role").asText().equals(role)) {
        ((ArrayNode) previous.get("content")).addAll(content);
      } else {
        previous = messages.addObject().put("role", role);
        previous.set("content", content);
      }
    }
    return messages;
  }

  private static boolean isClaude(String model) { return model != null && model.contains("claude"); }

  private static void encodeTools(ChatRequest req, ObjectNode body) {
    boolean historyUsesTools = req.messages.stream().flatMap(m -> m.parts.stream())
        .anyMatch(p -> p instanceof Part.ToolCall || p instanceof Part.ToolResult);
    boolean none = req.toolChoice != null && req.toolChoice.mode() == ToolChoice.Mode.NONE;
    // Converse has no "none" choice; we drop the tools unless the history needs them declared
    // (Bedrock rejects toolUse/toolResult blocks without a toolConfig).
    if (req.tools.isEmpty() || (none && !historyUsesTools)) return;
    ObjectNode config = body.putObject("toolConfig");
    ArrayNode tools = config.putArray("tools");
    for (Tool t : req.tools) {
      ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", t.name());
      if (t.description() != null && !t.description().isEmpty()) spec.put("description", t.description());
      spec.putObject("inputSchema").set("json", t.parameters() != null ? t.parameters() : Json.object().put("type", "object"));
    }
    if (req.toolChoice != null) {
      switch (req.toolChoice.mode()) {
        case AUTO -> config.putObject("toolChoice").putObject("auto");
        case REQUIRED -> config.putObject("toolChoice").putObject("any");
        case TOOL -> config.putObject("toolChoice").putObject("tool").put("name", req.toolChoice.name());
        case NONE -> { }
      }
    }
  }

  private static void addBlock(ArrayNode out, Part part, String path) {
    switch (part) {
      case Part.Text t -> {
        // Bedrock rejects blank text blocks.
        if (t.text() != null && !t.text().isEmpty()) out.addObject().put("text", t.text());
        if (t.cacheControl() != null) out.addObject().putObject("cachePoint").put("type", "default");
      }
      case Part.Image img -> out.addObject().set("image", image(img, path));
      case Part.ToolCall c -> {
        ObjectNode use = out.addObject().putObject("toolUse").put("toolUseId", c.id()).put("name", c.name());
        use.set("input", arguments(c.arguments(), path + ".arguments"));
      }
      case Part.ToolResult r -> {
        ObjectNode result = out.addObject().putObject("toolResult").put("toolUseId", r.toolCallId());
        ArrayNode content = result.putArray("content");
        for (int i = 0; i < r.content().size(); i++) {
          Part p = r.content().get(i);
          if (p instanceof Part.Text t) content.addObject().put("text", t.text());
          else if (p instanceof Part.Image img) content.addObject().set("image", image(img, path + ".content[" + i + "]"));
        }
        if (content.isEmpty()) content.addObject().put("text", "");
        // status is honoured by Claude models only; sending "success" trips others, so only errors say so.
        if (r.isError()) result.put("status", "error");
      }
      case Part.Thinking th -> {
        if (th.redactedData() != null) {
          out.addObject().putObject("reasoningContent").put("redactedContent", th.redactedData());
        } else if (th.signature() != null) {
          // Unsigned reasoning (from another provider) cannot be replayed to Claude; it is dropped.
          out.addObject().putObject("reasoningContent").putObject("reasoningText")
              .put("text", th.text() == null ? "" : th.text()).put("signature", th.signature());
        }
      }
    }
  }

  private static ObjectNode image(Part.Image img, String path) {
    String mediaType = img.mediaType();
    String data = img.data();
    if (!img.isInline()) {
      String url = img.url() == null ? "" : img.url();
      int comma = url.indexOf(',');
      if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
        throw GatewayException.invalid(path, "'" + path + "': Bedrock does not fetch images by URL; send the image inline (base64)");
      }
      mediaType = url.substring(5, comma - ";base64".length());
      data = url.substring(comma + 1);
    }
    String format = switch (mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT)) {
      case "image/png" -> "png";
      case "image/jpeg", "image/jpg" -> "jpeg";
      case "image/gif" -> "gif";
      case "image/webp" -> "webp";
      default -> throw GatewayException.invalid(path,
          "'" + path + "': Bedrock accepts png, jpeg, gif or webp images, not " + mediaType);
    };
    if (data == null || !isBase64(data)) throw GatewayException.invalid(path, "'" + path + "': image data is not valid base64");
    ObjectNode image = Json.object().put("format", format);
    image.putObject("source").put("bytes", data);
    return image;
  }

  private static JsonNode arguments(String json, String path) {
    if (json == null || json.isBlank()) return Json.object();
    try {
      JsonNode n = Json.parse(json);
      if (n.isObject()) return n;
    } catch (IOException e) {
      // reported below
    }
    throw GatewayException.invalid(path, "'" + path + "' must be a JSON object");
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    JsonNode root = Json.parseUpstream(body);
    JsonNode content = root.path("output").path("message").path("content");
    if (!content.isArray()) throw GatewayException.badGateway(NO_CONTENT);
    ChatResponse resp = new ChatResponse();
    resp.id = newMessageId();
    for (JsonNode block : content) {
      if (block.hasNonNull("text")) {
        resp.content.add(new Part.Text(block.get("text").asText()));
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        JsonNode input = use.path("input");
        resp.content.add(new Part.ToolCall(use.path("toolUseId").asText(), use.path("name").asText(),
            input.isMissingNode() || input.isNull() ? "{}" : Json.text(input)));
      } else if (block.has("reasoningContent")) {
        JsonNode rc = block.get("reasoningContent");
        if (rc.hasNonNull("redactedContent")) {
          resp.content.add(new Part.Thinking(null, null, rc.get("redactedContent").asText()));
        } else {
          JsonNode rt = rc.path("reasoningText");
          resp.content.add(new Part.Thinking(rt.path("text").asText(""), rt.path("signature").asText(null), null));
        }
      }
    }
    resp.finishReason = finishReason(root.path("stopReason").asText(null));
    resp.usage = usage(root.path("usage"));
    return resp;
  }

  private static final String NO_CONTENT = "Bedrock response has no output.message.content array";

  /** The usage of an answer relayed as-is, read by a streaming scan (no tree); a 502 on garbage, as {@link #decodeResponse}. */
  @Override
  public Usage usageOf(Buffer body) {
    return JsonScan.object(body, NO_CONTENT, p -> {
      boolean content = false;
      JsonNode usage = null;
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        com.fasterxml.jackson.core.JsonToken t = p.nextToken();
        if (field.equals("output")) content = hasContentArray(p, t, "message");
        else if (field.equals("usage")) usage = JsonScan.tree(p);
        else p.skipChildren();
      }
      if (!content) throw GatewayException.badGateway(NO_CONTENT);
      return usage(usage);
    });
  }

  /**
   * For the value the parser is on: whether it is an object where {@code <key>.content} is an array (key "message"
   * inside {@code output}, then "content" itself); reads to the object's end. The last duplicate
   * key wins, as in a tree.
   */
  private static boolean hasContentArray(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken at, String key)
      throws IOException {
    if (at != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    boolean found = false;
    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String field = p.currentName();
      com.fasterxml.jackson.core.JsonToken t = p.nextToken();
      if (!field.equals(key)) {
        p.skipChildren();
      } else if (key.equals("content")) {
        found = t == com.fasterxml.jackson.core.JsonToken.START_ARRAY;
        p.skipChildren();
      } else {
        found = hasContentArray(p, t, "content");
      }
    }
    return found;
  }

  @Override
  public StreamDecoder streamDecoder() { return new BedrockStreamDecoder(); }

  @Override
  public StreamTap passthroughTap(boolean clientWantsUsage) { return new BedrockStreamTap(); }

  @Override
  public String errorMessage(int status, Buffer body) {
    try {
      JsonNode n = Json.parse(body);
      for (String field : new String[] {"message", "Message"}) {
        if (n != null && n.path(field).isTextual()) return n.get(field).asText();
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the generic message
    }
    return "Bedrock returned HTTP " + status;
  }

  static String newMessageId() { return "msg_bdrk_" + UUID.randomUUID().toString().replace("-", ""); }

  /** Bedrock stopReason to canonical. */
  public static FinishReason finishReason(String stopReason) {
    if (stopReason == null) return FinishReason.STOP;
    return switch (stopReason) {
      case "end_turn" -> FinishReason.STOP;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
      case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** Canonical to Bedrock stopReason (what a Bedrock server would say). */
  public static String stopReason(FinishReason reason) {
    return switch (reason) {
      case STOP, OTHER, ERROR -> "end_turn";
      case TOOL_CALLS -> "tool_use";
      case LENGTH -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case CONTENT_FILTER -> "content_filtered";
    };
  }

  /** Bedrock counts inputTokens without the cached ones; the canonical input includes them. */
  public static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) return Usage.ZERO;
    long cacheRead = u.path("cacheReadInputTokens").asLong(0);
    long cacheWrite = u.path("cacheWriteInputTokens").asLong(0);
    return new Usage(u.path("inputTokens").asLong(0) + cacheRead + cacheWrite, u.path("outputTokens").asLong(0),
        cacheRead, cacheWrite, 0);
  }

  /** Canonical usage in Bedrock's shape. */
  public static ObjectNode usageNode(Usage u) {
    long input = u.inputTokens() - u.cacheReadTokens() - u.cacheWriteTokens();
    ObjectNode n = Json.object().put("inputTokens", input).put("outputTokens", u.outputTokens())
        .put("totalTokens", u.inputTokens() + u.outputTokens());
    if (u.cacheReadTokens() > 0) n.put("cacheReadInputTokens", u.cacheReadTokens());
    if (u.cacheWriteTokens() > 0) n.put("cacheWriteInputTokens", u.cacheWriteTokens());
    return n;
  }

  /** Decodes the image only to check it: Bedrock's own error for bad base64 names no field. */
  private static boolean isBase64(String s) {
    try {
      Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
