package io.junction.protocol.gemini;

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
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The canonical request to a GenerateContentRequest body for generativelanguage.googleapis.com. */
final class GeminiRequestEncoder {
  /**
   * Google's documented stand-in for a lost thought signature: Gemini 3 rejects a replayed
   * functionCall without one, and clients of other protocols never keep Gemini's signatures.
   */
  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
  private static final Pattern GEMINI_MAJOR = Pattern.compile("^(?:models/)?gemini-(\\d+)");
  private static final Pattern DATA_URL = Pattern.compile("^data:([^;,]+);base64,(.*)$", Pattern.DOTALL);

  private GeminiRequestEncoder() {}

  static ObjectNode encode(ChatRequest req, String upstreamModel) {
    // Only a translated request gets here (same-protocol calls are relayed), and its answer is decoded from one candidate.
    if (req.n != null && req.n > 1) throw GatewayException.invalid("n", "Answers translated from another protocol carry one choice; 'n' (candidateCount) must be 1");
    ObjectNode body = Json.object();
    boolean gemini3 = geminiMajor(upstreamModel) >= 3;
    body.set("contents", contents(req, gemini3));
    if (!req.system.isEmpty()) {
      ArrayNode parts = Json.array();
      for (Part p : req.system) if (p instanceof Part.Text t) parts.addObject().put("text", t.text());
      if (!parts.isEmpty()) body.putObject("systemInstruction").set("parts", parts);
    }
    if (!req.tools.isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (Tool tool : req.tools) {
        ObjectNode decl = declarations.addObject().put("name", tool.name());
        if (tool.description() != null) decl.put("description", tool.description());
        // JSON Schema as-is: parametersJsonSchema spares us translating to Gemini's OpenAPI subset.
        if (tool.parameters() != null) decl.set("parametersJsonSchema", tool.parameters());
      }
    }
    if (req.toolChoice != null) {
      ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
      switch (req.toolChoice.mode()) {
        case AUTO -> config.put("mode", "AUTO");
        case NONE -> config.put("mode", "NONE");
        case REQUIRED -> config.put("mode", "ANY");
        case TOOL -> config.put("mode", "ANY").putArray("allowedFunctionNames").add(req.toolChoice.name());
      }
    }
    ObjectNode config = generationConfig(req, upstreamModel, gemini3);
    if (!config.isEmpty()) body.set("generationConfig", config);
    return body;
  }

  /**
   * Consecutive messages with the same Gemini role merge: parallel tool results must share one
   * turn. Messages with nothing Gemini can take are left out: it rejects empty turns and empty text.
   */
  private static ArrayNode contents(ChatRequest req, boolean gemini3) {
    ArrayNode contents = Json.array();
    Map<String, String> toolNames = new HashMap<>();
    ObjectNode current = null;
    for (int i = 0; i < req.messages.size(); i++) {
      Message message = req.messages.get(i);
      ArrayNode parts = parts(message, toolNames, "messages[" + i + "]");
      if (parts.isEmpty()) continue;
      String role = message.role == Role.ASSISTANT ? "model" : "user";
      if (current == null || !current.path("role").asText().equals(role)) {
        current = contents.addObject().put("role", role);
        current.putArray("parts");
      }
      ((ArrayNode) current.get("parts")).addAll(parts);
    }
    if (gemini3) {
      for (JsonNode content : contents) if (content.get("role").asText().equals("model")) ensureCallSignature((ArrayNode) content.get("parts"));
    }
    return contents;
  }

  private static ArrayNode parts(Message message, Map<String, String> toolNames, String path) {
    ArrayNode parts = Json.array();
    String signature = null;
    for (Part part : message.parts) {
      if (part instanceof Part.Thinking t && (t.text() == null || t.text().isEmpty())) {
        signature = t.signature();  // an empty thinking part carries the next part's signature
        continue;
      }
      ObjectNode encoded = part(part, toolNames, path);
      if (encoded == null) continue;
      if (signature != null && !encoded.has("thoughtSignature")) encoded.put("thoughtSignature", signature);
      signature = null;
      parts.add(encoded);
    }
    return parts;
  }

  private static ObjectNode part(Part part, Map<String, String> toolNames, String path) {
    ObjectNode out = Json.object();
    switch (part) {
      case Part.Text t -> {
        if (t.text() == null || t.text().isEmpty()) return null;
        out.put("text", t.text());
      }
      case Part.Image img -> image(img, out);
      case Part.ToolCall call -> {
        toolNames.put(call.id(), call.name());
        ObjectNode fc = out.putObject("functionCall").put("name", call.name());
        fc.set("args", arguments(call, path));
      }
      case Part.ToolResult result -> {
        String name = result.name() != null ? result.name() : toolNames.get(result.toolCallId());
        if (name == null) {
          throw GatewayException.invalid(path, "Tool result '" + result.toolCallId() + "' does not answer any earlier tool call");
        }
        out.putObject("functionResponse").put("name", name).set("response", toolResponse(result));
      }
      case Part.Thinking t -> {
        // Unsigned thought text means nothing to Gemini; only signed thoughts are replayed.
        if (t.signature() == null || t.signature().isEmpty()) return null;
        out.put("thought", true).put("text", t.text()).put("thoughtSignature", t.signature());
      }
    }
    return out;
  }

  private static void image(Part.Image img, ObjectNode out) {
    if (img.isInline()) {
      out.putObject("inlineData").put("mimeType", img.mediaType()).put("data", img.data());
      return;
    }
    Matcher data = DATA_URL.matcher(img.url());
    if (data.matches()) {
      out.putObject("inlineData").put("mimeType", data.group(1)).put("data", data.group(2));
      return;
    }
    String mime = img.mediaType() != null ? img.mediaType() : mimeFromExtension(img.url());
    out.putObject("fileData").put("mimeType", mime).put("fileUri", img.url());
  }

  private static String mimeFromExtension(String url) {
    String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
    if (path.endsWith(".png")) return "image/png";
    if (path.endsWith(".gif")) return "image/gif";
    if (path.endsWith(".webp")) return "image/webp";
    if (path.endsWith(".heic")) return "image/heic";
    if (path.endsWith(".pdf")) return "application/pdf";
    return "image/jpeg";
  }

  private static JsonNode arguments(Part.ToolCall call, String path) {
    if (call.arguments() == null || call.arguments().isBlank()) return Json.object();
    try {
      JsonNode args = Json.parse(call.arguments());
      if (args.isObject()) return args;
    } catch (IOException ignored) {
      // reported below
    }
    throw GatewayException.invalid(path, "Arguments of tool call '" + call.id() + "' must be a JSON object");
  }

  /** Gemini wants an object: a JSON-object result goes as is, anything else under "output"/"error". */
  private static JsonNode toolResponse(Part.ToolResult result) {
    String text = result.text();
    try {
      JsonNode parsed = text.isBlank() ? null : Json.parse(text);
      if (parsed != null && parsed.isObject()) return parsed;
    } catch (IOException ignored) {
      // plain text result
    }
    return Json.object().put(result.isError() ? "error" : "output", text);
  }

  /** Gemini 3 validates that the first functionCall of a model turn carries a signature. */
  private static void ensureCallSignature(ArrayNode parts) {
    for (JsonNode part : parts) {
      if (!part.has("functionCall")) continue;
      if (!part.has("thoughtSignature")) ((ObjectNode) part).put("thoughtSignature", SKIP_SIGNATURE);
      return;
    }
  }

  private static ObjectNode generationConfig(ChatRequest req, String model, boolean gemini3) {
    ObjectNode config = Json.object();
    if (req.temperature != null) config.put("temperature", req.temperature);
    if (req.topP != null) config.put("topP", req.topP);
    if (req.topK != null) config.put("topK", req.topK);
    Integer maxTokens = ModelLimits.maxTokens(req.maxTokens, model);
    if (maxTokens != null) config.put("maxOutputTokens", maxTokens);
    if (!req.stop.isEmpty()) {
      ArrayNode stops = config.putArray("stopSequences");
      req.stop.forEach(stops::add);
    }
    if (req.seed != null) config.put("seed", (int) (long) req.seed);
    if (req.presencePenalty != null) config.put("presencePenalty", req.presencePenalty);
    if (req.frequencyPenalty != null) config.put("frequencyPenalty", req.frequencyPenalty);
    ResponseFormat format = req.responseFormat;
    if (format != null && format.kind() != ResponseFormat.Kind.TEXT) {
      config.put("responseMimeType", "application/json");
      if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA && format.schema() != null) {
        config.set("responseJsonSchema", format.schema());
      }
    }
    Reasoning reasoning = ModelLimits.reasoning(req.reasoning, model);
    if (reasoning != null) config.set("thinkingConfig", thinkingConfig(reasoning, gemini3));
    return config;
  }

  /** Gemini 3 thinks in levels, 2.5 in token budgets; an explicit budget wins on either. */
  private static ObjectNode thinkingConfig(Reasoning reasoning, boolean gemini3) {
    ObjectNode thinking = Json.object();
    if (reasoning.budgetTokens() == null && reasoning.effort() != null && gemini3) {
      String level = switch (reasoning.effort()) {
        case "none", "minimal" -> "MINIMAL";
        case "low" -> "LOW";
        case "medium" -> "MEDIUM";
        default -> "HIGH";
      };
      thinking.put("thinkingLevel", level);
    } else {
      boolean off = reasoning.budgetTokens() == null && "none".equals(reasoning.effort());
      thinking.put("thinkingBudget", off ? 0 : reasoning.budgetOrDefault());
    }
    if (reasoning.includeThoughts()) thinking.put("includeThoughts", true);
    return thinking;
  }

  static int geminiMajor(String model) {
    Matcher m = model == null ? null : GEMINI_MAJOR.matcher(model);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
