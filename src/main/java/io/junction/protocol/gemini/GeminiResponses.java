package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.JsonScan;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** GenerateContentResponse to and from the canonical response. */
final class GeminiResponses {
  private GeminiResponses() {}

  /**
   * An id for a functionCall Gemini sent without one. Random rather than positional so that ids
   * stay unique across the turns of a conversation, as OpenAI and Anthropic clients expect.
   */
  static String newCallId() {
    byte[] bytes = new byte[12];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "call_" + HexFormat.of().formatHex(bytes);
  }

  /** What {@link #decode} would say of the body's usage, without building its tree. */
  static Usage usageOf(Buffer body) {
    return JsonScan.object(body, "Gemini returned a response that is not a JSON object", p -> {
      JsonNode meta = null;
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("usageMetadata")) meta = JsonScan.tree(p);
        else p.skipChildren();
      }
      Usage usage = GeminiVocabulary.usage(meta);
      return usage == null ? Usage.ZERO : usage;
    });
  }

  static ChatResponse decode(JsonNode body) {
    if (!body.isObject()) throw GatewayException.badGateway("Gemini returned a response that is not a JSON object");
    ChatResponse response = new ChatResponse();
    response.id = body.path("responseId").asText(null);
    response.model = body.path("modelVersion").asText(null);
    Usage usage = GeminiVocabulary.usage(body.get("usageMetadata"));
    if (usage != null) response.usage = usage;
    JsonNode candidate = body.path("candidates").path(0);
    if (candidate.isMissingNode()) {
      // No candidate at all: the prompt itself was blocked (promptFeedback.blockReason).
      response.finishReason = body.path("promptFeedback").has("blockReason") ? FinishReason.CONTENT_FILTER : FinishReason.OTHER;
      return response;
    }
    for (JsonNode part : candidate.path("content").path("parts")) decodePart(part, response);
    response.finishReason = GeminiVocabulary.finishReason(candidate.path("finishReason").asText(null), !response.toolCalls().isEmpty());
    return response;
  }

  private static void decodePart(JsonNode part, ChatResponse into) {
    String signature = part.path("thoughtSignature").asText(null);
    if (part.path("thought").asBoolean(false)) {
      into.content.add(new Part.Thinking(part.path("text").asText(""), signature, null));
      return;
    }
    if (signature != null) into.content.add(new Part.Thinking("", signature, null));
    if (part.has("text")) {
      into.content.add(new Part.Text(part.get("text").asText()));
    } else if (part.has("functionCall")) {
      JsonNode call = part.get("functionCall");
      String id = call.path("id").asText("");
      JsonNode args = call.path("args");
      into.content.add(new Part.ToolCall(id.isEmpty() ? newCallId() : id, call.path("name").asText(),
          args.isObject() ? Json.text(args) : "{}"));
    } else if (part.has("inlineData")) {
      JsonNode blob = part.get("inlineData");
      into.content.add(Part.Image.ofBase64(blob.path("mimeType").asText(), blob.path("data").asText()));
    }
  }

  static ObjectNode encode(ChatResponse response, String requestModel) {
    ObjectNode body = Json.object();
    ObjectNode candidate = body.putArray("candidates").addObject();
    ArrayNode parts = Json.array();
    String signature = null;
    for (Part part : response.content) {
      if (part instanceof Part.Thinking t && (t.text() == null || t.text().isEmpty())) {
        signature = t.signature();
        continue;
      }
      ObjectNode encoded = encodePart(part);
      if (encoded == null) continue;
      if (signature != null) encoded.put("thoughtSignature", signature);
      signature = null;
      parts.add(encoded);
    }
    if (signature != null) parts.addObject().put("text", "").put("thoughtSignature", signature);
    ObjectNode content = candidate.putObject("content");
    if (!parts.isEmpty()) content.set("parts", parts);
    content.put("role", "model");
    candidate.put("finishReason", GeminiVocabulary.finishReason(response.finishReason));
    candidate.put("index", 0);
    body.set("usageMetadata", GeminiVocabulary.usageMetadata(response.usage));
    String model = response.model != null ? response.model : requestModel;
    if (model != null) body.put("modelVersion", model);
    if (response.id != null) body.put("responseId", response.id);
    return body;
  }

  /** One canonical content part as a Gemini part; null for what Gemini cannot show (tool results). */
  static ObjectNode encodePart(Part part) {
    ObjectNode out = Json.object();
    switch (part) {
      case Part.Text t -> out.put("text", t.text());
      case Part.Thinking t -> {
        out.put("text", t.text()).put("thought", true);
        if (t.signature() != null) out.put("thoughtSignature", t.signature());
      }
      case Part.ToolCall call -> out.set("functionCall", functionCall(call.id(), call.name(), call.arguments()));
      case Part.Image img -> {
        if (!img.isInline()) return null;
        out.putObject("inlineData").put("mimeType", img.mediaType()).put("data", img.data());
      }
      case Part.ToolResult ignored -> { return null; }
    }
    return out;
  }

  /** Gemini carries args as an object; upstream argument text that is not one becomes a 502. */
  static ObjectNode functionCall(String id, String name, String arguments) {
    ObjectNode call = Json.object();
    if (id != null) call.put("id", id);
    call.put("name", name);
    JsonNode args;
    try {
      args = arguments == null || arguments.isBlank() ? Json.object() : Json.parse(arguments);
    } catch (IOException e) {
      args = null;
    }
    if (args == null || !args.isObject()) {
      throw GatewayException.badGateway("The upstream sent arguments for tool '" + name + "' that are not a JSON object");
    }
    call.set("args", args);
    return call;
  }
}
