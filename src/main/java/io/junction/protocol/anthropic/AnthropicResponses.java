package io.junction.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.JsonScan;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.UUID;

/** Complete (non-streamed) Anthropic Message objects, both ways. */
final class AnthropicResponses {
  private AnthropicResponses() {}

  static ObjectNode encode(ChatResponse response, String fallbackModel) {
    ObjectNode body = Json.object()
        .put("id", response.id != null ? response.id : newMessageId())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", response.model != null ? response.model : fallbackModel);
    ArrayNode content = body.putArray("content");
    for (Part p : response.content) {
      ObjectNode block = block(p);
      if (block != null) content.add(block);
    }
    body.put("stop_reason", AnthropicVocabulary.stopReason(response.finishReason, !response.toolCalls().isEmpty()));
    body.put("stop_sequence", response.stopSequence);
    body.set("usage", AnthropicVocabulary.usageJson(response.usage));
    return body;
  }

  private static ObjectNode block(Part part) {
    return switch (part) {
      case Part.Text t -> Json.object().put("type", "text").put("text", t.text());
      case Part.ToolCall call -> {
        ObjectNode b = Json.object().put("type", "tool_use").put("id", call.id() != null ? call.id() : newToolUseId())
            .put("name", call.name());
        b.set("input", toolInput(call.arguments()));
        yield b;
      }
      case Part.Thinking th -> th.redactedData() != null
          ? Json.object().put("type", "redacted_thinking").put("data", th.redactedData())
          : Json.object().put("type", "thinking").put("thinking", th.text()).put("signature", th.signature() == null ? "" : th.signature());
      // An answer carries no images or tool results.
      case Part.Image img -> null;
      case Part.ToolResult r -> null;
    };
  }

  /**
   * Tool-call arguments as an object. Upstream models occasionally emit broken JSON; the client
   * still needs a well-formed block, so the raw text is kept under a key rather than dropped.
   */
  static JsonNode toolInput(String arguments) {
    if (arguments == null || arguments.isBlank()) return Json.object();
    try {
      JsonNode node = Json.parse(arguments);
      if (node.isObject()) return node;
    } catch (IOException ignored) {
      // fall through
    }
    return Json.object().put("_raw_arguments", arguments);
  }

  private static final String NOT_A_MESSAGE = "Upstream answer is not an Anthropic message object";

  /** What {@link #decode} would say of the body's usage and shape, without building its tree. */
  static Usage usageOf(Buffer body) {
    return JsonScan.object(body, NOT_A_MESSAGE, p -> {
      boolean content = false;
      boolean message = true;
      JsonNode usage = null;
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        com.fasterxml.jackson.core.JsonToken t = p.nextToken();
        switch (field) {
          case "content" -> {
            content = t == com.fasterxml.jackson.core.JsonToken.START_ARRAY;
            p.skipChildren();
          }
          case "type" -> {
            String type = JsonScan.scalarText(p, t);
            message = type == null || type.equals("message");
          }
          case "usage" -> usage = JsonScan.tree(p);
          default -> p.skipChildren();
        }
      }
      if (!content || !message) throw GatewayException.badGateway(NOT_A_MESSAGE);
      return AnthropicVocabulary.usage(usage);
    });
  }

  static ChatResponse decode(JsonNode body) {
    boolean message = body.isObject() && body.path("content").isArray() && body.path("type").asText("message").equals("message");
    if (!message) {
      throw GatewayException.badGateway("Upstream answer is not an Anthropic message object");
    }
    ChatResponse r = new ChatResponse();
    r.id = body.path("id").asText(null);
    r.model = body.path("model").asText(null);
    for (JsonNode block : body.path("content")) {
      Part p = part(block);
      if (p != null) r.content.add(p);
    }
    r.finishReason = AnthropicVocabulary.finishReason(body.path("stop_reason").asText(null));
    r.stopSequence = body.path("stop_sequence").asText(null);
    r.usage = AnthropicVocabulary.usage(body.get("usage"));
    return r;
  }

  /** A content block of an upstream answer; server-tool blocks and future types have no canonical form and are skipped. */
  private static Part part(JsonNode block) {
    return switch (block.path("type").asText()) {
      case "text" -> new Part.Text(block.path("text").asText());
      case "tool_use" -> new Part.ToolCall(block.path("id").asText(), block.path("name").asText(),
          Json.text(block.path("input").isObject() ? block.get("input") : Json.object()));
      case "thinking" -> new Part.Thinking(block.path("thinking").asText(), block.path("signature").asText(null), null);
      case "redacted_thinking" -> new Part.Thinking("", null, block.path("data").asText());
      default -> null;
    };
  }

  static String newMessageId() { return "msg_" + UUID.randomUUID().toString().replace("-", ""); }

  static String newToolUseId() { return "toolu_" + UUID.randomUUID().toString().replace("-", ""); }
}
